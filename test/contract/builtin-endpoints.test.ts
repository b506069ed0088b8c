/** The shared endpoint contract, run for the built-in dir and ref endpoints and the mem fixture plugin. */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitStore } from '../../src/core/index.js';
import { DirEndpoint } from '../../src/plugins/dir/endpoint.js';
import { RefEndpoint } from '../../src/plugins/ref/endpoint.js';
import type { EndpointPlugin } from '../../src/plugins/contract.js';
// @ts-expect-error: the fixture plugin is plain JavaScript without declarations
import { memPlugin as memPluginUntyped } from '../../plugins/vost-plugin-mem/mem.js';
import { endpointContract } from './endpoint-contract.js';

const memPlugin = memPluginUntyped as EndpointPlugin;

endpointContract('dir', async () => {
  const root = await mkdtemp(join(tmpdir(), 'vost-contract-dir-'));
  return {
    endpoint: new DirEndpoint(join(root, 'dest')),
    reopen: async () => new DirEndpoint(join(root, 'dest')),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
});

endpointContract('ref', async () => {
  const root = await mkdtemp(join(tmpdir(), 'vost-contract-ref-'));
  const store = await GitStore.open(join(root, 'repo.git'), { create: true, branch: 'main' });
  return {
    endpoint: new RefEndpoint(await store.branches.get('main')),
    reopen: async () => new RefEndpoint(await store.branches.get('main')),
    verify: async () => {
      execFileSync('git', ['--git-dir', join(root, 'repo.git'), 'fsck', '--strict'], { stdio: 'pipe' });
    },
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
});

endpointContract('mem (third-party fixture)', async () => {
  const root = await mkdtemp(join(tmpdir(), 'vost-contract-mem-'));
  const ctx = { cwd: root, forWrite: true, env: { VOST_MEM_DIR: root } };
  return {
    endpoint: await memPlugin.open('mem://store', ctx),
    reopen: () => memPlugin.open('mem://store', ctx),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
});
