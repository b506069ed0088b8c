import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  BIN, cleanup, commitCount, errLine, fsckClean, git, headMessage, lsTree, makeRepo, tempDir, vost,
} from './helpers.js';

let base: string;
beforeAll(() => {
  base = tempDir();
});
afterAll(() => cleanup(base));

const blob = (repo: string, rev: string) => git(repo, ['cat-file', '-p', rev]);

describe('write: basics', () => {
  let repo: string;
  const write = (input: string | Buffer, ...args: string[]) => vost(['write', ...args], { repo, input });
  beforeAll(() => {
    repo = join(base, 'auto.git');
  });

  it('creates the repo, then commits stdin as a regular file', async () => {
    expect(await write('hello\n', 'w.txt')).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(git(repo, ['symbolic-ref', 'HEAD'])).toBe('refs/heads/main');
    expect(git(repo, ['log', '--format=%s', 'main']).split('\n')).toEqual(['+ w.txt', 'Initialize main']);
    expect(git(repo, ['log', '-1', '--format=%an <%ae>|%cn <%ce>'])).toBe('vost <vost@localhost>|vost <vost@localhost>');
    expect(lsTree(repo).get('w.txt')?.mode).toBe('100644');
    expect(blob(repo, 'main:w.txt')).toBe('hello');
    expect(fsckClean(repo)).toBe(true);
  });

  it('updates, skips identical content, and writes empty stdin as an empty file', async () => {
    expect((await write('hello2\n', ':w.txt')).code).toBe(0);
    expect(headMessage(repo)).toBe('~ w.txt');
    const n = commitCount(repo);
    expect(await write('hello2\n', 'w.txt')).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(commitCount(repo)).toBe(n);
    expect((await write('', 'dir/empty')).code).toBe(0);
    expect(git(repo, ['cat-file', '-s', 'main:dir/empty'])).toBe('0');
    expect(headMessage(repo)).toBe('+ dir/empty');
    expect(fsckClean(repo)).toBe(true);
  });

  it('stores bytes verbatim, streaming input bigger than memory buffers', async () => {
    const bytes = Buffer.alloc(3 * 1024 * 1024 + 7);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7 + (i >> 11)) & 0xff;
    const r = await write(bytes, '-p', 'b.bin');
    expect(r.code).toBe(0);
    expect(Buffer.compare(r.raw, bytes)).toBe(0);
    const stored = spawnSync('git', ['--git-dir', repo, 'cat-file', 'blob', 'main:b.bin'], { maxBuffer: 1 << 26 }).stdout;
    expect(Buffer.compare(stored, bytes)).toBe(0);
    expect(fsckClean(repo)).toBe(true);
  });

  it('tees stdin to stdout with -p', async () => {
    expect(await write('tee me\n', '-p', 'p.txt')).toMatchObject({ code: 0, stdout: 'tee me\n' });
    expect((await write('tee again\n', '--passthrough', 'p.txt')).stdout).toBe('tee again\n');
    expect(blob(repo, 'main:p.txt')).toBe('tee again');
    // The reader going away stops the copy, not the write.
    const script = `head -c 3000000 /dev/zero | node '${BIN}' write -p :piped.bin 2>/dev/null | head -c1 >/dev/null; echo "\${PIPESTATUS[1]}"`;
    const r = spawnSync('bash', ['-c', script], { env: { ...process.env, VOST_REPO: repo } });
    expect(r.stdout.toString().trim()).toBe('0');
    expect(git(repo, ['cat-file', '-s', 'main:piped.bin'])).toBe('3000000');
  });

  it('prints the verbose status line on stderr', async () => {
    expect(await vost(['-v', 'write', 'v.txt'], { repo, input: 'v' })).toMatchObject({ code: 0, stdout: '', stderr: 'Wrote :v.txt\n' });
    expect(await vost(['write', 'v.txt', '--verbose'], { repo, input: 'w' })).toMatchObject({ code: 0, stderr: 'Wrote :v.txt\n' });
  });

  it('takes -v from the command line only (cli.md §2.2 gives it no environment variable)', async () => {
    // The second name is how the launcher passes a -v given before the command; a child vost must not inherit it.
    const env = { VOST_VERBOSE: '1', VOST_LIFTED_VERBOSE: '1' };
    expect(await vost(['write', 'quiet.txt'], { repo, input: 'q', env })).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(blob(repo, 'main:quiet.txt')).toBe('q');
  });

  it('fills message placeholders', async () => {
    expect((await write('m1', 'm.txt', '-m', 'plain message')).code).toBe(0);
    expect(headMessage(repo)).toBe('plain message');
    expect((await write('m2', 'm.txt', '-m', 'msg {default} {op} {add_count}/{update_count}/{delete_count}/{total_count}')).code).toBe(0);
    expect(headMessage(repo)).toBe('msg ~ m.txt  0/1/0/1');
    expect((await write('m3', 'm.txt', '--message', '{{literal}} {default}')).code).toBe(0);
    expect(headMessage(repo)).toBe('{literal} ~ m.txt');
    expect((await write('m4', 'm.txt', '-m', '')).code).toBe(0);
    expect(headMessage(repo)).toBe('~ m.txt');
    // Without '{' a message is verbatim (cli.md §5.2), a lone '}' included.
    expect((await write('m5', 'm.txt', '-m', 'done}')).code).toBe(0);
    expect(headMessage(repo)).toBe('done}');
    const n = commitCount(repo);
    const bad = await write('m5', 'm.txt', '-m', 'x {bogus}');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^Error: .*\{bogus\}/);
    expect(commitCount(repo)).toBe(n);
  });
});

describe('write: refs, tags and parents', () => {
  let repo: string;
  const write = (input: string, ...args: string[]) => vost(['write', ...args], { repo, input });
  beforeAll(() => {
    repo = makeRepo(base, [{ message: 'seed', files: { 'a.txt': 'a\n', 'src/x.txt': 'x\n' } }], 'refs.git');
    git(repo, ['update-ref', 'refs/heads/dev', 'main']);
    git(repo, ['update-ref', 'refs/tags/old', 'main']);
  });

  it('writes to another branch with -b or an explicit ref (which wins)', async () => {
    expect((await write('d1', '-b', 'dev', 'd.txt')).code).toBe(0);
    expect(blob(repo, 'dev:d.txt')).toBe('d1');
    expect((await write('d2', '-b', 'main', 'dev:d.txt')).code).toBe(0);
    expect(blob(repo, 'dev:d.txt')).toBe('d2');
    expect(lsTree(repo, 'main').has('d.txt')).toBe(false);
  });

  it('tags the result, refusing an existing tag before committing', async () => {
    expect((await write('t1', 't.txt', '--tag', 'v1')).code).toBe(0);
    expect(git(repo, ['rev-parse', 'v1'])).toBe(git(repo, ['rev-parse', 'main']));
    const n = commitCount(repo);
    expect(await write('t2', 't.txt', '--tag', 'v1')).toMatchObject({
      code: 1,
      stderr: errLine('Tag already exists: v1 (use --force-tag to overwrite)'),
    });
    expect(commitCount(repo)).toBe(n);
    expect((await write('t2', 't.txt', '--tag', 'v1', '--force-tag')).code).toBe(0);
    expect(git(repo, ['rev-parse', 'v1'])).toBe(git(repo, ['rev-parse', 'main']));
    expect((await write('t2', 't.txt', '--tag', 'v2')).code).toBe(0);
    expect(git(repo, ['rev-parse', 'v2'])).toBe(git(repo, ['rev-parse', 'main']));
    expect(commitCount(repo)).toBe(n + 1);
  });

  it('records advisory parents in order', async () => {
    const tip = git(repo, ['rev-parse', 'main']);
    const dev = git(repo, ['rev-parse', 'dev']);
    const old = git(repo, ['rev-parse', 'old']);
    expect((await write('p', 'par.txt', '--parent', 'dev', '--parent', 'old')).code).toBe(0);
    expect(git(repo, ['log', '-1', '--format=%P', 'main'])).toBe(`${tip} ${dev} ${old}`);
    expect(git(repo, ['rev-parse', 'main^{tree}'])).not.toBe(git(repo, ['rev-parse', 'dev^{tree}']));
    expect(await write('q', 'par.txt', '--parent', 'nope')).toMatchObject({ code: 1, stderr: errLine('Unknown ref: nope') });
    expect(fsckClean(repo)).toBe(true);
  });

  it('reports the spec errors and commits nothing', async () => {
    const before = git(repo, ['for-each-ref']);
    const cases: [string[], string][] = [
      [['~1:a.txt'], 'Cannot write to a historical commit (remove ~N)'],
      [['main~2:a.txt'], 'Cannot write to a historical commit (remove ~N)'],
      [['nope:a.txt'], 'Branch not found: nope'],
      [['-b', 'nope', 'a.txt'], 'Branch not found: nope'],
      [['old:a.txt'], "Cannot write to tag 'old' — use a branch"],
      [[':'], 'Repo path must not be empty'],
      [['dev:'], 'Repo path must not be empty'],
      [['src'], 'src is a directory, not a file'],
      [['../a'], "Invalid repo path: Invalid path segment: '..'"],
      [['a//b'], "Invalid repo path: Empty segment in path: 'a//b'"],
    ];
    for (const [args, msg] of cases) {
      expect(await write('zzz', ...args), args.join(' ')).toMatchObject({ code: 1, stdout: '', stderr: errLine(msg) });
    }
    expect(git(repo, ['for-each-ref'])).toBe(before);
    expect((await vost(['write'], { repo })).code).toBe(2);
  });
});

describe('write: repository creation', () => {
  it('creates the repo on the -b branch or the explicit ref, unless --no-create', async () => {
    const a = join(base, 'create-b.git');
    expect((await vost(['write', '-b', 'trunk', 'f.txt'], { repo: a, input: 'x' })).code).toBe(0);
    expect(git(a, ['symbolic-ref', 'HEAD'])).toBe('refs/heads/trunk');
    expect(git(a, ['log', '--format=%s', 'trunk']).split('\n')).toEqual(['+ f.txt', 'Initialize trunk']);
    const b = join(base, 'create-ref.git');
    expect((await vost(['write', 'feat:f.txt'], { repo: b, input: 'x' })).code).toBe(0);
    expect(git(b, ['symbolic-ref', 'HEAD'])).toBe('refs/heads/feat');
    expect(fsckClean(a) && fsckClean(b)).toBe(true);
    const c = join(base, 'nocreate.git');
    expect(await vost(['write', '--no-create', 'f.txt'], { repo: c, input: 'x' })).toMatchObject({
      code: 1,
      stderr: errLine(`Repository not found: ${c}`),
    });
    expect(existsSync(c)).toBe(false);
  });
});

describe('write: concurrency', () => {
  it('retries when another writer moves the branch, losing no commit', async () => {
    const repo = makeRepo(base, [], 'race.git');
    const n = 5;
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) => vost(['write', `f${i}.txt`], { repo, input: `content ${i}\n` })),
    );
    for (const r of results) expect(r).toMatchObject({ code: 0, stderr: '' });
    const tree = lsTree(repo);
    for (let i = 0; i < n; i++) expect(tree.has(`f${i}.txt`)).toBe(true);
    expect(commitCount(repo)).toBe(n + 1);
    expect(fsckClean(repo)).toBe(true);
  });
});
