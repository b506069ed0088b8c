import { describe, expect, it } from 'vitest';
import { KeyNotFoundError, GitStoreError, BatchClosedError } from '../../../src/index.js';
import { fsck, git, gitInput, useTempStore } from './helpers.js';

const t = useTempStore();

describe('notes', () => {
  it('set/get/delete interoperate with git notes', async () => {
    const fs = await (await t.store.branches.get('main')).writeText('a', '1');
    const ns = t.store.notes.commits;
    expect(String(ns)).toBe("NoteNamespace('commits')");
    await expect(ns.get(fs)).rejects.toBeInstanceOf(KeyNotFoundError);
    expect(await ns.list()).toEqual([]);
    await ns.set(fs, 'reviewed');
    await ns.set(fs.commitHash, 'reviewed twice');
    expect(git(t.repoPath, 'notes', 'show', fs.commitHash).trim()).toBe('reviewed twice');
    expect(await ns.get('main')).toBe('reviewed twice');
    expect(await ns.getForCurrentBranch()).toBe('reviewed twice');
    expect(await ns.has(fs)).toBe(true);
    expect(await ns.size()).toBe(1);
    expect(git(t.repoPath, 'log', '--format=%s', 'refs/notes/commits').trim().split('\n')).toEqual([
      `Notes added by 'git notes' on ${fs.commitHash.slice(0, 7)}`,
      `Notes added by 'git notes' on ${fs.commitHash.slice(0, 7)}`,
    ]);
    await ns.delete(fs);
    expect(await ns.has(fs)).toBe(false);
    await expect(ns.delete(fs)).rejects.toThrow(`key not found: ${fs.commitHash}`);
    await expect(ns.get('nope')).rejects.toBeInstanceOf(GitStoreError);
    await expect(ns.get('nope')).rejects.toThrow("Cannot resolve 'nope': not a commit hash, branch, or tag");
    fsck(t.repoPath);
  });

  it('reads notes git wrote with fan-out and replaces them flat', async () => {
    const fs = await (await t.store.branches.get('main')).writeText('a', '1');
    const init = (await fs.getParent())!.commitHash;
    git(t.repoPath, 'notes', '--ref', 'review', 'add', '-m', 'from git', fs.commitHash);
    git(t.repoPath, 'notes', '--ref', 'review', 'add', '-m', 'initial', init);
    const ns = t.store.notes.namespace('review');
    expect(await ns.get(fs.commitHash)).toBe('from git\n');
    expect((await ns.list()).sort()).toEqual([fs.commitHash, init].sort());
    const b = ns.batch();
    await b.set(fs, 'batched');
    await b.delete(init);
    await b.commit();
    await expect(b.set(fs, 'x')).rejects.toBeInstanceOf(BatchClosedError);
    await expect(b.commit()).rejects.toThrow('Batch is already committed');
    expect(git(t.repoPath, 'notes', '--ref', 'review', 'show', fs.commitHash)).toBe('batched');
    expect(git(t.repoPath, 'notes', '--ref', 'review', 'list').trim().split('\n')).toHaveLength(1);
    expect(git(t.repoPath, 'log', '-1', '--format=%s', 'refs/notes/review').trim()).toBe('Notes batch update (2 changes)');
    const bad = ns.batch();
    await bad.delete(init);
    await expect(bad.commit()).rejects.toBeInstanceOf(KeyNotFoundError);
    fsck(t.repoPath);
  });

  it('reads 2/38 fan-out notes trees and drops the fan-out entry on rewrite', async () => {
    const fs = await (await t.store.branches.get('main')).writeText('a', '1');
    const id = fs.commitHash;
    const blob = gitInput(t.repoPath, 'fanned\n', 'hash-object', '-w', '--stdin').trim();
    const inner = gitInput(t.repoPath, `100644 blob ${blob}\t${id.slice(2)}\n`, 'mktree').trim();
    const outer = gitInput(t.repoPath, `040000 tree ${inner}\t${id.slice(0, 2)}\n`, 'mktree').trim();
    const commit = git(t.repoPath, 'commit-tree', outer, '-m', 'notes').trim();
    git(t.repoPath, 'update-ref', 'refs/notes/fan', commit);
    const ns = t.store.notes.namespace('fan');
    expect(await ns.list()).toEqual([id]);
    expect(await ns.get(fs)).toBe('fanned\n');
    await ns.set(fs, 'flat now');
    expect(git(t.repoPath, 'ls-tree', '--name-only', 'refs/notes/fan').trim()).toBe(id);
    expect(git(t.repoPath, 'notes', '--ref', 'fan', 'show', id)).toBe('flat now');
    fsck(t.repoPath);
  });
});
