/** cp and sync through the built CLI: error phrases, dry-run lines, per-file errors, tags, single-file rules. */
import { mkdirSync, readFileSync, symlinkSync, writeFileSync, existsSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, commitCount, fsck, git, gitTree, makeTree, tempDir, vost } from './helpers.js';

let work: string;
let repo: string;
const run = (...args: string[]) => vost(args, { cwd: work, repo });
const err = (text: string) => `Error: ${text}\n`;

beforeAll(async () => {
  work = tempDir();
  repo = join(work, 'repo.git');
  makeTree(join(work, 'd'), { 'a.txt': 'a\n', '.env': 'e\n', '.h/h.txt': 'h\n' });
  makeTree(join(work, 'src'), { 'a.txt': 'A\n', 'sub/b.txt': 'B\n' });
  writeFileSync(join(work, 'f.txt'), 'f\n');
  expect((await run('cp', 'd', ':')).code).toBe(0);
  git(repo, ['tag', 'v1', 'main']);
});
afterAll(() => cleanup(work));

const ERROR_CASES: Array<[string[], string]> = [
  [['cp', 'f.txt'], 'cp requires at least two arguments (SRC... DEST)'],
  [['cp', 'f.txt', 'g.txt'], "Neither sources nor DEST is a repo path — prefix repo paths with ':'"],
  [['cp', 'f.txt', ':a.txt', ':x'], 'Mixed local and repo sources are not supported — use separate cp commands'],
  [['cp', 'f.txt', ':a.txt', 'out'], 'All source paths must be the same type (all repo or all local)'],
  [['cp', '--ref', 'main', 'f.txt', ':x'], '--ref/--path/--match/--before only apply when reading from repo'],
  [['cp', '--tag', 't', ':a.txt', 'out'], '--tag only applies when writing to repo (disk -> repo)'],
  [['cp', 'nothere', ':x'], 'Local file not found: nothere'],
  [['cp', 'src/*.zzz', ':x'], 'No matches for pattern: src/*.zzz'],
  [['cp', ':nothere', 'out'], 'File not found in repo: nothere'],
  [['cp', 'f.txt/', ':x'], 'Not a directory: f.txt'],
  [['cp', '--delete', 'f.txt', ':x'], 'Cannot use --delete with a single file source.'],
  [['cp', 'src', 'v1:x'], "Cannot write to tag 'v1' — use a branch"],
  [['cp', 'src', 'main~1:x'], 'Cannot write to a historical commit (remove ~N from destination)'],
  [['cp', 'src', 'nobranch:x'], 'Branch not found: nobranch'],
  [['cp', '-m', '{bogus}', 'src', ':x'], 'Unknown placeholder in message: {bogus}'],
  [['sync'], 'sync requires 1 or 2 arguments'],
  [['sync', ':x'], 'Single-argument sync must be a local path, not a repo path'],
  [['sync', 'src', 'out'], "Neither argument is a repo path — prefix repo paths with ':'"],
  [['sync', '--gitignore', ':', 'out'], '--gitignore only applies when syncing from disk to repo'],
  [['sync', '--watch', '-n', 'src', ':'], '--watch and --dry-run are incompatible'],
  [['sync', '--watch', '--debounce', '50', 'src', ':'], '--debounce must be at least 100 ms'],
  [['sync', 'nothere', ':x'], 'Local file not found: nothere'],
  [['sync', 'f.txt', ':x'], 'Not a directory: f.txt'],
  [['sync', ':d/a.txt', 'out'], 'Not a directory in repo: d/a.txt'],
];

describe('argument and destination errors', () => {
  it.each(ERROR_CASES)('%j', async (args, text) => {
    const before = commitCount(repo);
    const r = await run(...args);
    expect(r.code).toBe(1);
    expect(r.stderr.startsWith(err(text).slice(0, -1)), r.stderr).toBe(true);
    expect(commitCount(repo)).toBe(before);
    expect(existsSync(join(work, 'out'))).toBe(false);
  });

  it('usage errors, --no-create and dry runs never create the repo', async () => {
    const usage = await run('cp', '--exclude-from', 'missing.txt', 'src', ':x');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("Invalid value for '--exclude-from': Path 'missing.txt' does not exist.");
    const noRepo = await vost(['cp', '--no-create', 'src', ':'], { cwd: work, repo: join(work, 'none.git') });
    expect(noRepo).toMatchObject({ code: 1, stderr: err(`Repository not found: ${join(work, 'none.git')}`) });
    const dry = await vost(['cp', '-n', 'src', ':'], { cwd: work, repo: join(work, 'none2.git') });
    expect(dry.code).toBe(1);
    expect(existsSync(join(work, 'none2.git'))).toBe(false);
  });
});

describe('dry runs print the plan and change nothing', () => {
  it('uses the spec line formats', async () => {
    const before = commitCount(repo);
    expect((await run('cp', '-n', 'd', ':z')).stdout).toBe('+ :z/d/.env\n+ :z/d/.h/h.txt\n+ :z/d/a.txt\n');
    expect((await run('cp', '-n', 'd', ':')).stdout).toBe('');
    expect((await run('cp', '-n', 'f.txt', ':x/y.txt')).stdout).toBe('f.txt -> :x/y.txt\n');
    mkdirSync(join(work, 'o1/old'), { recursive: true });
    writeFileSync(join(work, 'o1/a.txt'), 'different\n');
    writeFileSync(join(work, 'o1/old/o.txt'), 'o\n');
    expect(await run('cp', '-n', '--delete', ':d/', 'o1')).toMatchObject({ code: 0, stdout: '+ o1/.env\n+ o1/.h/h.txt\n~ o1/a.txt\n- o1/old/o.txt\n' });
    expect(await run('sync', '-n', 'src', ':')).toMatchObject({ stdout: '+ :a.txt\n- :d/.env\n- :d/.h/h.txt\n- :d/a.txt\n+ :sub/b.txt\n' });
    expect(commitCount(repo)).toBe(before);
    expect(readFileSync(join(work, 'o1/a.txt'), 'utf8')).toBe('different\n');
  });
});

describe('single files', () => {
  it('follows the single-file destination rules in every direction', async () => {
    expect((await run('cp', 'f.txt', ':')).code).toBe(0);
    expect((await run('cp', 'f.txt', ':newdir/')).code).toBe(0);
    expect((await run('cp', 'f.txt', ':renamed.txt')).code).toBe(0);
    expect((await run('cp', ':renamed.txt', ':copied.txt')).code).toBe(0);
    const tree = gitTree(repo, 'main');
    for (const p of ['f.txt', 'newdir/f.txt', 'renamed.txt', 'copied.txt']) expect(Object.keys(tree), p).toContain(p);
    expect(await run('cp', ':f.txt', 'o2/')).toMatchObject({ code: 0 });
    expect(readFileSync(join(work, 'o2/f.txt'), 'utf8')).toBe('f\n');
    expect((await run('cp', ':f.txt', 'o3.txt')).code).toBe(0);
    expect(lstatSync(join(work, 'o3.txt')).isFile()).toBe(true);
    const v = await vost(['-v', 'cp', 'f.txt', ':'], { cwd: work, repo });
    expect(v).toMatchObject({ code: 0, stdout: '', stderr: 'Copied -> :f.txt\n' });
    fsck(repo);
  });
});

describe('commits, messages, tags and parents', () => {
  it('makes one commit with the automatic or templated message, tags it, records parents', async () => {
    makeTree(join(work, 'm'), { 'one.txt': '1\n', 'two.txt': '2\n', 'x.sh': '*#!/bin/sh\n' });
    expect((await run('cp', 'm/', ':m', '--tag', 'snap')).code).toBe(0);
    expect(git(repo, ['log', '-1', '--format=%s', 'main']).trim()).toBe('Batch cp: +3');
    expect(git(repo, ['rev-parse', 'snap']).trim()).toBe(git(repo, ['rev-parse', 'main']).trim());
    writeFileSync(join(work, 'm/one.txt'), 'changed\n');
    const before = commitCount(repo);
    expect((await run('cp', 'm/', ':m', '--tag', 'snap')).stderr).toBe(err('Tag already exists: snap (use --force-tag to overwrite)'));
    expect(commitCount(repo)).toBe(before);
    expect((await run('sync', '-m', 'sync {op}: {add_count}/{update_count}/{delete_count} {default}', '--parent', 'v1', 'm', ':m')).code).toBe(0);
    expect(git(repo, ['log', '-1', '--format=%s', 'main']).trim()).toBe('sync sync: 0/1/0 ~ m/one.txt');
    expect(git(repo, ['log', '-1', '--format=%P', 'main']).trim().split(' ')[1]).toBe(git(repo, ['rev-parse', 'v1']).trim());
    expect((await run('sync', 'm', ':m')).code).toBe(0);
    expect(commitCount(repo)).toBe(before + 1);
    expect((await run('cp', 'm/x.sh', ':single.sh')).code).toBe(0);
    expect(git(repo, ['log', '-1', '--format=%s', 'main']).trim()).toBe('+ single.sh (executable)');
    fsck(repo);
  });

  it('--max-delete refuses a large delete and changes nothing', async () => {
    makeTree(join(work, 'few'), { 'only.txt': 'o\n' });
    const before = commitCount(repo);
    const r = await run('sync', '--max-delete', '1', 'few', ':m');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--max-delete 1');
    expect(commitCount(repo)).toBe(before);
  });
});

describe('--ignore-errors', () => {
  it('copies what it can, prints ERROR lines, exits 1', async () => {
    const before = commitCount(repo);
    const r = await run('cp', '--ignore-errors', 'nothere', 'src', ':h');
    expect(r).toMatchObject({ code: 1, stdout: '', stderr: 'ERROR: nothere: Local file not found: nothere\n' });
    expect(commitCount(repo)).toBe(before + 1);
    expect(Object.keys(gitTree(repo, 'main', 'h'))).toEqual(['src/a.txt', 'src/sub/b.txt']);
    const all = await run('cp', '--ignore-errors', 'nothere', ':h2');
    expect(all.code).toBe(1);
    expect(all.stderr).toBe('Error: All files failed to copy\nERROR: nothere: Local file not found: nothere\n');
    expect(commitCount(repo)).toBe(before + 1);
  });

  it('a dangling link under --follow-symlinks fails the copy, or is skipped with an ERROR line', async () => {
    makeTree(join(work, 'dl'), { 'ok.txt': 'ok\n', 'bad': '@nowhere' });
    const before = commitCount(repo);
    const r = await run('cp', '--follow-symlinks', 'dl/', ':dl');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error: .*nowhere|^Error: .*bad/);
    expect(commitCount(repo)).toBe(before);
  });

  it('follows symlinked folders once, so loops terminate', async () => {
    makeTree(join(work, 'loop/real'), { 'f.txt': 'f\n' });
    symlinkSync('..', join(work, 'loop/real/up'));
    const r = await run('cp', '--follow-symlinks', 'loop/', ':loop');
    expect(r.code).toBe(0);
    expect(Object.keys(gitTree(repo, 'main', 'loop'))).toEqual(['real/f.txt']);
  });

  it('rejects names with newlines without committing', async () => {
    makeTree(join(work, 'nl'), { 'fine.txt': 'x', 'bad\nname.txt': 'y' });
    const before = commitCount(repo);
    const r = await run('cp', 'nl/', ':nl');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Invalid file name (contains a newline)');
    expect(commitCount(repo)).toBe(before);
  });
});
