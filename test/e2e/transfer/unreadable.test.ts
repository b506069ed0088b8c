/**
 * Files the user may not read or write: a clear one-line error, exit 1, and
 * nothing half-done (no commit, no stray file). Root reads and writes
 * everything, so as root the CLI runs as nobody to meet a real EACCES.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanup, commitCount, gitTree, makeTree, RunResult, tempDir, vost } from './helpers.js';

const asRoot = process.getuid?.() === 0;
const NOBODY = 65534;
// As root, the checkout must be reachable by nobody (not under a 0700 home).
const runnable = !asRoot || spawnSync(process.execPath, [BIN, '--version'], { uid: NOBODY, gid: NOBODY }).status === 0;
let work: string;
let repo: string;

/** Gives `path` (and everything under it) to the user the CLI runs as. */
function own(path: string): void {
  if (!asRoot) return;
  chownSync(path, NOBODY, NOBODY);
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) own(child);
    else chownSync(child, NOBODY, NOBODY);
  }
}

function run(...args: string[]): Promise<RunResult> {
  const user = asRoot ? { uid: NOBODY, gid: NOBODY } : undefined;
  return vost(args, { cwd: work, repo, user, env: { HOME: work, GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' } });
}

beforeAll(async () => {
  if (!runnable) return;
  work = tempDir();
  repo = join(work, 'repo.git');
  makeTree(join(work, 'src'), { 'a.txt': 'a\n', 'sub/b.txt': 'b\n', 'secret.txt': 's\n' });
  own(work);
  chmodSync(join(work, 'src', 'secret.txt'), 0o000);
  expect((await run('init')).code).toBe(0);
  expect((await run('cp', 'src/a.txt', ':seed/a.txt')).code).toBe(0);
});
afterAll(() => work && cleanup(work));

describe.skipIf(!runnable)('unreadable sources and unwritable destinations', () => {
  it.each([
    ['cp', 'src/', ':dst'],
    ['sync', 'src', ':dst'],
  ])('%s of a folder with an unreadable file fails without committing', async (...args) => {
    const before = commitCount(repo);
    const r = await run(...args);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error: .*permission denied.*secret\.txt.*\n$/);
    expect(commitCount(repo)).toBe(before);
    expect(gitTree(repo, 'main', 'dst')).toEqual({});
  });

  it('cp --ignore-errors commits the readable files and reports the other', async () => {
    const before = commitCount(repo);
    const r = await run('cp', '--ignore-errors', 'src/', ':partial');
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^ERROR: src\/secret\.txt: .*permission denied/)]);
    expect(commitCount(repo)).toBe(before + 1);
    expect(Object.keys(gitTree(repo, 'main', 'partial'))).toEqual(['a.txt', 'sub/b.txt']);
  });

  it.each([
    ['cp', ':seed/', 'out'],
    ['sync', ':seed', 'out'],
  ])('%s into a folder it may not write fails and leaves it empty', async (...args) => {
    const out = join(work, 'out');
    mkdirSync(out, { recursive: true });
    own(out);
    chmodSync(out, 0o555);
    const r = await run(...args);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error: .*permission denied.*\n$/);
    expect(readdirSync(out)).toEqual([]);
    expect(existsSync(join(out, 'a.txt'))).toBe(false);
  });
});
