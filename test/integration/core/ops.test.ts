import { beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { GitStore, FileNotFoundError, IsADirectoryError, PermissionError, type FS } from '../../../src/index.js';
import { fsck, git, lsTree, useTempStore } from './helpers.js';

const t = useTempStore();
let base: FS;

beforeEach(async () => {
  base = await (await t.store.branches.get('main')).apply({
    'a.txt': 'a',
    'dir/b.txt': 'b',
    'dir/sub/c.txt': 'c',
    'run.sh': { data: 'x', mode: 'executable' },
  });
});

const tree = (ref = 'main') =>
  lsTree(t.repoPath, ref).map((l) => {
    const [meta, path] = l.split('\t');
    return `${meta.split(' ')[0]} ${path}`;
  });

describe('remove', () => {
  it('removes files and (recursively) directories', async () => {
    let fs = await base.remove('a.txt');
    expect(git(t.repoPath, 'log', '-1', '--format=%s').trim()).toBe('- a.txt');
    expect(fs.changes?.delete).toEqual([{ path: 'a.txt', type: 'blob', src: 'a.txt' }]);
    await expect(fs.remove('dir')).rejects.toThrow('Is a directory: dir is a directory (use recursive=true)');
    await expect(fs.remove('nope')).rejects.toBeInstanceOf(FileNotFoundError);
    fs = await fs.remove(['dir/'], { recursive: true });
    expect(git(t.repoPath, 'log', '-1', '--format=%s').trim()).toBe('Batch rm: -2');
    expect(tree()).toEqual(['100755 run.sh']);
    fsck(t.repoPath);
  });

  it('dry run reports without committing', async () => {
    const fs = await base.remove('dir', { recursive: true, dryRun: true });
    expect(fs).toBe(base);
    expect(fs.changes?.delete.map((e) => e.path)).toEqual(['dir/b.txt', 'dir/sub/c.txt']);
    expect(git(t.repoPath, 'rev-parse', 'main').trim()).toBe(base.commitHash);
  });
});

describe('move', () => {
  it('renames a file reusing its blob id', async () => {
    const oid = await base.objectHash('a.txt');
    const fs = await base.move('a.txt', 'renamed.txt');
    expect(await fs.objectHash('renamed.txt')).toBe(oid);
    expect(await fs.exists('a.txt')).toBe(false);
    expect(git(t.repoPath, 'log', '-1', '--format=%s').trim()).toBe('Batch mv: +1 -1');
  });

  it('renames a directory and moves into an existing directory', async () => {
    let fs = await base.move('dir', 'moved', { recursive: true });
    expect(tree()).toEqual(['100644 a.txt', '100644 moved/b.txt', '100644 moved/sub/c.txt', '100755 run.sh']);
    fs = await fs.move(['a.txt', 'run.sh'], 'moved/');
    expect(tree()).toEqual(['100644 moved/a.txt', '100644 moved/b.txt', '100755 moved/run.sh', '100644 moved/sub/c.txt']);
    await expect(fs.move('moved', 'x')).rejects.toBeInstanceOf(IsADirectoryError);
    await expect(fs.move('moved/a.txt', 'moved/a.txt')).rejects.toThrow('Source and destination are the same: moved/a.txt');
    fsck(t.repoPath);
  });
});

describe('copyFromRef', () => {
  it('copies between branches by id, with delete and dry run', async () => {
    await t.store.branches.set('other', base);
    let other = await t.store.branches.get('other');
    other = await other.apply({ 'dir/new.txt': 'n' }, ['dir/sub/c.txt']);
    const main = await t.store.branches.get('main');
    const dry = await main.copyFromRef('other', 'dir', '', { delete: true, dryRun: true });
    expect(dry).toBe(main);
    expect(dry.changes?.add.map((e) => e.path)).toEqual(['dir/new.txt']);
    expect(dry.changes?.delete.map((e) => e.path)).toEqual(['dir/sub/c.txt']);
    const out = await main.copyFromRef(other, ['dir'], '', { delete: true });
    expect(tree()).toEqual(['100644 a.txt', '100644 dir/b.txt', '100644 dir/new.txt', '100755 run.sh']);
    expect(git(t.repoPath, 'log', '-1', '--format=%s').trim()).toBe('Batch cp: +1 -1');
    const under = await out.copyFromRef(other, 'dir/', 'copy');
    expect(await under.ls('copy')).toEqual(['b.txt', 'new.txt']);
    await expect(out.copyFromRef('nope')).rejects.toThrow("Cannot resolve 'nope': not a branch or tag");
    const tag = await t.store.tags.setAndGet('t', base);
    await expect(tag.copyFromRef('other')).rejects.toBeInstanceOf(PermissionError);
    const elsewhere = await GitStore.open(join(t.tmp.path, 'other.git'));
    await expect(out.copyFromRef(await elsewhere.branches.get('main'))).rejects.toThrow('source must belong to the same repo as self');
    fsck(t.repoPath);
  });
});
