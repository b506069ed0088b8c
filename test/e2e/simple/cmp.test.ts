import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { cleanup, errLine, git, tempDir, vost } from './helpers.js';
import { makeReadFixture } from './fixture.js';

let base: string;
let repo: string;
let d: string;
const cmp = (...args: string[]) => vost(['cmp', ...args], { repo });
const blobId = (file: string) => spawnSync('git', ['hash-object', file]).stdout.toString().trim();

beforeAll(() => {
  base = tempDir();
  repo = makeReadFixture(base);
  d = join(base, 'local');
  mkdirSync(join(d, 'dir'), { recursive: true });
  writeFileSync(join(d, 'one.txt'), 'one\n');
  writeFileSync(join(d, 'one-copy.txt'), 'one\n');
  writeFileSync(join(d, 'hi.txt'), 'hi\n');
  writeFileSync(join(d, 'other.txt'), 'other\n');
  writeFileSync(join(d, 'hello.txt'), 'not the link text\n');
  symlinkSync('hello.txt', join(d, 'link'));
  symlinkSync('missing-target', join(d, 'dangling'));
});
afterAll(() => cleanup(base));

describe('cmp: outcomes', () => {
  it('compares two local files without any repository', async () => {
    const a = join(d, 'one.txt');
    expect(await vost(['cmp', a, join(d, 'one-copy.txt')])).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(await vost(['cmp', a, join(d, 'other.txt')])).toMatchObject({ code: 1, stdout: '', stderr: '' });
    expect((await vost(['cmp', a, a], { repo: join(base, 'not-there.git') })).code).toBe(0);
  });

  it('compares repo and disk files in any mix', async () => {
    expect(await cmp(':one.txt', join(d, 'one.txt'))).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(await cmp(join(d, 'other.txt'), ':one.txt')).toMatchObject({ code: 1, stdout: '', stderr: '' });
    expect((await cmp(':one.txt', 'dev:one.txt')).code).toBe(0);
    expect((await cmp(':one.txt', ':two.txt')).code).toBe(1);
    expect((await cmp('main:src/hello.txt', '~1:src/hello.txt')).code).toBe(1);
  });

  it('hashes local links by their target text', async () => {
    expect((await cmp(':src/link', join(d, 'link'))).code).toBe(0);
  });

  it('applies snapshot filters to repo arguments', async () => {
    const hi = join(d, 'hi.txt');
    expect((await cmp(':src/hello.txt', hi)).code).toBe(1);
    expect((await cmp('--back', '1', ':src/hello.txt', hi)).code).toBe(0);
    expect((await cmp('-b', 'dev', ':src/hello.txt', hi)).code).toBe(0);
    expect((await cmp('--ref', 'main', '--match', 'first', '--before', '2999-01-01', ':src/hello.txt', hi)).code).toBe(0);
    expect((await cmp('--path', 'two.txt', ':src/hello.txt', hi)).code).toBe(1);
    expect((await cmp('-b', 'dev', 'main:one.txt', hi)).stderr).toBe(errLine('Cannot use -b/--branch with explicit ref: in path'));
  });

  it('prints both hashes on stderr with -v', async () => {
    const local = join(d, 'hi.txt');
    const r = await vost(['-v', 'cmp', ':one.txt', local], { repo });
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toBe(`${git(repo, ['rev-parse', 'main:one.txt'])}  :one.txt\n${blobId(local)}  ${local}\n`);
  });
});

describe('cmp: errors', () => {
  it('reports missing files and directories', async () => {
    const cases: [string[], string][] = [
      [[':nope', ':one.txt'], 'File not found: nope'],
      [[join(d, 'none'), ':one.txt'], `File not found: ${join(d, 'none')}`],
      [[join(d, 'dangling'), ':one.txt'], `File not found: ${join(d, 'dangling')}`],
      [[join(d, 'dir'), ':one.txt'], `Is a directory: ${join(d, 'dir')}`],
      [[':src', ':one.txt'], 'Is a directory: src'],
      [['nope:one.txt', ':one.txt'], 'Unknown ref: nope'],
    ];
    for (const [args, msg] of cases) expect(await cmp(...args), args.join(' ')).toMatchObject({ code: 1, stdout: '', stderr: errLine(msg) });
    expect(await vost(['cmp', ':one.txt', join(d, 'one.txt')])).toMatchObject({
      code: 1,
      stderr: errLine('No repository specified. Use --repo or set VOST_REPO.'),
    });
  });

  it('needs two arguments (usage error)', async () => {
    expect((await cmp(':one.txt')).code).toBe(2);
    expect((await cmp()).code).toBe(2);
  });
});
