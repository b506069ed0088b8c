import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { cleanup, commitCount, errLine, fsckClean, git, headMessage, lsTree, makeRepo, tempDir, vost } from './helpers.js';

let base: string;
beforeAll(() => {
  base = tempDir();
});
afterAll(() => cleanup(base));

const FILES = {
  'a.txt': 'a\n',
  'b.txt': 'b\n',
  'c.md': 'c\n',
  '.hidden.txt': 'h\n',
  'src/hello.txt': 'hello\n',
  'src/sub/w.txt': 'w\n',
  'keep/k.txt': 'k\n',
};

function fresh(name: string): string {
  const repo = makeRepo(base, [{ message: 'seed', files: FILES }], name);
  git(repo, ['update-ref', 'refs/heads/dev', 'main']);
  git(repo, ['update-ref', 'refs/tags/v0', 'main']);
  return repo;
}

describe('rm: removing', () => {
  let repo: string;
  const rm = (...args: string[]) => vost(['rm', ...args], { repo });
  beforeAll(() => {
    repo = fresh('rm.git');
  });

  it('removes one file in one commit with an automatic message', async () => {
    expect(await rm('a.txt')).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(headMessage(repo)).toBe('- a.txt');
    expect(lsTree(repo).has('a.txt')).toBe(false);
    expect(lsTree(repo).has('b.txt')).toBe(true);
    expect(fsckClean(repo)).toBe(true);
  });

  it('expands globs with the dotfile rule', async () => {
    const n = commitCount(repo);
    expect((await rm(':*.txt')).code).toBe(0);
    expect(commitCount(repo)).toBe(n + 1);
    expect(headMessage(repo)).toBe('- b.txt');
    expect(lsTree(repo).has('.hidden.txt')).toBe(true);
    expect(await rm('*.zzz')).toMatchObject({ code: 1, stderr: errLine('No matches for pattern in repo: *.zzz') });
  });

  it('removes directories only with -R, one commit for everything', async () => {
    const r = await rm('src');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error: src is a directory.*use -R/);
    expect((await rm('src/')).stderr).toMatch(/^Error: src is a directory.*use -R/);
    const n = commitCount(repo);
    expect(await vost(['-v', 'rm', '-R', 'src', 'c.md'], { repo })).toMatchObject({ code: 0, stdout: '', stderr: 'Removed 3 file(s)\n' });
    expect(commitCount(repo)).toBe(n + 1);
    expect(headMessage(repo)).toBe('Batch rm: -3');
    expect([...lsTree(repo).keys()]).toEqual(['.hidden.txt', 'keep/k.txt']);
    expect(fsckClean(repo)).toBe(true);
  });

  it('reports missing files and empty paths, committing nothing', async () => {
    const before = git(repo, ['rev-parse', 'main']);
    expect(await rm('nope.txt')).toMatchObject({ code: 1, stderr: errLine('File not found in repo: nope.txt') });
    expect((await rm('keep/k.txt', 'nope.txt')).code).toBe(1);
    expect(await rm('-R', ':')).toMatchObject({ code: 1, stderr: errLine('Repo path must not be empty') });
    expect(await rm('')).toMatchObject({ code: 1, stderr: errLine('Repo path must not be empty') });
    expect((await rm('../x')).stderr).toBe(errLine("Invalid repo path: Invalid path segment: '..'"));
    expect(await rm('--no-glob', '*.txt')).toMatchObject({ code: 1, stderr: errLine('File not found in repo: *.txt') });
    expect(git(repo, ['rev-parse', 'main'])).toBe(before);
    expect((await vost(['rm'], { repo })).code).toBe(2);
  });
});

describe('rm: dry run, messages, tags, parents, branches', () => {
  let repo: string;
  const rm = (...args: string[]) => vost(['rm', ...args], { repo });
  beforeAll(() => {
    repo = fresh('rm2.git');
  });

  it('prints sorted dry-run lines and commits nothing', async () => {
    const before = git(repo, ['rev-parse', 'main']);
    expect(await rm('-n', '-R', 'src', 'a.txt')).toMatchObject({
      code: 0,
      stdout: '- :a.txt\n- :src/hello.txt\n- :src/sub/w.txt\n',
      stderr: '',
    });
    expect((await rm('-nR', 'src/sub')).stdout).toBe('- :src/sub/w.txt\n');
    expect((await rm('--dry-run', 'b.txt')).stdout).toBe('- :b.txt\n');
    expect(git(repo, ['rev-parse', 'main'])).toBe(before);
  });

  it('uses -m, --tag and --parent', async () => {
    expect((await rm('a.txt', '-m', 'bye {default} {op} {delete_count}', '--tag', 'gone')).code).toBe(0);
    expect(headMessage(repo)).toBe('bye - a.txt rm 1');
    expect(git(repo, ['rev-parse', 'gone'])).toBe(git(repo, ['rev-parse', 'main']));
    const n = commitCount(repo);
    expect(await rm('b.txt', '--tag', 'gone')).toMatchObject({ code: 1, stderr: errLine('Tag already exists: gone (use --force-tag to overwrite)') });
    expect(commitCount(repo)).toBe(n);
    const tip = git(repo, ['rev-parse', 'main']);
    const dev = git(repo, ['rev-parse', 'dev']);
    expect((await rm('b.txt', '--parent', 'dev', '--tag', 'gone', '--force-tag')).code).toBe(0);
    expect(git(repo, ['log', '-1', '--format=%P', 'main'])).toBe(`${tip} ${dev}`);
    expect(git(repo, ['rev-parse', 'gone'])).toBe(git(repo, ['rev-parse', 'main']));
    expect(fsckClean(repo)).toBe(true);
  });

  it('targets -b or the explicit ref of the paths', async () => {
    expect((await rm('-b', 'dev', 'c.md')).code).toBe(0);
    expect(lsTree(repo, 'dev').has('c.md')).toBe(false);
    expect(lsTree(repo, 'main').has('c.md')).toBe(true);
    expect((await rm('-b', 'main', 'dev:keep/k.txt', ':src/hello.txt')).code).toBe(0);
    expect(lsTree(repo, 'dev').has('keep/k.txt')).toBe(false);
    expect(lsTree(repo, 'dev').has('src/hello.txt')).toBe(false);
    expect(lsTree(repo, 'main').has('keep/k.txt')).toBe(true);
  });

  it('rejects tags, history, mixed branches and missing branches or repos', async () => {
    const before = git(repo, ['for-each-ref']);
    const cases: [string[], string][] = [
      [['v0:a.txt'], "Cannot remove in tag 'v0' — use a branch"],
      [['~1:c.md'], 'Cannot write to a historical commit (remove ~N)'],
      [['main:c.md', 'dev:src/sub/w.txt'], 'All paths must target the same branch'],
      [['nope:c.md'], 'Branch not found: nope'],
      [['-b', 'nope', 'c.md'], 'Branch not found: nope'],
    ];
    for (const [args, msg] of cases) expect(await rm(...args), args.join(' ')).toMatchObject({ code: 1, stderr: errLine(msg) });
    expect(git(repo, ['for-each-ref'])).toBe(before);
    const missing = join(base, 'none.git');
    expect(await vost(['rm', 'x'], { repo: missing })).toMatchObject({ code: 1, stderr: errLine(`Repository not found: ${missing}`) });
  });
});
