import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { GitStore } from '../../../src/index.js';
import { fsck, git, lsTree, tempDir, type TempDir } from './helpers.js';

const run = promisify(execFile);
const root = resolve(__dirname, '../../..');
const viteNode = join(root, 'node_modules/vite-node/vite-node.mjs');
const script = join(__dirname, 'fixtures/concurrent-writer.ts');

let tmp: TempDir;
let repoPath: string;

beforeEach(async () => {
  tmp = tempDir();
  repoPath = join(tmp.path, 'repo.git');
  await GitStore.open(repoPath);
});
afterEach(() => tmp.cleanup());

async function writers(n: number, count: number, mode: 'plain' | 'retry'): Promise<Array<{ landed: number; stale: number }>> {
  const procs = Array.from({ length: n }, (_, id) =>
    run(process.execPath, [viteNode, script, repoPath, String(id), String(count), mode], { cwd: root, timeout: 60_000 }),
  );
  return (await Promise.all(procs)).map((p) => JSON.parse(p.stdout.trim().split('\n').pop()!));
}

describe('several processes writing one branch', () => {
  it('every write either lands as a commit or raises StaleSnapshotError', async () => {
    const results = await writers(3, 10, 'plain');
    const landed = results.reduce((s, r) => s + r.landed, 0);
    expect(results.reduce((s, r) => s + r.landed + r.stale, 0)).toBe(30);
    expect(Number(git(repoPath, 'rev-list', '--count', 'main').trim())).toBe(1 + landed);
    expect(lsTree(repoPath, 'main')).toHaveLength(landed);
    fsck(repoPath);
  }, 90_000);

  it('with retryWrite every write lands', async () => {
    await writers(3, 8, 'retry');
    expect(Number(git(repoPath, 'rev-list', '--count', 'main').trim())).toBe(25);
    expect(lsTree(repoPath, 'main')).toHaveLength(24);
    const reflog = git(repoPath, 'reflog', 'show', '--format=%gs', 'main').trim().split('\n');
    expect(reflog).toHaveLength(24);
    fsck(repoPath);
  }, 90_000);
});

describe('automatic pack merging while other processes write and read', () => {
  it('no process loses an object, and the repository stays valid', async () => {
    const packer = join(__dirname, 'fixtures/concurrent-packer.ts');
    const procs = [0, 1, 2].map((id) =>
      run(process.execPath, [viteNode, packer, repoPath, String(id), '6'], { cwd: root, timeout: 60_000 }),
    );
    const results = (await Promise.all(procs)).map((p) => JSON.parse(p.stdout.trim().split('\n').pop()!));
    expect(results).toEqual([{ reads: 21 }, { reads: 21 }, { reads: 21 }]);
    for (const id of [0, 1, 2]) expect(lsTree(repoPath, `p${id}`)).toHaveLength(6 * 70);
    const packs = git(repoPath, 'count-objects', '-v');
    expect(Number(/^packs: (\d+)/m.exec(packs)?.[1])).toBeLessThanOrEqual(6);
    fsck(repoPath);
  }, 90_000);
});
