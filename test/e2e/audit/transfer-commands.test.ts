/**
 * Conformance audit of `cp` and `sync` against spec/cli.md §9-§10, through
 * the built CLI: exact dry-run lines for every action and direction, -v
 * lines, automatic commit messages, validation order and phrases,
 * --ignore-errors reporting, --gitignore and exclude delete protection.
 * git (ls-tree, log, fsck) is the oracle for what was committed.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanup, commitCount, fsck, git, gitTree, makeTree, tempDir, vost, type RunResult } from '../transfer/helpers.js';

let work: string;
let repo: string;
const run = (...args: string[]): Promise<RunResult> => vost(args, { cwd: work, repo });
const verbose = (...args: string[]): Promise<RunResult> => vost(['-v', ...args], { cwd: work, repo });
const subject = (ref = 'main'): string => git(repo, ['log', '-1', '--format=%s', ref]).trim();
const paths = (prefix: string, ref = 'main'): string[] => Object.keys(gitTree(repo, ref, prefix));

beforeAll(async () => {
  work = tempDir('vost-audit-transfer-');
  repo = join(work, 'repo.git');
  // r/: b/ holds files and a subfolder, so tree-walk order (files, then folders) differs from path order.
  makeTree(join(work, 'r'), { 'b/z.txt': 'z\n', 'b/A.txt': 'A\n', 'b/sub/a.txt': 'a\n', 'a/q.txt': 'q\n', 'm.txt': 'm\n' });
  expect((await run('cp', 'r/', ':')).code).toBe(0);
  expect((await run('branch', 'set', 'dev', '--ref', 'main')).code).toBe(0);
});
afterAll(() => cleanup(work));

describe('validation order and phrases (§9.1, §10.1)', () => {
  it('a negative --max-delete is a usage error for cp as for sync', async () => {
    for (const cmd of ['cp', 'sync']) {
      const r = await run(cmd, '--max-delete', '-1', 'r/', ':x');
      expect(r.code, cmd).toBe(2);
      expect(r.stderr, cmd).toContain("Error: Invalid value for '--max-delete': must be >= 0");
    }
  });

  it('sync disk → repo: an explicit ref on the destination names the branch, even with -b (no §4.4 check)', async () => {
    makeTree(join(work, 'sb'), { 'one.txt': '1\n' });
    const r = await run('sync', '-b', 'dev', 'sb', 'main:sb');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(paths('sb')).toEqual(['one.txt']);
    expect(paths('sb', 'dev')).toEqual([]);
    // The read side of sync is still checked.
    expect((await run('sync', '-b', 'dev', 'main:sb', 'out')).stderr).toBe('Error: Cannot use -b/--branch with explicit ref: in path\n');
  });

  it.each([
    [['cp', 'C:/nothere', ':x'], 'Local file not found: C:/nothere'],
    [['cp', 'd:\\data', ':x'], 'Local file not found: d:\\data'],
    [['cp', './a:b', ':x'], 'Local file not found: ./a:b'],
    [['cp', 'main~0:m.txt', 'out'], "Invalid ancestor '~0' — use 'main:m.txt' instead"],
    [['cp', 'main~:m.txt', 'out'], "Invalid ancestor suffix '~' — must be a positive integer"],
    [['cp', ':a/../b', 'out'], "Invalid repo path: Invalid path segment: '..'"],
    [['cp', 'r', ':a//b'], "Invalid repo path: Empty segment in path: 'a//b'"],
    [['cp', 'r/a/', ':x/./y', '--no-glob', ':b/*'], 'Mixed local and repo sources are not supported — use separate cp commands'],
  ])('%j → %s', async (args, text) => {
    const r = await run(...args);
    expect(r).toMatchObject({ code: 1, stderr: `Error: ${text}\n` });
  });
});

describe('dry-run lines (§9.10, §10.2, §10.4)', () => {
  beforeAll(async () => {
    makeTree(join(work, 'stale'), { 'old.txt': 'o\n', 'z.txt': 'old z\n' });
    expect((await run('cp', 'stale/', ':dd')).code).toBe(0);
  });

  it('repo → repo cp: deletions sorted, then each source in order, files before subfolders', async () => {
    expect((await run('cp', '-n', ':b', ':a', ':m.txt', ':dst')).stdout).toBe(
      '+ :dst/b/A.txt\n+ :dst/b/z.txt\n+ :dst/b/sub/a.txt\n+ :dst/a/q.txt\n+ :dst/m.txt\n',
    );
    expect((await run('cp', '-n', ':b/', ':m.txt', ':a/', ':dst')).stdout).toBe(
      '+ :dst/A.txt\n+ :dst/z.txt\n+ :dst/sub/a.txt\n+ :dst/m.txt\n+ :dst/q.txt\n',
    );
    expect((await run('cp', '-n', '--delete', ':b/', ':dd')).stdout).toBe('- :dd/old.txt\n+ :dd/A.txt\n~ :dd/z.txt\n+ :dd/sub/a.txt\n');
  });

  it('repo → repo sync: deletions, then additions, then updates, each sorted', async () => {
    expect((await run('sync', '-n', ':b', ':dd')).stdout).toBe('- :dd/old.txt\n+ :dd/A.txt\n+ :dd/sub/a.txt\n~ :dd/z.txt\n');
  });

  it('disk → repo and repo → disk interleave all three kinds by path', async () => {
    makeTree(join(work, 'w'), { 'a.txt': 'a\n', 'c.txt': 'c\n' });
    expect((await run('cp', 'w/', ':w')).code).toBe(0);
    writeFileSync(join(work, 'w/a.txt'), 'changed\n');
    writeFileSync(join(work, 'w/b.txt'), 'b\n');
    writeFileSync(join(work, 'w/.d'), 'd\n');
    rmSync(join(work, 'w/c.txt'));
    expect((await run('sync', '-n', 'w', ':w')).stdout).toBe('+ :w/.d\n~ :w/a.txt\n+ :w/b.txt\n- :w/c.txt\n');
    expect((await run('cp', '-n', 'w/', ':w')).stdout).toBe('+ :w/.d\n~ :w/a.txt\n+ :w/b.txt\n');
    mkdirSync(join(work, 'o1'));
    writeFileSync(join(work, 'o1/a.txt'), 'a\n');
    writeFileSync(join(work, 'o1/zz.txt'), 'gone\n');
    expect((await run('sync', '-n', ':b', './o1')).stdout).toBe('+ ./o1/A.txt\n- ./o1/a.txt\n+ ./o1/sub/a.txt\n+ ./o1/z.txt\n- ./o1/zz.txt\n');
    expect((await run('cp', '-n', ':m.txt', 'o1')).stdout).toBe(':m.txt -> o1/m.txt\n');
    expect((await run('cp', '-n', 'w/a.txt', ':w/')).stdout).toBe('w/a.txt -> :w/a.txt\n');
    expect(readdirSync(join(work, 'o1')).sort()).toEqual(['a.txt', 'zz.txt']);
  });
});

describe('success output and commit messages (§5.1, §9.11, §10.2)', () => {
  it('-v prints one line on stderr and nothing on stdout', async () => {
    mkdirSync(join(work, 'vo'));
    const cases: Array<[string[], string]> = [
      [['cp', 'r/m.txt', ':v1'], 'Copied -> :v1'],
      [['cp', 'r/a', ':'], 'Copied -> :/'],
      [['cp', 'r/a', ':v2'], 'Copied -> :v2'],
      [['cp', ':b', ':v3'], 'Copied -> :v3'],
      [['cp', ':m.txt', 'vo'], 'Copied :m.txt -> vo/m.txt'],
      [['cp', ':m.txt', 'vo/m2.txt'], 'Copied :m.txt -> vo/m2.txt'],
      [['cp', ':b', './vo'], 'Copied -> ./vo'],
      [['sync', 'r/b', ':v4'], 'Synced -> :v4'],
      [['sync', ':b', 'vo/s'], 'Synced -> vo/s'],
      [['sync', 'dev:b', ':v5'], 'Synced -> :v5'],
    ];
    for (const [args, line] of cases) expect(await verbose(...args), args.join(' ')).toMatchObject({ code: 0, stdout: '', stderr: `${line}\n` });
    fsck(repo);
  });

  it('automatic messages count only real changes, with types for single adds and updates', async () => {
    makeTree(join(work, 'msg'), { 'x.sh': '*#!/bin/sh\n', 'l': '@x.sh', 'p.txt': 'p\n', 'q.txt': 'q\n' });
    const steps: Array<[string[], string]> = [
      [['cp', 'msg/x.sh', ':msg/'], '+ msg/x.sh (executable)'],
      [['cp', 'msg/l', ':msg/'], '+ msg/l (link)'],
      [['cp', '--type', 'blob', 'msg/x.sh', ':msg/'], '~ msg/x.sh'],
      [['cp', 'msg/', ':msg'], 'Batch cp: +2 ~1'],
      [['sync', 'msg/', ':m2'], 'Batch sync: +4'],
      [['cp', ':msg/', ':m3'], 'Batch cp: +4'],
    ];
    for (const [args, text] of steps) {
      expect((await run(...args)).code, args.join(' ')).toBe(0);
      expect(subject(), args.join(' ')).toBe(text);
    }
    writeFileSync(join(work, 'msg/p.txt'), 'p2\n');
    expect((await run('sync', 'msg', ':m2')).code).toBe(0);
    expect(subject()).toBe('~ m2/p.txt');
    const before = commitCount(repo);
    expect((await run('cp', 'msg/', ':m2')).code).toBe(0);
    expect(commitCount(repo)).toBe(before);
    makeTree(join(work, 'msg2'), { 'l': '@x.sh' });
    expect((await run('sync', 'msg2', ':m2')).code).toBe(0);
    expect(subject()).toBe('Batch sync: -3');
    expect((await run('sync', 'msg2', ':m3')).code).toBe(0);
    expect(subject()).toBe('Batch sync: -3');
    makeTree(join(work, 'msg3'), { 'other.txt': 'o\n' });
    expect((await run('sync', 'msg3', ':m2')).code).toBe(0);
    expect(subject()).toBe('Batch sync: +1 -1');
    fsck(repo);
  });
});

describe('excludes, --gitignore and delete protection (§9.9, §10.3)', () => {
  it('sync --gitignore deletes .gitignore files at the destination but keeps ignored files', async () => {
    makeTree(join(work, 'gi'), { '.gitignore': '*.log\n', 'a.txt': 'a\n', 'x.log': 'x\n', 'sub/.gitignore': 'deep*\n', 'sub/deep.txt': 'd\n', 'sub/ok.txt': 'o\n' });
    expect((await run('cp', 'gi/', ':gi')).code).toBe(0);
    expect((await run('sync', '-n', '--gitignore', 'gi', ':gi')).stdout).toBe('- :gi/.gitignore\n- :gi/sub/.gitignore\n');
    expect((await run('sync', '--gitignore', 'gi', ':gi')).code).toBe(0);
    expect(paths('gi')).toEqual(['a.txt', 'sub/deep.txt', 'sub/ok.txt', 'x.log']);
    expect(subject()).toBe('Batch sync: -2');
  });

  it('an explicit --exclude still protects a .gitignore at the destination', async () => {
    expect((await run('cp', 'gi/.gitignore', ':gi/')).code).toBe(0);
    expect((await run('sync', '-n', '--gitignore', '--exclude', '.gitignore', 'gi', ':gi')).stdout).toBe('');
  });
});

describe('excludes in every direction (issue #3: the reference only takes them disk → repo)', () => {
  it('repo → disk: an excluded file is neither written nor, with --delete, removed', async () => {
    makeTree(join(work, 'xo'), { 'keep.log': 'mine\n', 'stray.txt': 's\n' });
    const r = await run('sync', '--exclude', '*.log', '--exclude', 'sub/', ':b', 'xo');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(readdirSync(join(work, 'xo')).sort()).toEqual(['A.txt', 'keep.log', 'z.txt']);
    expect(readFileSync(join(work, 'xo/keep.log'), 'utf8')).toBe('mine\n');
  });

  it('repo → repo: excluded files are left out of the copy', async () => {
    expect((await run('cp', '--exclude', 'A.txt', ':b', ':xr')).code).toBe(0);
    expect(paths('xr')).toEqual(['b/sub/a.txt', 'b/z.txt']);
  });
});

describe('repo → disk mirrors prune the folders they empty (§9.7)', () => {
  it('removes emptied and already empty folders under DEST, never DEST itself', async () => {
    makeTree(join(work, 'pr'), { 'empty/deeper/': '', 'gone/x.txt': 'x\n' });
    expect((await run('sync', ':a', 'pr')).code).toBe(0);
    expect(readdirSync(join(work, 'pr'))).toEqual(['q.txt']);
    expect((await run('sync', ':b/sub', 'pr')).code).toBe(0);
    expect(readdirSync(join(work, 'pr'))).toEqual(['a.txt']);
  });

  it('prunes even when no file changes, but not in a dry run', async () => {
    mkdirSync(join(work, 'pr/e1/e2'), { recursive: true });
    expect(await run('sync', '-n', ':b/sub', 'pr')).toMatchObject({ code: 0, stdout: '' });
    expect(existsSync(join(work, 'pr/e1/e2'))).toBe(true);
    expect(await run('sync', ':b/sub', 'pr')).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(readdirSync(join(work, 'pr'))).toEqual(['a.txt']);
  });

  it('keeps excluded folders, and cp without --delete prunes nothing', async () => {
    mkdirSync(join(work, 'pr/cache'), { recursive: true });
    mkdirSync(join(work, 'pr/other'), { recursive: true });
    expect((await run('cp', ':b/sub/', 'pr')).code).toBe(0);
    expect(readdirSync(join(work, 'pr')).sort()).toEqual(['a.txt', 'cache', 'other']);
    expect((await run('cp', '--delete', '--exclude', 'cache/', ':b/sub/', 'pr')).code).toBe(0);
    expect(readdirSync(join(work, 'pr')).sort()).toEqual(['a.txt', 'cache']);
  });
});

describe('classification and per-file warnings', () => {
  it('a special file is skipped with a WARNING naming it as typed', async () => {
    makeTree(join(work, 'sp'), { 'ok.txt': 'ok\n' });
    spawnSync('mkfifo', [join(work, 'sp/pipe')]);
    const r = await run('cp', './sp', ':sp');
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: 'WARNING: ./sp/pipe: Skipping special file (not a regular file, directory or symlink)\n' });
    expect(paths('sp')).toEqual(['sp/ok.txt']);
  });
});

describe('--ignore-errors (§9.8, §10.4)', () => {
  it('repo → repo: the flag has no effect, a missing source fails the copy', async () => {
    const before = commitCount(repo);
    const r = await run('cp', '--ignore-errors', ':nothere', ':m.txt', ':r2r');
    expect(r).toMatchObject({ code: 1, stderr: 'Error: File not found in repo: nothere\n' });
    expect(commitCount(repo)).toBe(before);
  });

  it('repo → disk: a missing source is reported, the rest is copied', async () => {
    const r = await run('cp', '--ignore-errors', ':nothere', ':m.txt', 'ie');
    expect(r).toMatchObject({ code: 1, stdout: '', stderr: 'ERROR: :nothere: File not found in repo: nothere\n' });
    expect(readFileSync(join(work, 'ie/m.txt'), 'utf8')).toBe('m\n');
  });

  it('--follow-symlinks: a dangling link costs only itself, not its whole source', async () => {
    makeTree(join(work, 'fl'), { 'real/r.txt': 'r\n', dang: '@nowhere' });
    const before = commitCount(repo);
    const r = await run('cp', '--follow-symlinks', '--ignore-errors', 'fl/', ':fl');
    expect(r).toMatchObject({ code: 1, stdout: '', stderr: `ERROR: fl/dang: File not found: ${join(work, 'fl/dang')}\n` });
    expect(paths('fl')).toEqual(['real/r.txt']);
    expect(commitCount(repo)).toBe(before + 1);
    const strict = await run('cp', '--follow-symlinks', 'fl/', ':fl2');
    expect(strict).toMatchObject({ code: 1, stderr: `Error: File not found: ${join(work, 'fl/dang')}\n` });
    expect(commitCount(repo)).toBe(before + 1);
  });
});

// Files the user may not read: as root the CLI runs as nobody (see test/e2e/transfer/unreadable.test.ts).
const asRoot = process.getuid?.() === 0;
const NOBODY = 65534;
const runnable = !asRoot || spawnSync(process.execPath, [BIN, '--version'], { uid: NOBODY, gid: NOBODY }).status === 0;

describe.skipIf(!runnable)('unreadable files and folders', () => {
  let home: string;
  let hrepo: string;
  const runAs = (...args: string[]): Promise<RunResult> =>
    vost(args, { cwd: home, repo: hrepo, user: asRoot ? { uid: NOBODY, gid: NOBODY } : undefined, env: { HOME: home } });

  beforeAll(async () => {
    home = join(work, 'home');
    hrepo = join(home, 'repo.git');
    makeTree(home, { 'secret.txt': 's\n', 'ok.txt': 'o\n', 'locked/inner.txt': 'i\n' });
    if (asRoot) {
      chmodSync(work, 0o755);
      for (const p of [home, join(home, 'secret.txt'), join(home, 'ok.txt')]) chownSync(p, NOBODY, NOBODY);
    }
    chmodSync(join(home, 'secret.txt'), 0o000);
    chmodSync(join(home, 'locked'), 0o000);
    expect((await runAs('cp', 'ok.txt', ':ok.txt')).code).toBe(0);
    expect((await runAs('cp', 'ok.txt', ':fresh.txt')).code).toBe(0);
  });

  it('single-file mode reports its failure as one ERROR line, exit 1, no commit', async () => {
    const before = commitCount(hrepo);
    const r = await runAs('cp', '--ignore-errors', 'secret.txt', ':s.txt');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ERROR: secret\.txt: .*permission denied.*\n$/);
    expect(commitCount(hrepo)).toBe(before);
  });

  it('--ignore-errors: a file that cannot be put in place is reported, the others land', async () => {
    expect((await runAs('cp', 'ok.txt', ':sub/b.txt')).code).toBe(0);
    makeTree(join(home, 'out'), { 'sub/b.txt': 'old\n' });
    if (asRoot) chownSync(join(home, 'out'), NOBODY, NOBODY);
    chmodSync(join(home, 'out/sub'), 0o555);
    const expected = `ERROR: out/sub/b.txt: EACCES: permission denied: ${join(home, 'out/sub/b.txt')}\n`;
    for (let round = 0; round < 2; round++) {
      const r = await runAs('cp', '--ignore-errors', ':', 'out');
      expect(r).toMatchObject({ code: 1, stdout: '', stderr: expected });
    }
    expect(readdirSync(join(home, 'out')).sort()).toEqual(['fresh.txt', 'ok.txt', 'sub']);
    expect(readFileSync(join(home, 'out/sub/b.txt'), 'utf8')).toBe('old\n');
    const strict = await runAs('cp', ':', 'out2');
    expect(strict.code).toBe(0);
    chmodSync(join(home, 'out/sub'), 0o755);
  });

  it('a single-file checkout looks up its target only, not every folder beside it', async () => {
    const r = await runAs('cp', ':ok.txt', 'copy.txt');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(readFileSync(join(home, 'copy.txt'), 'utf8')).toBe('o\n');
    // Several sources (multi mode) into a folder beside an unreadable one: still only the targets are looked at.
    expect(await runAs('cp', '-n', ':fresh.txt', ':ok.txt', '.')).toMatchObject({ code: 0, stdout: '+ ./fresh.txt\n' });
  });
});
