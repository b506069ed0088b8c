import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import {
  GitStore,
  InvalidRefNameError,
  KeyExistsError,
  KeyNotFoundError,
  PermissionError,
  retryWrite,
} from '../../../src/index.js';
import { fsck, git, useTempStore } from './helpers.js';

const t = useTempStore();

describe('RefDict', () => {
  it('creates, lists, iterates and deletes branches and tags', async () => {
    const main = await (await t.store.branches.get('main')).writeText('a', '1', { message: 'first line\nsecond' });
    await t.store.branches.set('feature/x', main);
    const moved = await t.store.branches.setAndGet('feature/x', (await main.getParent())!);
    expect(moved.writable).toBe(true);
    expect(moved.refName).toBe('feature/x');
    expect((await t.store.branches.reflog('feature/x')).map((e) => e.message)).toEqual([
      'branch: Created from first line',
      'branch: set to Initialize main',
    ]);
    await t.store.tags.set('v1', main);
    await expect(t.store.tags.set('v1', main)).rejects.toThrow(new KeyExistsError("Tag 'v1' already exists"));
    // force replaces the tag in place: it never goes missing in between.
    const parent = (await main.getParent())!;
    await t.store.tags.set('v1', parent, { force: true });
    expect((await t.store.tags.get('v1')).commitHash).toBe(parent.commitHash);
    await t.store.tags.set('v1', main, { force: true });
    expect((await t.store.tags.get('v1')).commitHash).toBe(main.commitHash);
    await expect(t.store.branches.set('bad name', main)).rejects.toBeInstanceOf(InvalidRefNameError);
    await expect(t.store.branches.set('x', {} as never)).rejects.toBeInstanceOf(TypeError);
    const other = await GitStore.open(join(t.tmp.path, 'other.git'));
    await expect(other.branches.set('x', main)).rejects.toThrow('FS belongs to a different repository');
    expect(await t.store.branches.list()).toEqual(['feature/x', 'main']);
    const names: string[] = [];
    for await (const n of t.store.tags) names.push(n);
    expect(names).toEqual(['v1']);
    expect(git(t.repoPath, 'rev-parse', 'v1').trim()).toBe(main.commitHash);
    expect(String(t.store.branches)).toBe("RefDict('branches')");
    expect(String(t.store.tags)).toBe("RefDict('tags')");
    await t.store.branches.delete('feature/x');
    await expect(t.store.branches.delete('feature/x')).rejects.toBeInstanceOf(KeyNotFoundError);
    await expect(t.store.branches.get('feature/x')).rejects.toThrow('Key not found: feature/x');
    expect(await t.store.branches.has('feature/x')).toBe(false);
    expect(await t.store.branches.has('bad name')).toBe(false);
    await expect(t.store.branches.get('a..b')).rejects.toBeInstanceOf(KeyNotFoundError);
    await expect(t.store.fs('with space')).rejects.toThrow("ref not found: 'with space'");
    fsck(t.repoPath);
  });

  it('current branch handling and branch-only methods', async () => {
    const main = await t.store.branches.get('main');
    await t.store.branches.set('dev', main);
    await t.store.branches.setCurrent('dev');
    expect(git(t.repoPath, 'symbolic-ref', 'HEAD').trim()).toBe('refs/heads/dev');
    expect(await t.store.branches.getCurrentName()).toBe('dev');
    expect((await t.store.branches.getCurrent())?.refName).toBe('dev');
    await expect(t.store.branches.setCurrent('nope')).rejects.toThrow("Branch not found: 'nope'");
    await expect(t.store.tags.getCurrentName()).rejects.toThrow('Tags do not have a current branch');
    await expect(t.store.tags.reflog('x')).rejects.toThrow('Tags do not have reflog');
    await expect(t.store.branches.reflog('main')).rejects.toThrow("No reflog found for branch 'main'");
    await expect(t.store.branches.reflog('nope')).rejects.toBeInstanceOf(KeyNotFoundError);
    git(t.repoPath, 'update-ref', '--no-deref', 'HEAD', main.commitHash);
    expect(await t.store.branches.getCurrentName()).toBeNull();
    expect(await t.store.branches.getCurrent()).toBeNull();
    rmSync(join(t.repoPath, 'HEAD'));
    await expect(t.store.branches.getCurrentName()).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('retryWrite and writer permissions', () => {
  it('writes with retries, propagates missing branches', async () => {
    const fs = await retryWrite(t.store, 'main', 'r.txt', Buffer.from('r'), { message: 'retry {default}', retries: 0 });
    expect(await fs.readText('r.txt')).toBe('r');
    expect(git(t.repoPath, 'log', '-1', '--format=%s').trim()).toBe('retry + r.txt');
    await expect(retryWrite(t.store, 'nope', 'r.txt', Buffer.from('r'))).rejects.toBeInstanceOf(KeyNotFoundError);
    const tag = await t.store.tags.setAndGet('t', fs);
    expect(() => tag.writer('x')).toThrow(PermissionError);
  });
});
