/**
 * Staging folders left by a writer that died: never listed as content (so
 * never synced into a repository), and removed by the next writer in that
 * folder once their process is gone; a live writer's folder is left alone.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import '../../../src/transfer/library.js';
import { GitStore } from '../../../src/core/index.js';
import { isStagingName, removeStaleStaging, stagingName } from '../../../src/plugins/dir/staging.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'vost-staging-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const OLD = new Date(Date.now() - 3600_000);

/** A leftover staging folder with one file, made `old` or just now. */
function leftover(folder: string, name: string, old = true): string {
  const dir = join(folder, name);
  mkdirSync(join(dir, 'sub'), { recursive: true });
  writeFileSync(join(dir, 'sub', 'half.txt'), 'half written');
  if (old) utimesSync(dir, OLD, OLD);
  return dir;
}

/** A pid that is not running: that of a child which has exited. */
function deadPid(): number {
  return Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }));
}

describe('staging folders', () => {
  it('names its own after this process and recognises both forms', () => {
    expect(stagingName()).toMatch(new RegExp(`^\\.vost-staging-${process.pid}-[0-9a-f]{12}$`));
    expect(isStagingName('.vost-staging-0123456789ab')).toBe(true);
    expect(isStagingName('.vost-staging-notes')).toBe(false);
    expect(isStagingName('vost-staging-1-0123456789ab')).toBe(false);
  });

  it('a crashed run\'s folder is neither committed by a sync nor kept by the next checkout', async () => {
    const data = join(root, 'data');
    mkdirSync(data);
    writeFileSync(join(data, 'real.txt'), 'content\n');
    const dead = leftover(data, `.vost-staging-${deadPid()}-0123456789ab`);
    const store = await GitStore.open(join(root, 'repo.git'));
    const fs = await (await store.branches.get('main')).syncIn(data, '');
    const tree = execFileSync('git', ['--git-dir', join(root, 'repo.git'), 'ls-tree', '-r', '--name-only', fs.commitHash], { encoding: 'utf8' });
    expect(tree.trim().split('\n')).toEqual(['real.txt']);
    expect(existsSync(dead)).toBe(true);
    // The next writer in that folder (a checkout with something to write) clears it away.
    await (await fs.writeText('new.txt', 'new\n')).syncOut('', data);
    expect(existsSync(dead)).toBe(false);
    expect(readdirSync(data).sort()).toEqual(['new.txt', 'real.txt']);
  });

  it('leaves a live writer\'s folder, and a dead one\'s that changed recently', () => {
    const live = leftover(root, `.vost-staging-${process.pid}-0123456789ab`);
    const fresh = leftover(root, `.vost-staging-${deadPid()}-abcdefabcdef`, false);
    const stale = leftover(root, '.vost-staging-fedcba987654');
    removeStaleStaging(root);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(fresh)).toBe(true);
    expect(existsSync(stale)).toBe(false);
  });
});
