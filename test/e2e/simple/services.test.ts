/**
 * The service modules behind ls/rm/mv/cmp/write, driven in-process on a
 * git-built repository: edge cases that would cost a subprocess each through
 * the CLI. git stays the oracle for every commit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GitStore } from '../../../src/core/index.js';
import { commitOrFail } from '../../../src/cli/commands/commit.js';
import { collectListing, compareCodePoints } from '../../../src/cli/commands/listing.js';
import { localBlobId } from '../../../src/cli/commands/local-blob.js';
import { commitMove, moveReport, planMove, renderMoveDryRun } from '../../../src/cli/commands/moving.js';
import { planRemoval } from '../../../src/cli/commands/removal.js';
import { writeWithRetry } from '../../../src/cli/commands/writing.js';
import { renderMessage } from '../../../src/cli/message.js';
import { cleanup, fsckClean, git, lsTree, makeRepo, tempDir } from './helpers.js';

let base: string;
let repo: string;
let store: GitStore;
const tip = () => store.branches.get('main');

beforeAll(async () => {
  base = tempDir();
  repo = makeRepo(base, [
    {
      message: 'seed',
      files: {
        'a.txt': 'a\n',
        'b.txt': 'b\n',
        'run.sh': { exec: 'x\n' },
        'd/one.txt': '1\n',
        'd/sub/two.txt': '2\n',
        'e/keep.txt': 'k\n',
      },
    },
  ]);
  git(repo, ['update-ref', 'refs/heads/old', 'main']);
  store = await GitStore.open(repo, { create: false });
});
afterAll(() => cleanup(base));

describe('mv planning', () => {
  it('reports an overwrite as an update and keeps ids and modes', async () => {
    const fs = await tip();
    const plan = await planMove(fs, ['run.sh'], { path: 'a.txt', trailingSlash: false }, { recursive: false, noGlob: false });
    expect(plan.pairs).toEqual([{ from: 'run.sh', to: 'a.txt', mode: '100755', oid: git(repo, ['rev-parse', 'main:run.sh']) }]);
    const message = renderMessage(undefined, await moveReport(fs, plan), 'mv');
    expect(message).toBe('Batch mv: ~1 -1');
    const before = lsTree(repo);
    await commitMove(fs, plan, { message, parents: [] });
    const after = lsTree(repo);
    expect(after.get('a.txt')).toEqual(before.get('run.sh'));
    expect(after.has('run.sh')).toBe(false);
    expect(git(repo, ['log', '-1', '--format=%s'])).toBe('Batch mv: ~1 -1');
    expect(fsckClean(repo)).toBe(true);
  });

  it('refuses to move several sources into an existing file', async () => {
    const fs = await tip();
    await expect(planMove(fs, ['a.txt', 'b.txt'], { path: 'e/keep.txt', trailingSlash: false }, { recursive: false, noGlob: false }))
      .rejects.toThrow('Not a directory: e/keep.txt');
  });

  it('moves a directory into another and sorts the dry run by path', async () => {
    const fs = await tip();
    const plan = await planMove(fs, ['d'], { path: 'e', trailingSlash: false }, { recursive: true, noGlob: false });
    expect(renderMoveDryRun(plan)).toBe('- :d/one.txt\n- :d/sub/two.txt\n+ :e/d/one.txt\n+ :e/d/sub/two.txt\n');
    await expect(planMove(fs, ['d'], { path: 'e', trailingSlash: false }, { recursive: false, noGlob: false }))
      .rejects.toThrow('d is a directory — use -R to move recursively');
  });
});

describe('rm planning', () => {
  it('treats a trailing slash as a directory removal that needs -R', async () => {
    const fs = await tip();
    await expect(planRemoval(fs, [{ path: 'b.txt', trailingSlash: true }], { recursive: false, noGlob: false }))
      .rejects.toThrow('b.txt is a directory — use -R to remove recursively');
    const files = await planRemoval(fs, [{ path: 'd', trailingSlash: true }, { path: 'd/one.txt', trailingSlash: false }], {
      recursive: true,
      noGlob: false,
    });
    expect(files).toEqual([
      { path: 'd/one.txt', mode: '100644' },
      { path: 'd/sub/two.txt', mode: '100644' },
    ]);
  });
});

describe('ls collection', () => {
  it('merges snapshots by displayed name, first occurrence wins, sorted by code point', async () => {
    const now = await tip();
    const old = await store.branches.get('old');
    const entries = await collectListing(
      [
        { fs: now, path: '', glob: false },
        { fs: old, path: '', glob: false },
      ],
      { recursive: false, long: false },
    );
    const names = entries.map((e) => e.name);
    expect(names).toEqual(['a.txt', 'b.txt', 'd', 'e', 'run.sh']);
    expect(entries.find((e) => e.name === 'a.txt')!.oid).toBe(git(repo, ['rev-parse', 'main:a.txt']));
  });

  it('orders astral characters after the rest of the BMP', () => {
    const names = ['\u{1F600}', '\uFFFD', 'z'];
    expect([...names].sort(compareCodePoints)).toEqual(['z', '\uFFFD', '\u{1F600}']);
  });
});

describe('local blob ids', () => {
  it('match git hash-object for files and hash links by their target', async () => {
    const file = join(base, 'local.bin');
    writeFileSync(file, Buffer.from([0, 1, 2, 255]));
    const want = spawnSync('git', ['hash-object', file]).stdout.toString().trim();
    expect(await localBlobId(file)).toBe(want);
    const link = join(base, 'local.link');
    symlinkSync('local.bin', link);
    const target = spawnSync('git', ['hash-object', '--stdin'], { input: 'local.bin' }).stdout.toString().trim();
    expect(await localBlobId(link)).toBe(target);
  });
});

describe('write with retry', () => {
  it('commits on the branch as it is at commit time and skips identical content', async () => {
    const stale = await tip();
    const moved = await stale.write('other.txt', Buffer.from('o\n'));
    const oid = await (await stale._repo()).objects.write('blob', Buffer.from('w\n'));
    const result = await writeWithRetry(store, 'main', 'w.txt', oid, { parents: [] });
    expect(git(repo, ['rev-parse', 'main~1'])).toBe(moved.commitHash);
    expect(git(repo, ['log', '-1', '--format=%s'])).toBe('+ w.txt');
    const again = await writeWithRetry(store, 'main', 'w.txt', oid, { parents: [] });
    expect(again.commitHash).toBe(result.commitHash);
    expect(fsckClean(repo)).toBe(true);
  });
});

describe('stale snapshots', () => {
  it('report the concurrency error and commit nothing', async () => {
    const stale = await tip();
    await stale.write('race.txt', Buffer.from('r\n'));
    const head = git(repo, ['rev-parse', 'main']);
    await expect(commitOrFail(() => stale.apply(null, ['b.txt'], { operation: 'rm' }))).rejects.toThrow(
      'Branch modified concurrently — retry',
    );
    expect(git(repo, ['rev-parse', 'main'])).toBe(head);
  });
});
