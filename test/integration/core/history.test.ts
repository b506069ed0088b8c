import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { GitStore, PermissionError, StaleSnapshotError, type FS } from '../../../src/index.js';
import { fsck, git, useTempStore } from './helpers.js';

const t = useTempStore();

async function commits(n: number): Promise<FS[]> {
  let fs = await t.store.branches.get('main');
  const out: FS[] = [fs];
  for (let i = 1; i <= n; i++) {
    fs = await fs.writeText('f.txt', `v${i}`);
    out.push(fs);
  }
  return out;
}

const tip = () => git(t.repoPath, 'rev-parse', 'main').trim();

describe('undo / redo', () => {
  it('undo moves back, redo returns, a second redo follows the latest movement', async () => {
    const [c0, c1, c2, c3] = await commits(3);
    const u = await c3.undo();
    expect(u.commitHash).toBe(c2.commitHash);
    expect(tip()).toBe(c2.commitHash);
    const r = await u.redo();
    expect(r.commitHash).toBe(c3.commitHash);
    const r2 = await r.redo();
    expect(r2.commitHash).toBe(c2.commitHash);
    const u2 = await r2.undo(2);
    expect(u2.commitHash).toBe(c0.commitHash);
    await expect(u2.undo()).rejects.toThrow('Cannot undo 1 steps - only 0 commit(s) in history');
    expect((await u2.redo()).commitHash).toBe(c2.commitHash);
    const reflog = await t.store.branches.reflog('main');
    expect(reflog.map((e) => e.message).slice(-5)).toEqual([
      'undo: move back',
      'redo: move forward',
      'redo: move forward',
      'undo: move back',
      'redo: move forward',
    ]);
    expect(c1.writable).toBe(true);
    fsck(t.repoPath);
  });

  it('redo right after a new commit moves back to the previous tip', async () => {
    const [, c1, c2] = await commits(2);
    const u = await c2.undo();
    expect(u.commitHash).toBe(c1.commitHash);
    const n = await u.writeText('g.txt', 'new');
    const r = await n.redo();
    expect(r.commitHash).toBe(c1.commitHash);
  });

  it('undo / redo errors', async () => {
    const [, c1, c2] = await commits(2);
    await expect(c2.undo(0)).rejects.toThrow('steps must be >= 1, got 0');
    await expect(c1.undo()).rejects.toThrow(StaleSnapshotError);
    await expect(c2.redo(3)).rejects.toThrow('Cannot redo 3 steps - only 2 step(s) available');
    const tag = await t.store.tags.setAndGet('t', c2);
    await expect(tag.undo()).rejects.toBeInstanceOf(PermissionError);
    const fresh = await GitStore.open(join(t.tmp.path, 'fresh.git'));
    await expect((await fresh.branches.get('main')).redo()).rejects.toThrow("No reflog found for branch 'main'");
    await fresh.branches.set('b2', await fresh.branches.get('main'));
    const b2 = await fresh.branches.get('b2');
    await expect(b2.redo()).rejects.toThrow('Cannot redo 1 step(s) - reaches branch creation point');
  });

  it('stale snapshots cannot write, even a no-op', async () => {
    const [c0, c1] = await commits(1);
    await expect(c0.writeText('f.txt', 'x')).rejects.toThrow("Branch 'main' has advanced since this snapshot");
    await expect(c0.apply()).rejects.toBeInstanceOf(StaleSnapshotError);
    expect(tip()).toBe(c1.commitHash);
  });
});

describe('log filters and squash', () => {
  it('filters by path, message glob and date', async () => {
    let fs = await t.store.branches.get('main');
    fs = await fs.writeText('a.txt', '1', { message: 'add a' });
    fs = await fs.writeText('b.txt', '1', { message: 'add b' });
    fs = await fs.writeText('a.txt', '2', { message: 'change a' });
    const msgs = async (opts: Parameters<FS['log']>[0]) => {
      const out: string[] = [];
      for await (const s of fs.log(opts)) out.push(await s.getMessage());
      return out;
    };
    expect(await msgs({ path: 'a.txt' })).toEqual(['change a', 'add a']);
    expect(await msgs({ match: 'add *' })).toEqual(['add b', 'add a']);
    expect(await msgs({ match: 'add *', path: 'a.txt' })).toEqual(['add a']);
    expect(await msgs({ before: new Date(0) })).toEqual([]);
    expect(await msgs({ before: new Date(Date.now() + 60_000) })).toHaveLength(4);
    expect(await msgs({ path: '' })).toHaveLength(4);
  });

  it('squash writes a detached parentless commit assignable to a branch', async () => {
    const [, , c2] = await commits(2);
    const sq = await c2.squash();
    expect(sq.writable).toBe(false);
    expect(sq.refName).toBeNull();
    expect(sq.treeHash).toBe(c2.treeHash);
    expect(git(t.repoPath, 'cat-file', '-p', sq.commitHash)).not.toMatch(/^parent /m);
    const withParent = await c2.squash({ parent: c2, message: 'squashed' });
    expect(git(t.repoPath, 'log', '-1', '--format=%P|%s', withParent.commitHash).trim()).toBe(`${c2.commitHash}|squashed`);
    await t.store.branches.set('squashed', sq);
    expect(git(t.repoPath, 'rev-list', '--count', 'squashed').trim()).toBe('1');
    const rl = await t.store.branches.reflog('squashed');
    expect(rl[0].message).toBe('branch: Created from squash');
    expect(rl[0].oldSha).toBe('0'.repeat(40));
    fsck(t.repoPath);
  });
});
