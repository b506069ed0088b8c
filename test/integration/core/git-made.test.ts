import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mkdirSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { GitStore, FileNotFoundError, IsADirectoryError, NotADirectoryError, InvalidPathError } from '../../../src/index.js';
import { git, tempDir, type TempDir } from './helpers.js';

let tmp: TempDir;
let bare: string;
let commits: { first: string; second: string; merge: string };

/** A repo built by git itself: nested files, exec bit, symlink, merge, tags, then packed. */
beforeAll(() => {
  tmp = tempDir();
  const work = join(tmp.path, 'work');
  mkdirSync(work);
  git(work, 'init', '-q', '-b', 'main');
  mkdirSync(join(work, 'docs/api'), { recursive: true });
  writeFileSync(join(work, 'README.md'), '# readme\n');
  writeFileSync(join(work, 'docs/api/index.md'), 'api\n');
  writeFileSync(join(work, 'docs/.hidden'), 'h\n');
  writeFileSync(join(work, 'tool.sh'), '#!/bin/sh\necho hi\n');
  chmodSync(join(work, 'tool.sh'), 0o755);
  symlinkSync('README.md', join(work, 'link'));
  git(work, 'add', '-A');
  git(work, 'commit', '-q', '-m', 'first');
  const first = git(work, 'rev-parse', 'HEAD').trim();
  git(work, 'checkout', '-q', '-b', 'side');
  writeFileSync(join(work, 'side.txt'), 'side\n');
  git(work, 'add', '-A');
  git(work, 'commit', '-q', '-m', 'side work');
  git(work, 'checkout', '-q', 'main');
  writeFileSync(join(work, 'README.md'), '# readme v2\n');
  git(work, 'commit', '-q', '-am', 'second');
  const second = git(work, 'rev-parse', 'HEAD').trim();
  git(work, 'merge', '-q', '--no-ff', '-m', 'merge side', 'side');
  const merge = git(work, 'rev-parse', 'HEAD').trim();
  git(work, 'tag', 'light', first);
  git(work, 'tag', '-a', '-m', 'annotated', 'v1', second);
  bare = join(tmp.path, 'bare.git');
  git(tmp.path, 'clone', '-q', '--bare', work, bare);
  git(bare, 'gc', '-q', '--aggressive', '--prune=now');
  commits = { first, second, merge };
});
afterAll(() => tmp.cleanup());

describe('reading repos made by git (loose objects, loose refs)', () => {
  it('reads a non-bare .git directory before any gc', async () => {
    const gitdir = join(tmp.path, 'work/.git');
    expect(git(gitdir, 'count-objects', '-v')).toMatch(/^in-pack: 0$/m);
    const store = await GitStore.open(gitdir, { create: false });
    expect(await store.branches.list()).toEqual(['main', 'side']);
    const fs = await store.branches.get('main');
    expect(fs.commitHash).toBe(commits.merge);
    expect(await fs.readText('docs/api/index.md')).toBe('api\n');
    expect((await store.tags.get('v1')).commitHash).toBe(commits.second);
    expect(await fs.ls('', { recursive: true })).toEqual(['README.md', 'link', 'side.txt', 'tool.sh', 'docs/.hidden', 'docs/api/index.md']);
  });
});

describe('reading repos made by git (packed objects, packed-refs)', () => {
  it('lists branches and tags from packed-refs', async () => {
    const store = await GitStore.open(bare, { create: false });
    expect(await store.branches.list()).toEqual(['main', 'side']);
    expect(await store.tags.list()).toEqual(['light', 'v1']);
    expect(await store.branches.getCurrentName()).toBe('main');
  });

  it('peels annotated tags to their commit', async () => {
    const store = await GitStore.open(bare, { create: false });
    const v1 = await store.tags.get('v1');
    expect(v1.commitHash).toBe(commits.second);
    expect(await v1.readText('README.md')).toBe('# readme v2\n');
    expect((await store.tags.get('light')).commitHash).toBe(commits.first);
    expect((await store.fs('v1')).commitHash).toBe(commits.second);
  });

  it('reads files, modes, links, sizes and stats', async () => {
    const store = await GitStore.open(bare, { create: false });
    const fs = await store.branches.get('main');
    expect(fs.commitHash).toBe(commits.merge);
    expect(await fs.ls()).toEqual(['README.md', 'docs', 'link', 'side.txt', 'tool.sh']);
    expect(await fs.fileType('tool.sh')).toBe('executable');
    expect(await fs.fileType('link')).toBe('link');
    expect(await fs.fileType('docs')).toBe('tree');
    expect(await fs.readlink('link')).toBe('README.md');
    expect(await fs.size('README.md')).toBe(12);
    expect(Buffer.from(await fs.read('README.md', { offset: 2, size: 6 })).toString()).toBe('readme');
    expect(Buffer.from(await fs.read('README.md', { offset: 9 })).toString()).toBe('v2\n');
    const st = await fs.stat('docs');
    expect(st).toMatchObject({ mode: 0o40000, fileType: 'tree', size: 0, nlink: 3 });
    expect(st.hash).toBe(git(bare, 'rev-parse', 'main:docs').trim());
    const root = await fs.stat();
    expect(root.hash).toBe(fs.treeHash);
    expect(root.mtime).toBe(Number(git(bare, 'log', '-1', '--format=%ct', 'main').trim()));
    expect((await fs.stat('tool.sh')).mode).toBe(0o100755);
    expect(await fs.objectHash('docs/api/index.md')).toBe(git(bare, 'rev-parse', 'main:docs/api/index.md').trim());
    expect(await store.hasHash(await fs.objectHash('README.md'))).toBe(true);
    expect(await store.hasHash(fs.treeHash)).toBe(false);
    expect(Buffer.from(await store.readByHash(await fs.objectHash('README.md'), { size: 1 })).toString()).toBe('#');
    const info = await fs.getCommitInfo();
    expect(info.message).toBe('merge side');
    expect(info.authorName).toBe('Tester');
  });

  it('walks, lists recursively and lists directories', async () => {
    const fs = await (await GitStore.open(bare, { create: false })).branches.get('main');
    const walked: Array<[string, string[], string[]]> = [];
    for await (const [dir, dirs, files] of fs.walk()) walked.push([dir, [...dirs], files.map((f) => f.name)]);
    expect(walked).toEqual([
      ['', ['docs'], ['README.md', 'link', 'side.txt', 'tool.sh']],
      ['docs', ['api'], ['.hidden']],
      ['docs/api', [], ['index.md']],
    ]);
    expect(await fs.ls('docs', { recursive: true })).toEqual(['docs/.hidden', 'docs/api/index.md']);
    expect((await fs.listdir('docs')).map((e) => [e.name, e.mode])).toEqual([
      ['.hidden', '100644'],
      ['api', '040000'],
    ]);
  });

  it('history follows first parents through merges', async () => {
    const fs = await (await GitStore.open(bare, { create: false })).branches.get('main');
    const msgs: string[] = [];
    for await (const s of fs.log()) msgs.push(await s.getMessage());
    expect(msgs).toEqual(['merge side', 'second', 'first']);
    const parent = await fs.getParent();
    expect(parent?.commitHash).toBe(commits.second);
    expect((await fs.back(2)).commitHash).toBe(commits.first);
    await expect(fs.back(3)).rejects.toThrow('Cannot go back 3 commits - history too short');
    await expect(fs.back(-1)).rejects.toThrow('back() requires n >= 0, got -1');
    const readme: string[] = [];
    for await (const s of fs.log({ path: 'README.md' })) readme.push(await s.getMessage());
    expect(readme).toEqual(['second', 'first']);
    const matched: string[] = [];
    for await (const s of fs.log({ match: 's*' })) matched.push(await s.getMessage());
    expect(matched).toEqual(['second']);
  });

  it('typed errors for bad paths', async () => {
    const fs = await (await GitStore.open(bare, { create: false })).branches.get('main');
    await expect(fs.read('missing')).rejects.toBeInstanceOf(FileNotFoundError);
    await expect(fs.read('missing')).rejects.toMatchObject({ code: 'ENOENT', message: 'File not found: missing' });
    await expect(fs.read('docs')).rejects.toBeInstanceOf(IsADirectoryError);
    await expect(fs.read('README.md/x')).rejects.toBeInstanceOf(NotADirectoryError);
    await expect(fs.read('README.md/x')).rejects.toThrow('Not a directory: README.md');
    await expect(fs.ls('README.md')).rejects.toMatchObject({ code: 'ENOTDIR' });
    await expect(fs.ls('nope')).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(fs.read('../x')).rejects.toBeInstanceOf(InvalidPathError);
    await expect(fs.exists('')).rejects.toBeInstanceOf(InvalidPathError);
    await expect(fs.read('a//b')).rejects.toThrow("Empty segment in path: 'a//b'");
    await expect(fs.readlink('README.md')).rejects.toThrow('Not a symlink: README.md');
    expect(await fs.exists('README.md/x')).toBe(false);
    expect(await fs.isDir('docs')).toBe(true);
    expect(await fs.isDir('missing')).toBe(false);
  });

  it('glob follows the dotfile and ** rules', async () => {
    const fs = await (await GitStore.open(bare, { create: false })).branches.get('main');
    expect(await fs.glob('*')).toEqual(['README.md', 'docs', 'link', 'side.txt', 'tool.sh']);
    expect(await fs.glob('docs/*')).toEqual(['docs/api']);
    expect(await fs.glob('docs/.*')).toEqual(['docs/.hidden']);
    expect(await fs.glob('docs/.hidden')).toEqual(['docs/.hidden']);
    expect(await fs.glob('**/*.md')).toEqual(['README.md', 'docs/api/index.md']);
    expect(await fs.glob('**')).toEqual(['README.md', 'docs', 'docs/api', 'docs/api/index.md', 'link', 'side.txt', 'tool.sh']);
    expect(await fs.glob('[rs]*')).toEqual(['side.txt']);
    expect(await fs.glob('[!a-z]*')).toEqual(['README.md']);
    expect(await fs.glob('s?de.txt')).toEqual(['side.txt']);
    expect(await fs.glob('docs/./api/*')).toEqual(['docs/./api/index.md']);
    expect(await fs.glob('')).toEqual([]);
    expect(await fs.glob('./docs/api/*.md')).toEqual(['docs/api/index.md']);
    expect(await fs.glob('/docs/api/')).toEqual(['docs/api']);
  });
});
