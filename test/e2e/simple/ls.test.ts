import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { cleanup, errLine, git, tempDir, vost } from './helpers.js';
import { makeReadFixture } from './fixture.js';

let base: string;
let repo: string;
const ls = (...args: string[]) => vost(['ls', ...args], { repo });
const lines = (...names: string[]) => names.map((n) => `${n}\n`).join('');
const oid = (rev: string) => git(repo, ['rev-parse', rev]);

beforeAll(() => {
  base = tempDir();
  repo = makeReadFixture(base);
});
afterAll(() => cleanup(base));

describe('ls: plain listings', () => {
  it('lists the root, a directory by bare names, a file by its full path', async () => {
    const root = lines('bin.dat', 'one.txt', 'src', 'two.txt');
    for (const args of [[], [':'], ['']]) {
      expect(await ls(...args)).toMatchObject({ code: 0, stdout: root, stderr: '' });
    }
    const src = lines('.dotfile', '.hid', 'hello.txt', 'link', 'run.sh', 'sub');
    for (const p of ['src', ':src', 'src/', ':/src/', 'main:src']) expect((await ls(p)).stdout).toBe(src);
    expect((await ls('src/sub')).stdout).toBe(lines('deep.txt'));
    expect((await ls('one.txt')).stdout).toBe(lines('one.txt'));
    expect((await ls(':src/hello.txt')).stdout).toBe(lines('src/hello.txt'));
  });

  it('merges several paths into one sorted, de-duplicated set', async () => {
    expect((await ls('two.txt', 'src/sub', 'one.txt', 'one.txt')).stdout).toBe(lines('deep.txt', 'one.txt', 'two.txt'));
  });

  it('fails on a missing path, and on a path below a file', async () => {
    expect(await ls('nope')).toMatchObject({ code: 1, stdout: '', stderr: errLine('Path not found: nope') });
    expect(await ls('one.txt/x')).toMatchObject({ code: 1, stderr: errLine('Path not found: one.txt/x') });
    expect(await ls('..')).toMatchObject({ code: 1, stderr: errLine("Invalid repo path: Invalid path segment: '..'") });
  });
});

describe('ls: -R and -l', () => {
  it('lists files recursively with full paths', async () => {
    expect((await ls('-R', 'src')).stdout).toBe(
      lines('src/.dotfile', 'src/.hid/x', 'src/hello.txt', 'src/link', 'src/run.sh', 'src/sub/deep.txt'),
    );
    expect((await ls('--recursive', 'one.txt')).stdout).toBe(lines('one.txt'));
    const all = (await ls('-R')).stdout.trim().split('\n');
    expect(all).toEqual(git(repo, ['ls-tree', '-r', '--name-only', 'main']).split('\n').sort());
  });

  it('prints hash, aligned size and name, with / on directories and -> on links', async () => {
    const h = (p: string) => oid(`main:src/${p}`).slice(0, 7);
    const expected = [
      `${h('.dotfile')}   4  .dotfile`,
      `${h('.hid')}      .hid/`,
      `${h('hello.txt')}   6  hello.txt`,
      `${h('link')}   9  link -> hello.txt`,
      `${h('run.sh')}  10  run.sh`,
      `${h('sub')}      sub/`,
    ];
    expect(await ls('-l', 'src')).toMatchObject({ code: 0, stdout: lines(...expected), stderr: '' });
    expect((await ls('--long', ':src')).stdout).toBe(lines(...expected));
    const full = (await ls('-l', '--full-hash', 'src/sub')).stdout;
    expect(full).toBe(`${oid('main:src/sub/deep.txt')}  5  deep.txt\n`);
    expect((await ls('--full-hash', 'src/sub')).stdout).toBe(lines('deep.txt'));
  });

  it('accepts combined short flags', async () => {
    const rl = (await ls('-Rl', 'src/sub')).stdout;
    expect(rl).toBe(`${oid('main:src/sub/deep.txt').slice(0, 7)}  5  src/sub/deep.txt\n`);
    expect((await ls('-lR', 'src/sub')).stdout).toBe(rl);
  });
});

describe('ls: globs', () => {
  it('expands globs with the dotfile rules, directories included without a slash', async () => {
    expect((await ls('src/*')).stdout).toBe(lines('src/hello.txt', 'src/link', 'src/run.sh', 'src/sub'));
    expect((await ls(':src/.*')).stdout).toBe(lines('src/.dotfile', 'src/.hid'));
    expect((await ls('*.txt')).stdout).toBe(lines('one.txt', 'two.txt'));
    expect((await ls('?ne.txt', 'src/s?b')).stdout).toBe(lines('one.txt', 'src/sub'));
    expect((await ls('**/deep.txt')).stdout).toBe(lines('src/sub/deep.txt'));
  });

  it('replaces matched directories by their files under -R', async () => {
    expect((await ls('-R', 'src/*')).stdout).toBe(lines('src/hello.txt', 'src/link', 'src/run.sh', 'src/sub/deep.txt'));
  });

  it('keeps directory names bare under -l and sizes the column from the matches', async () => {
    const h = (p: string) => oid(`main:${p}`).slice(0, 7);
    expect((await ls('-l', 'src/[rs]*')).stdout).toBe(lines(`${h('src/run.sh')}  10  src/run.sh`, `${h('src/sub')}      src/sub`));
    expect((await ls('-l', 'src/s*')).stdout).toBe(lines(`${h('src/sub')}    src/sub`));
  });

  it('adds nothing for an unmatched glob and treats wildcards literally with --no-glob', async () => {
    expect(await ls('*.zzz')).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect((await ls('*.zzz', 'one.txt')).stdout).toBe(lines('one.txt'));
    expect(await ls('--no-glob', '*.txt')).toMatchObject({ code: 1, stderr: errLine('Path not found: *.txt') });
  });
});

describe('ls: --format', () => {
  it('prints names as a JSON array or one JSON string per line', async () => {
    expect((await ls('--format', 'json')).stdout).toBe('["bin.dat", "one.txt", "src", "two.txt"]\n');
    expect((await ls('--format=jsonl', 'src/sub')).stdout).toBe('"deep.txt"\n');
    expect((await ls('--format', 'jsonl', '*.zzz')).stdout).toBe('');
    expect((await ls('--format', 'text', 'src/sub')).stdout).toBe('deep.txt\n');
  });

  it('prints long entries as objects with keys in spec order', async () => {
    const out = await ls('-l', '--format', 'jsonl', 'src');
    const rows = out.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const byName = new Map(rows.map((r) => [r.name, r]));
    expect(rows.map((r) => r.name)).toEqual(['.dotfile', '.hid/', 'hello.txt', 'link', 'run.sh', 'sub/']);
    expect(Object.keys(byName.get('hello.txt')!)).toEqual(['name', 'hash', 'size', 'type']);
    expect(byName.get('hello.txt')).toEqual({ name: 'hello.txt', hash: oid('main:src/hello.txt'), size: 6, type: 'blob' });
    expect(byName.get('run.sh')).toMatchObject({ size: 10, type: 'executable' });
    expect(Object.keys(byName.get('link')!)).toEqual(['name', 'hash', 'size', 'type', 'target']);
    expect(byName.get('link')).toMatchObject({ size: 9, type: 'link', target: 'hello.txt' });
    expect(Object.keys(byName.get('sub/')!)).toEqual(['name', 'hash', 'type']);
    expect(byName.get('sub/')).toEqual({ name: 'sub/', hash: oid('main:src/sub'), type: 'tree' });
    expect(out.stdout).toContain('"name": "hello.txt", "hash": "');
    const arr = await ls('-l', '--format', 'json', 'src');
    expect(arr.stdout.split('\n')).toHaveLength(2);
    expect(JSON.parse(arr.stdout)).toEqual(rows);
  });

  it('escapes non-ASCII like Python json.dumps', async () => {
    const t = tempDir();
    try {
      const r = join(t, 'u.git');
      expect((await vost(['write', ':caf\u00e9.txt'], { repo: r, input: 'x' })).code).toBe(0);
      expect((await vost(['ls', '--format', 'json'], { repo: r })).stdout).toBe('["caf\\u00e9.txt"]\n');
      expect((await vost(['ls'], { repo: r })).stdout).toBe('caf\u00e9.txt\n');
    } finally {
      cleanup(t);
    }
  });

  it('rejects an unknown format as a usage error', async () => {
    const r = await ls('--format', 'xml');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Invalid value for '--format': 'xml' is not one of 'text', 'json', 'jsonl'.");
  });
});

describe('ls: snapshot selection', () => {
  const firstRoot = lines('one.txt', 'src');
  it('selects older snapshots through filters, refs and ~N', async () => {
    for (const args of [
      ['--back', '1'],
      ['main~1:'],
      ['~1:'],
      ['--ref', 'v1'],
      ['-b', 'dev'],
      ['--match', 'fir*'],
      ['--path', 'src/hello.txt', '--back', '1'],
      ['--before', '2999-01-01', '--back', '1'],
      [`${oid('main~1').slice(0, 8)}:`],
    ]) {
      expect(await ls(...args), args.join(' ')).toMatchObject({ code: 0, stdout: firstRoot });
    }
    expect((await ls('--path', 'two.txt')).stdout).toBe(lines('bin.dat', 'one.txt', 'src', 'two.txt'));
    expect((await ls('main~1:', 'main:two.txt')).stdout).toBe(lines('one.txt', 'src', 'two.txt'));
  });

  it('reports filter and ref errors', async () => {
    expect((await ls('--match', 'nothing*')).stderr).toBe(errLine('No matching commits found'));
    expect((await ls('--back', '9')).stderr).toBe(errLine('Cannot go back 9 commits — history too short'));
    expect((await ls('nope:')).stderr).toBe(errLine('Unknown ref: nope'));
    expect((await ls('-b', 'nope')).stderr).toBe(errLine('Branch not found: nope'));
    expect((await ls('--before', 'yesterday')).stderr).toBe(
      errLine('Invalid date: yesterday (use ISO 8601, e.g. 2024-01-15 or 2024-01-15T14:30:00)'),
    );
    expect((await ls('main~0:')).stderr).toBe(errLine("Invalid ancestor '~0' — use 'main:' instead"));
    expect((await ls('main~x:')).stderr).toBe(errLine("Invalid ancestor suffix '~x' — must be a positive integer"));
  });

  it('reports the conflicts between explicit refs and flags', async () => {
    const cases: [string[], string][] = [
      [['--ref', 'main', 'dev:'], 'Cannot use --ref with explicit ref: in path'],
      [['-b', 'main', 'dev:src'], 'Cannot use -b/--branch with explicit ref: in path'],
      [['--back', '1', '~1:'], 'Cannot use --back with ~N in path'],
      [['--back', '1', 'main:', 'dev:'], 'Cannot use snapshot filters with paths targeting different refs'],
    ];
    for (const [args, msg] of cases) expect(await ls(...args), args.join(' ')).toMatchObject({ code: 1, stderr: errLine(msg) });
  });
});

describe('ls: repository selection', () => {
  it('needs a repository, and finds it through -r in any position', async () => {
    expect(await vost(['ls'])).toMatchObject({ code: 1, stderr: errLine('No repository specified. Use --repo or set VOST_REPO.') });
    const missing = join(base, 'missing.git');
    expect(await vost(['ls'], { repo: missing })).toMatchObject({ code: 1, stderr: errLine(`Repository not found: ${missing}`) });
    expect((await vost(['-r', repo, 'ls', 'src/sub'])).stdout).toBe('deep.txt\n');
    expect((await vost(['ls', 'src/sub', '-r', repo])).stdout).toBe('deep.txt\n');
    expect((await vost(['ls', '--repo', repo, 'src/sub'], { repo: missing })).stdout).toBe('deep.txt\n');
  });
});
