import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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

describe('RefDict', () => {
  it('creates, lists, iterates and deletes branches and tags', async () => {
    const main = await (await store.branches.get('main')).writeText('a', '1', { message: 'first line\nsecond' });
    await store.branches.set('feature/x', main);
    const moved = await store.branches.setAndGet('feature/x', (await main.getParent())!);
    expect(moved.writable).toBe(true);
    expect(moved.refName).toBe('feature/x');
    expect((await store.branches.reflog('feature/x')).map((e) => e.message)).toEqual([
      'branch: Created from first line',
      'branch: set to Initialize main',
    ]);
    await store.tags.set('v1', main);
    await expect(store.tags.set('v1', main)).rejects.toThrow(new KeyExistsError("Tag 'v1' already exists"));
    // force replaces the tag in place: it never goes missing in between.
    const parent = (await main.getParent())!;
    await store.tags.set('v1', parent, { force: true });
    expect((await store.tags.get('v1')).commitHash).toBe(parent.commitHash);
    await store.tags.set('v1', main, { force: true });
    expect((await store.tags.get('v1')).commitHash).toBe(main.commitHash);
    await expect(store.branches.set('bad name', main)).rejects.toBeInstanceOf(InvalidRefNameError);
    await expect(store.branches.set('x', {} as never)).rejects.toBeInstanceOf(TypeError);
    const other = await GitStore.open(join(tmp.path, 'other.git'));
    await expect(other.branches.set('x', main)).rejects.toThrow('FS belongs to a different repository');
    expect(await store.branches.list()).toEqual(['feature/x', 'main']);
    const names: string[] = [];
    for await (const n of store.tags) names.push(n);
    expect(names).toEqual(['v1']);
    expect(git(repoPath, 'rev-parse', 'v1').trim()).toBe(main.commitHash);
    expect(String(store.branches)).toBe("RefDict('branches')");
    expect(String(store.tags)).toBe("RefDict('tags')");
    await store.branches.delete('feature/x');
    await expect(store.branches.delete('feature/x')).rejects.toBeInstanceOf(KeyNotFoundError);
    await expect(store.branches.get('feature/x')).rejects.toThrow('Key not found: feature/x');
    expect(await store.branches.has('feature/x')).toBe(false);
    expect(await store.branches.has('bad name')).toBe(false);
    await expect(store.branches.get('a..b')).rejects.toBeInstanceOf(KeyNotFoundError);
    await expect(store.fs('with space')).rejects.toThrow("ref not found: 'with space'");
    fsck(repoPath);
  });

  it('current branch handling and branch-only methods', async () => {
    const main = await store.branches.get('main');
    await store.branches.set('dev', main);
    await store.branches.setCurrent('dev');
    expect(git(repoPath, 'symbolic-ref', 'HEAD').trim()).toBe('refs/heads/dev');
    expect(await store.branches.getCurrentName()).toBe('dev');
    expect((await store.branches.getCurrent())?.refName).toBe('dev');
    await expect(store.branches.setCurrent('nope')).rejects.toThrow("Branch not found: 'nope'");
    await expect(store.tags.getCurrentName()).rejects.toThrow('Tags do not have a current branch');
    await expect(store.tags.reflog('x')).rejects.toThrow('Tags do not have reflog');
    await expect(store.branches.reflog('main')).rejects.toThrow("No reflog found for branch 'main'");
    await expect(store.branches.reflog('nope')).rejects.toBeInstanceOf(KeyNotFoundError);
    git(repoPath, 'update-ref', '--no-deref', 'HEAD', main.commitHash);
    expect(await store.branches.getCurrentName()).toBeNull();
    expect(await store.branches.getCurrent()).toBeNull();
    rmSync(join(repoPath, 'HEAD'));
    await expect(store.branches.getCurrentName()).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('retryWrite and writer permissions', () => {
  it('writes with retries, propagates missing branches', async () => {
    const fs = await retryWrite(store, 'main', 'r.txt', Buffer.from('r'), { message: 'retry {default}', retries: 0 });
    expect(await fs.readText('r.txt')).toBe('r');
    expect(git(repoPath, 'log', '-1', '--format=%s').trim()).toBe('retry + r.txt');
    await expect(retryWrite(store, 'nope', 'r.txt', Buffer.from('r'))).rejects.toBeInstanceOf(KeyNotFoundError);
    const tag = await store.tags.setAndGet('t', fs);
    expect(() => tag.writer('x')).toThrow(PermissionError);
  });
});
