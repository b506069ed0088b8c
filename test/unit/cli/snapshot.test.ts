import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitStore } from '../../../src/index.js';
import {
  checkPathConflicts,
  currentBranch,
  resolveRef,
  resolveSnapshot,
  resolveWriteBranch,
  SnapshotFlags,
} from '../../../src/cli/snapshot.js';
import { parsePathArg, RepoPathArg } from '../../../src/cli/refpath.js';

const ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.com',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

function git(cwd: string, args: string[], env: Record<string, string> = {}): string {
  const r = spawnSync('git', args, { cwd, env: { ...ENV, ...env } });
  if (r.status !== 0) throw new Error(r.stderr.toString());
  return r.stdout.toString().trim();
}

/**
 * main: m1 (a.txt) → m2 (b.txt) → m3 (a.txt again) → m4 (c.txt), one per day
 * from 2024-01-01 noon UTC; branch `dev` at m2; tag `v1` (annotated) at m1;
 * a branch and a tag both named `same` (at m4 and m1).
 */
describe('snapshot selection (cli.md §4)', () => {
  let dir: string;
  let store: GitStore;
  const m: string[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vost-h3-snap-'));
    const work = join(dir, 'w');
    git(dir, ['init', '-q', '-b', 'main', work]);
    const files = ['a.txt', 'b.txt', 'a.txt', 'c.txt'];
    files.forEach((f, i) => {
      writeFileSync(join(work, f), `v${i}`);
      git(work, ['add', f]);
      const date = `${Date.UTC(2024, 0, 1 + i, 12) / 1000} +0000`;
      git(work, ['commit', '-q', '-m', `step ${i + 1}: ${f}`], { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
      m.push(git(work, ['rev-parse', 'HEAD']));
    });
    git(work, ['checkout', '-q', '-b', 'skew']);
    git(work, ['commit', '-q', '--allow-empty', '-m', 'skewed'], {
      GIT_AUTHOR_DATE: `${Date.UTC(2023, 0, 1) / 1000} +0000`,
      GIT_COMMITTER_DATE: `${Date.UTC(2024, 1, 1) / 1000} +0000`,
    });
    git(work, ['checkout', '-q', 'main']);
    git(work, ['branch', 'dev', m[1]]);
    git(work, ['branch', 'same', m[3]]);
    git(work, ['tag', 'same', m[0]]);
    git(work, ['tag', '-a', '-m', 'one', 'v1', m[0]]);
    const bare = join(dir, 'r.git');
    git(dir, ['clone', '-q', '--bare', work, bare]);
    store = await GitStore.open(bare, { create: false });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const pick = async (flags: SnapshotFlags, target: { ref?: string; back?: number; extraBack?: number } = {}) =>
    (await resolveSnapshot(store, flags, target)).commitHash;

  it('resolves branch, then tag, then commit prefixes (cli.md §4.1)', async () => {
    expect((await resolveRef(store, 'same')).commitHash).toBe(m[3]);
    const tag = await resolveRef(store, 'v1');
    expect([tag.commitHash, tag.writable]).toEqual([m[0], false]);
    expect((await resolveRef(store, m[2].slice(0, 8).toUpperCase())).commitHash).toBe(m[2]);
    await expect(resolveRef(store, 'nope')).rejects.toThrow('Unknown ref: nope');
    await expect(resolveRef(store, 'abcdef0')).rejects.toThrow(/^Unknown ref: abcdef0$/);
    const blob = git(join(dir, 'r.git'), ['rev-parse', 'main:a.txt']);
    await expect(resolveRef(store, blob)).rejects.toThrow(`Object ${blob} is not a commit`);
  });

  it('applies start, ~N, filters, then --back (cli.md §4.3)', async () => {
    expect(await pick({})).toBe(m[3]);
    expect(await pick({ branch: 'dev' })).toBe(m[1]);
    expect(await pick({ branch: 'dev', ref: 'main' })).toBe(m[3]);
    expect(await pick({}, { ref: 'dev' })).toBe(m[1]);
    expect(await pick({ path: 'a.txt' })).toBe(m[2]);
    expect(await pick({ path: 'main:/a.txt/' })).toBe(m[2]);
    expect(await pick({ path: 'a.txt' }, { back: 2 })).toBe(m[0]);
    expect(await pick({ path: 'a.txt', back: 1 })).toBe(m[1]);
    expect(await pick({ match: 'step [12]:*' })).toBe(m[1]);
    expect(await pick({ match: 'step ?: a.txt', path: 'a.txt', back: 0 }, { back: 1 })).toBe(m[2]);
    expect(await pick({ before: '2024-01-02' })).toBe(m[1]);
    expect(await pick({ before: '2024-01-02T11:59:59Z' })).toBe(m[0]);
    expect(await pick({ before: '2024-01-03T13:00:00+02:00' })).toBe(m[1]);
    expect(await pick({}, { extraBack: 1 })).toBe(m[2]);
    // --before compares commit (committer) time, not author time.
    expect(await pick({ branch: 'skew', before: '2024-01-15' })).toBe(m[3]);
    await expect(pick({ match: 'zzz' })).rejects.toThrow('No matching commits found');
    await expect(pick({ back: 4 })).rejects.toThrow('Cannot go back 4 commits — history too short');
    await expect(pick({ back: -1 })).rejects.toThrow('--back must be >= 0');
    await expect(pick({ branch: 'gone' })).rejects.toThrow('Branch not found: gone');
  });

  it('checks explicit refs in paths against the flags (cli.md §4.4)', () => {
    const args = (...raw: string[]) => raw.map((r) => parsePathArg(r) as RepoPathArg);
    expect(() => checkPathConflicts(args(':a', ':b'), { ref: 'x', back: 1, match: '*' })).not.toThrow();
    expect(() => checkPathConflicts(args('dev:a'), { ref: 'x' })).toThrow('Cannot use --ref with explicit ref: in path');
    expect(() => checkPathConflicts(args('dev:a'), { branch: 'x' })).toThrow('Cannot use -b/--branch with explicit ref: in path');
    expect(() => checkPathConflicts(args('~1:a'), { back: 2 })).toThrow('Cannot use --back with ~N in path');
    expect(() => checkPathConflicts(args('dev:a', 'main:b'), { before: '2024-01-01' })).toThrow(
      'Cannot use snapshot filters with paths targeting different refs',
    );
    expect(() => checkPathConflicts(args('dev:a', 'dev:b'), { before: '2024-01-01' })).not.toThrow();
  });

  it('finds the writable branch or refuses with the command wording (cli.md §3.4)', async () => {
    expect((await resolveWriteBranch(store, { ref: '', back: 0 }, { command: 'cp' })).refName).toBe('main');
    expect((await resolveWriteBranch(store, { ref: 'dev', back: 0 }, { command: 'write', branch: 'x' })).refName).toBe('dev');
    const fails: Array<[string, number, 'cp' | 'sync' | 'write' | 'rm' | 'mv', string]> = [
      ['v1', 0, 'cp', "Cannot write to tag 'v1' — use a branch"],
      ['v1', 0, 'write', "Cannot write to tag 'v1' — use a branch"],
      ['v1', 0, 'rm', "Cannot remove in tag 'v1' — use a branch"],
      ['v1', 0, 'mv', "Cannot move in tag 'v1' — use a branch"],
      [m[0].slice(0, 7), 0, 'cp', `Branch not found: ${m[0].slice(0, 7)}`],
      ['main', 1, 'sync', 'Cannot write to a historical commit (remove ~N from destination)'],
      ['', 2, 'write', 'Cannot write to a historical commit (remove ~N)'],
      ['', 1, 'mv', 'Cannot move to/from a historical commit (remove ~N)'],
    ];
    for (const [ref, back, command, text] of fails) {
      await expect(resolveWriteBranch(store, { ref, back }, { command })).rejects.toThrow(text);
    }
  });

  it('falls back to main when HEAD names a missing branch', async () => {
    expect(await currentBranch(store)).toBe('main');
    git(join(dir, 'r.git'), ['symbolic-ref', 'HEAD', 'refs/heads/dev']);
    expect(await currentBranch(store)).toBe('dev');
    git(join(dir, 'r.git'), ['symbolic-ref', 'HEAD', 'refs/heads/gone']);
    expect(await currentBranch(store)).toBe('main');
    git(join(dir, 'r.git'), ['symbolic-ref', 'HEAD', 'refs/heads/main']);
  });
});
