/** The shared endpoint contract (test/contract/) run for the zip and tar endpoint plugins. */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tarPlugin, zipPlugin } from '../../../src/plugins/archive/index.js';
import type { EndpointPlugin } from '../../../src/plugins/contract.js';
import { endpointContract } from '../../contract/endpoint-contract.js';

function archiveSubject(plugin: EndpointPlugin, name: string, check: (file: string) => void) {
  return async () => {
    const root = await mkdtemp(join(tmpdir(), `vost-contract-${plugin.name}-`));
    const ctx = { cwd: root, forWrite: true, env: {} };
    const spec = `${plugin.scheme}://${name}`;
    const opened: Array<{ close?(): Promise<void> }> = [];
    const open = async () => {
      const ep = await plugin.open(spec, ctx);
      opened.push(ep);
      return ep;
    };
    return {
      endpoint: await open(),
      reopen: open,
      verify: async () => {
        const file = join(root, name);
        if (existsSync(file)) check(file);
      },
      cleanup: async () => {
        for (const ep of opened) await ep.close?.();
        await rm(root, { recursive: true, force: true });
      },
    };
  };
}

const quiet = { stdio: 'pipe' as const };
endpointContract('zip', archiveSubject(zipPlugin, 'out.zip', (f) => execFileSync('unzip', ['-tq', f], quiet)), { largeBytes: 3 << 20 });
endpointContract('tar.gz', archiveSubject(tarPlugin, 'out.tar.gz', (f) => execFileSync('tar', ['-tzf', f], quiet)), { largeBytes: 3 << 20 });
endpointContract('tar.xz', archiveSubject(tarPlugin, 'out.tar.xz', (f) => execFileSync('tar', ['-tJf', f], quiet)), { largeBytes: 3 << 20 });
