import { describe, expect, it } from 'vitest';
import { fsck, git, useTempStore } from './helpers.js';

const t = useTempStore();

const counts = () => {
  const out = git(t.repoPath, 'count-objects', '-v');
  return { loose: Number(/^count: (\d+)/m.exec(out)?.[1]), packed: Number(/^in-pack: (\d+)/m.exec(out)?.[1]) };
};

describe('pack and gc', () => {
  it('pack() moves loose objects into a pack git can read', async () => {
    let fs = await t.store.branches.get('main');
    for (let i = 0; i < 5; i++) fs = await fs.writeText(`f${i}.txt`, `v${i}`);
    const before = counts();
    expect(before.loose).toBeGreaterThan(10);
    const packed = await t.store.pack();
    expect(packed).toBe(before.loose);
    expect(counts().loose).toBe(0);
    fsck(t.repoPath);
    expect(await (await t.store.branches.get('main')).readText('f3.txt')).toBe('v3');
  });

  it('gc() keeps everything reachable from refs and reflogs and recent objects, drops the rest', async () => {
    let fs = await t.store.branches.get('main');
    fs = await fs.writeText('kept.txt', 'kept');
    const undone = await fs.writeText('undone.txt', 'only reachable via reflog');
    await undone.undo();
    const repo = await t.store._open();
    const orphan = await repo.objects.write('blob', Buffer.from('nobody points here'));
    await t.store.gc();
    expect(await t.store.hasHash(orphan)).toBe(true);
    expect(git(t.repoPath, 'cat-file', '-t', orphan).trim()).toBe('blob');
    await t.store.gc({ pruneGraceMs: 0 });
    expect(await t.store.hasHash(orphan)).toBe(false);
    expect(await t.store.hasHash(await undone.objectHash('undone.txt'))).toBe(true);
    expect(counts().loose).toBe(0);
    fsck(t.repoPath);
    expect(git(t.repoPath, 'cat-file', 'blob', 'main:kept.txt')).toBe('kept');
  });
});
