import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { GitStore, FileType, MODE_BLOB_EXEC, KeyNotFoundError, PermissionError } from '../../../src/index.js';
import { fsck, git, lsTree, tempDir, type TempDir } from './helpers.js';

let tmp: TempDir;
let repoPath: string;

beforeEach(() => {
  tmp = tempDir();
  repoPath = join(tmp.path, 'repo.git');
});
afterEach(() => tmp.cleanup());

describe('GitStore.open', () => {
  it('creates a bare repo with an initial empty commit that git accepts', async () => {
    const store = await GitStore.open(repoPath);
    fsck(repoPath);
    expect(git(repoPath, 'symbolic-ref', 'HEAD').trim()).toBe('refs/heads/main');
    expect(git(repoPath, 'log', '--format=%an <%ae>|%s', 'main').trim()).toBe('vost <vost@localhost>|Initialize main');
    expect(git(repoPath, 'cat-file', '-p', 'main^{tree}')).toBe('');
    const raw = git(repoPath, 'cat-file', 'commit', 'main');
    expect(raw).toMatch(/^committer vost <vost@localhost> \d+ \+0000\nencoding UTF-8\n\nInitialize main\n$/m);
    expect(raw.endsWith('Initialize main\n')).toBe(true);
    expect(existsSync(join(repoPath, 'logs/refs/heads/main'))).toBe(false);
    expect(String(store)).toBe(`GitStore('${repoPath}')`);
    expect(await store.branches.list()).toEqual(['main']);
  });

  it('rejects a missing repo with create:false', async () => {
    await expect(GitStore.open(repoPath, { create: false })).rejects.toThrow(`Repository not found: ${repoPath}`);
  });

  it('branch:null creates no branch', async () => {
    const store = await GitStore.open(repoPath, { branch: null });
    expect(await store.branches.list()).toEqual([]);
    expect(await store.branches.getCurrent()).toBeNull();
  });

  it('writes compression settings to config', async () => {
    await GitStore.open(repoPath);
    await GitStore.open(repoPath, { compression: 1, bigFileThreshold: 1024 });
    expect(git(repoPath, 'config', 'core.compression').trim()).toBe('1');
    expect(git(repoPath, 'config', 'core.bigFileThreshold').trim()).toBe('1024');
  });
});

describe('writes are commits git can read', () => {
  it('write, writeText, symlink, executable, nested paths', async () => {
    const store = await GitStore.open(repoPath, { author: 'Ann', email: 'ann@example.com' });
    let fs = await store.branches.get('main');
    fs = await fs.write('a.txt', Buffer.from('hello\n'));
    expect(fs.changes?.add).toEqual([{ path: 'a.txt', type: 'blob', src: undefined }]);
    fs = await fs.writeText('dir/sub/b.txt', 'bee');
    fs = await fs.write('run.sh', Buffer.from('#!/bin/sh\n'), { mode: FileType.EXECUTABLE });
    fs = await fs.writeSymlink('link', 'a.txt');
    fs = await fs.write('x.bin', Buffer.from([0, 1, 2]), { mode: MODE_BLOB_EXEC, message: 'custom {default} {op}!' });
    fsck(repoPath);
    const tree = lsTree(repoPath, 'main').map((l) => l.replace(/ [0-9a-f]{40}\t/, ' '));
    expect(tree).toEqual([
      '100644 blob a.txt',
      '100644 blob dir/sub/b.txt',
      '120000 blob link',
      '100755 blob run.sh',
      '100755 blob x.bin',
    ]);
    expect(git(repoPath, 'cat-file', 'blob', 'main:link')).toBe('a.txt');
    expect(git(repoPath, 'log', '--format=%s', 'main').trim().split('\n')).toEqual([
      'custom + x.bin (executable) !',
      '+ link (link)',
      '+ run.sh (executable)',
      '+ dir/sub/b.txt',
      '+ a.txt',
      'Initialize main',
    ]);
    expect(git(repoPath, 'log', '-1', '--format=%an|%ae|%cn|%ce', 'main').trim()).toBe('Ann|ann@example.com|Ann|ann@example.com');
    const reflog = await store.branches.reflog('main');
    expect(reflog.map((e) => e.message)).toEqual([
      'commit: + a.txt',
      'commit: + dir/sub/b.txt',
      'commit: + run.sh (executable)',
      'commit: + link (link)',
      'commit: custom + x.bin (executable) !',
    ]);
    expect(reflog[0].committer).toBe('Ann <ann@example.com>');
    expect(await fs.readText('dir/sub/b.txt')).toBe('bee');
    expect(await fs.readlink('link')).toBe('a.txt');
    expect(await fs.fileType('run.sh')).toBe('executable');
  });

  it('no-op write returns the same snapshot and creates no commit', async () => {
    const store = await GitStore.open(repoPath);
    const fs1 = await (await store.branches.get('main')).writeText('a', 'x');
    const fs2 = await fs1.writeText('a', 'x');
    expect(fs2).toBe(fs1);
    expect(git(repoPath, 'rev-list', '--count', 'main').trim()).toBe('2');
  });

  it('replaces a file by a directory and prunes empty directories', async () => {
    const store = await GitStore.open(repoPath);
    let fs = await (await store.branches.get('main')).writeText('a', 'file');
    fs = await fs.writeText('a/b/c', 'deep');
    expect(lsTree(repoPath, 'main').map((l) => l.split('\t')[1])).toEqual(['a/b/c']);
    fs = await fs.apply({ 'keep.txt': 'k' }, ['a/b/c']);
    expect(lsTree(repoPath, 'main').map((l) => l.split('\t')[1])).toEqual(['keep.txt']);
    expect(await fs.exists('a')).toBe(false);
    fs = await fs.apply(null, 'keep.txt');
    expect(git(repoPath, 'cat-file', '-p', 'main^{tree}')).toBe('');
    fsck(repoPath);
  });

  it('tags are read-only and hashes give detached snapshots', async () => {
    const store = await GitStore.open(repoPath);
    const fs = await (await store.branches.get('main')).writeText('a', '1');
    await store.tags.set('v1', fs);
    const tag = await store.tags.get('v1');
    expect(tag.writable).toBe(false);
    await expect(tag.writeText('b', '2')).rejects.toBeInstanceOf(PermissionError);
    await expect(tag.writeText('b', '2')).rejects.toThrow("Cannot write to read-only snapshot (ref 'v1')");
    const byHash = await store.fs(fs.commitHash.slice(0, 8));
    expect(byHash.commitHash).toBe(fs.commitHash);
    expect(byHash.refName).toBeNull();
    expect(String(byHash)).toBe(`FS(commit=${fs.commitHash.slice(0, 7)}, readonly)`);
    await expect(store.fs('nope')).rejects.toBeInstanceOf(KeyNotFoundError);
    await expect(store.fs(fs.treeHash)).rejects.toBeInstanceOf(KeyNotFoundError);
    expect((await store.fs('main', { back: 1 })).commitHash).toBe(git(repoPath, 'rev-parse', 'main~1').trim());
  });
});
