import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { GitStore } from '../../../src/index.js';
import { fsck, git, tempDir, type TempDir } from './helpers.js';

let tmp: TempDir;
let repoPath: string;
let store: GitStore;

beforeEach(async () => {
  tmp = tempDir();
  repoPath = join(tmp.path, 'repo.git');
  store = await GitStore.open(repoPath);
});
afterEach(() => tmp.cleanup());

const counts = () => {
  const out = git(repoPath, 'count-objects', '-v');
  return { loose: Number(/^count: (\d+)/m.exec(out)?.[1]), packed: Number(/^in-pack: (\d+)/m.exec(out)?.[1]) };
};

describe('pack and gc', () => {
  it('pack() moves loose objects into a pack git can read', async () => {
    let fs = await store.branches.get('main');
    for (let i = 0; i < 5; i++) fs = await fs.writeText(`f${i}.txt`, `v${i}`);
    const before = counts();
    expect(before.loose).toBeGreaterThan(10);
    const packed = await store.pack();
    expect(packed).toBe(before.loose);
    expect(counts().loose).toBe(0);
    fsck(repoPath);
    expect(await (await store.branches.get('main')).readText('f3.txt')).toBe('v3');
  });

  it('gc() keeps everything reachable from refs and reflogs and recent objects, drops the rest', async () => {
    let fs = await store.branches.get('main');
    fs = await fs.writeText('kept.txt', 'kept');
    const undone = await fs.writeText('undone.txt', 'only reachable via reflog');
    await undone.undo();
    const repo = await store._open();
    const orphan = await repo.objects.write('blob', Buffer.from('nobody points here'));
    await store.gc();
    expect(await store.hasHash(orphan)).toBe(true);
    expect(git(repoPath, 'cat-file', '-t', orphan).trim()).toBe('blob');
    await store.gc({ pruneGraceMs: 0 });
    expect(await store.hasHash(orphan)).toBe(false);
    expect(await store.hasHash(await undone.objectHash('undone.txt'))).toBe(true);
    expect(counts().loose).toBe(0);
    fsck(repoPath);
    expect(git(repoPath, 'cat-file', 'blob', 'main:kept.txt')).toBe('kept');
  });
});
