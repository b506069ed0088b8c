import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, errLine, fsckClean, git, headMessage, lsTree, makeRepo, tempDir, vost } from './helpers.js';

let base: string;
beforeAll(() => {
  base = tempDir();
});
afterAll(() => cleanup(base));

const FILES = {
  'one.txt': 'one\n',
  'two.txt': 'two\n',
  'run.sh': { exec: '#!/bin/sh\n' },
  'ln': { link: 'one.txt' },
  'src/hello.txt': 'hello\n',
  'src/.dot': 'dot\n',
  'd/sub/w.txt': 'w\n',
  'd/top.txt': 't\n',
};

function fresh(name: string): string {
  const repo = makeRepo(base, [{ message: 'seed', files: FILES }], name);
  git(repo, ['update-ref', 'refs/heads/dev', 'main']);
  git(repo, ['update-ref', 'refs/tags/v0', 'main']);
  return repo;
}

describe('mv: renames and moves', () => {
  let repo: string;
  const mv = (...args: string[]) => vost(['mv', ...args], { repo });
  beforeAll(() => {
    repo = fresh('mv.git');
  });

  it('renames a file, keeping its object id and mode', async () => {
    const before = lsTree(repo);
    expect(await mv(':run.sh', ':bin/run')).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const after = lsTree(repo);
    expect(after.get('bin/run')).toEqual(before.get('run.sh'));
    expect(after.has('run.sh')).toBe(false);
    expect(headMessage(repo)).toBe('Batch mv: +1 -1');
    expect((await mv(':ln', ':link2')).code).toBe(0);
    expect(lsTree(repo).get('link2')).toEqual(before.get('ln'));
    expect(fsckClean(repo)).toBe(true);
  });

  it('moves into an existing directory or a DEST with a trailing slash', async () => {
    expect(await vost(['-v', 'mv', ':one.txt', ':src'], { repo })).toMatchObject({ code: 0, stderr: 'Moved 1 -> 1 file(s)\n' });
    expect(lsTree(repo).has('src/one.txt')).toBe(true);
    expect((await mv(':two.txt', ':newdir/')).code).toBe(0);
    expect(lsTree(repo).has('newdir/two.txt')).toBe(true);
    expect((await mv(':newdir/two.txt', ':')).code).toBe(0);
    expect(lsTree(repo).has('two.txt')).toBe(true);
  });

  it('renames a directory with -R and moves one into a directory', async () => {
    const before = lsTree(repo);
    expect((await mv('-R', ':d', ':e')).code).toBe(0);
    let t = lsTree(repo);
    expect(t.get('e/sub/w.txt')).toEqual(before.get('d/sub/w.txt'));
    expect(t.get('e/top.txt')).toEqual(before.get('d/top.txt'));
    expect([...t.keys()].some((k) => k.startsWith('d/'))).toBe(false);
    expect(headMessage(repo)).toBe('Batch mv: +2 -2');
    expect((await mv('-R', ':e/sub/', ':newd/')).code).toBe(0);
    t = lsTree(repo);
    expect(t.has('newd/sub/w.txt')).toBe(true);
    expect(fsckClean(repo)).toBe(true);
  });

  it('moves several sources and globs into a directory', async () => {
    expect((await mv(':src/*.txt', ':two.txt', ':all')).code).toBe(0);
    const t = lsTree(repo);
    expect(t.has('all/hello.txt') && t.has('all/one.txt') && t.has('all/two.txt')).toBe(true);
    expect(t.has('src/.dot')).toBe(true);
    expect(headMessage(repo)).toBe('Batch mv: +3 -3');
  });

  it('renames the single match of a glob (POSIX rule)', async () => {
    expect(await mv(':src/*', ':solo.txt')).toMatchObject({ code: 1, stderr: errLine('No matches for pattern in repo: src/*') });
    expect((await mv(':all/h*', ':solo.txt')).code).toBe(0);
    expect(lsTree(repo).has('solo.txt')).toBe(true);
    expect((await mv(':src/.*', ':solo2')).code).toBe(0);
    expect(lsTree(repo).has('solo2')).toBe(true);
  });
});

describe('mv: dry run, options and errors', () => {
  let repo: string;
  const mv = (...args: string[]) => vost(['mv', ...args], { repo });
  beforeAll(() => {
    repo = fresh('mv2.git');
  });

  it('prints a merged, sorted dry-run plan and commits nothing', async () => {
    const before = git(repo, ['rev-parse', 'main']);
    expect(await mv('-n', ':one.txt', ':src')).toMatchObject({ code: 0, stdout: '- :one.txt\n+ :src/one.txt\n', stderr: '' });
    expect((await mv('--dry-run', '-R', ':d', ':x/')).stdout).toBe('- :d/sub/w.txt\n- :d/top.txt\n+ :x/d/sub/w.txt\n+ :x/d/top.txt\n');
    expect(git(repo, ['rev-parse', 'main'])).toBe(before);
  });

  it('uses -m, --tag, --parent and explicit branches', async () => {
    const tip = git(repo, ['rev-parse', 'main']);
    const dev = git(repo, ['rev-parse', 'dev']);
    expect((await mv(':one.txt', ':uno.txt', '-m', 'renamed {total_count}', '--tag', 'mvd', '--parent', 'dev')).code).toBe(0);
    expect(headMessage(repo)).toBe('renamed 2');
    expect(git(repo, ['rev-parse', 'mvd'])).toBe(git(repo, ['rev-parse', 'main']));
    expect(git(repo, ['log', '-1', '--format=%P', 'main'])).toBe(`${tip} ${dev}`);
    expect(await mv(':two.txt', ':dos.txt', '--tag', 'mvd')).toMatchObject({
      code: 1,
      stderr: errLine('Tag already exists: mvd (use --force-tag to overwrite)'),
    });
    expect((await mv(':uno.txt', ':one.txt', '--tag', 'mvd', '--force-tag')).code).toBe(0);
    expect(git(repo, ['rev-parse', 'mvd'])).toBe(git(repo, ['rev-parse', 'main']));
    expect(lsTree(repo).has('one.txt')).toBe(true);
    expect((await mv('dev:two.txt', 'dev:dos.txt')).code).toBe(0);
    expect(lsTree(repo, 'dev').has('dos.txt')).toBe(true);
    expect(lsTree(repo, 'main').has('two.txt')).toBe(true);
    expect((await mv('-b', 'dev', ':dos.txt', ':tres.txt')).code).toBe(0);
    expect(lsTree(repo, 'dev').has('tres.txt')).toBe(true);
    expect(fsckClean(repo)).toBe(true);
  });

  it('reports the spec errors and commits nothing', async () => {
    const before = git(repo, ['for-each-ref']);
    const cases: [string[], string][] = [
      [['two.txt', ':x'], 'All paths must be repo paths (colon prefix required): two.txt'],
      [[':two.txt', 'x'], 'All paths must be repo paths (colon prefix required): x'],
      [[':two.txt'], 'mv requires at least two arguments (SRC... DEST)'],
      [['~1:two.txt', ':x'], 'Cannot move to/from a historical commit (remove ~N)'],
      [[':two.txt', 'main~1:x'], 'Cannot move to/from a historical commit (remove ~N)'],
      [['v0:two.txt', 'v0:x'], "Cannot move in tag 'v0' — use a branch"],
      [['main:two.txt', 'dev:x'], 'All paths must target the same branch'],
      [[':nope', ':x'], 'File not found in repo: nope'],
      [[':*.zzz', ':x'], 'No matches for pattern in repo: *.zzz'],
      [['--no-glob', ':*.txt', ':x'], 'File not found in repo: *.txt'],
      [[':two.txt', ':two.txt'], 'Source and destination are the same: two.txt'],
      [['nope:a', 'nope:b'], 'Branch not found: nope'],
    ];
    for (const [args, msg] of cases) expect(await mv(...args), args.join(' ')).toMatchObject({ code: 1, stderr: errLine(msg) });
    const dir = await mv(':d', ':e');
    expect(dir.code).toBe(1);
    expect(dir.stderr).toMatch(/^Error: d is a directory.*use -R to move recursively\n$/);
    expect(git(repo, ['for-each-ref'])).toBe(before);
    expect((await mv()).code).toBe(2);
  });
});
