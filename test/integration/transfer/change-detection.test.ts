/**
 * The fast paths of change detection against git as the oracle: tree ids
 * computed from the planned entries equal git's, identical repo subtrees
 * are never read yet every real change is found, and the binary stat cache
 * survives partial rewrites and damage.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, statSync, symlinkSync, truncateSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import '../../../src/transfer/library.js';
import { GitStore } from '../../../src/core/index.js';
import type { FS } from '../../../src/core/fs.js';
import type { Entry, EntryKind } from '../../../src/plugins/contract.js';
import { DirEndpoint } from '../../../src/plugins/dir/endpoint.js';
import { StatCache } from '../../../src/plugins/dir/statcache.js';
import type { SourceItem } from '../../../src/transfer/enumerate.js';
import { compareBytes } from '../../../src/core/objects/tree.js';
import { sourceTrees } from '../../../src/transfer/tree-ids.js';

let root: string;
let store: GitStore;
let main: FS;
const git = (...args: string[]) => execFileSync('git', ['--git-dir', join(root, 'repo.git'), ...args], { encoding: 'utf8' });
const PAST = new Date(Date.now() - 3600_000);

/** Files with an old mtime; after the pause their ctimes are no longer racy, so a sync caches them. */
async function tree(dir: string, files: Record<string, string>): Promise<string> {
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), c);
    utimesSync(join(dir, p), PAST, PAST);
  }
  await new Promise((r) => setTimeout(r, 120));
  return dir;
}

/** path → blob id on main, from git itself. */
function gitFiles(): Map<string, { mode: string; oid: string }> {
  const out = new Map<string, { mode: string; oid: string }>();
  for (const rec of git('ls-tree', '-r', '-z', 'main').split('\0').filter(Boolean)) {
    const [meta, path] = rec.split('\t');
    const [mode, , oid] = meta.split(' ');
    out.set(path, { mode, oid });
  }
  return out;
}

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'vost-detect-'));
  store = await GitStore.open(join(root, 'repo.git'), { create: true, branch: 'main' });
  main = await store.branches.get('main');
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(root, { recursive: true, force: true });
});

const NAMES = {
  'a': '1', 'a.b': '2', 'a-b': '3', 'a0': '4', 'a/x': '5', 'a/b/c.txt': '6', 'ab/d': '7',
  'é.txt': '8', 'zz/\u{1F600}.txt': '9', 'zz/\uFB00.txt': '10', 'zz/\uFB00/in': '11', 'run.sh': '#!/bin/sh\n',
};

describe('source tree ids', () => {
  it('equal the ids git computes, for every folder, with git-order names, modes and links', async () => {
    const src = await tree(join(root, 'src'), Object.fromEntries(Object.entries(NAMES).filter(([p]) => p !== 'a')));
    chmodSync(join(src, 'run.sh'), 0o755);
    symlinkSync('a.b', join(src, 'link'));
    await main.syncIn(src, '');
    const items = new Map<string, SourceItem>();
    for (const [path, { mode, oid }] of gitFiles()) {
      const kind: EntryKind = mode === '120000' ? 'symlink' : mode === '100755' ? 'executable' : 'file';
      const entry: Entry = { path, kind, size: 0, oid };
      items.set(path, { source: 0, entry });
    }
    const ids = sourceTrees(items, (s) => s.entry.kind);
    for (const dir of ['', 'a', 'a/b', 'ab', 'zz', 'zz/\uFB00']) {
      expect(ids.get(dir)!.id, dir).toBe(git('rev-parse', `main:${dir}`).trim());
    }
    // A forced kind changes the ids; one entry without a blob id leaves its folders (only) without one.
    expect(sourceTrees(items, () => 'executable').get('')!.id).not.toBe(ids.get('')!.id);
    items.set('a/b/new', { source: 0, entry: { path: 'a/b/new', kind: 'file', size: 1 } });
    const partial = sourceTrees(items, (s) => s.entry.kind);
    expect([partial.get('')!.id, partial.get('a')!.id, partial.get('a/b')!.id]).toEqual([null, null, null]);
    expect(partial.get('zz')!.id).toBe(ids.get('zz')!.id);
  });

  it('sorts names in UTF-8 byte order, with folders as if they ended in "/"', () => {
    const names = ['\uFB00', '\u{1F601}', '\u{1F600}', 'a/', 'a.b', 'a-b', 'a0', 'é'];
    const bytes = [...names].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect([...names].sort(compareBytes)).toEqual(bytes);
  });
});

describe('syncing into a repo', () => {
  it('reads no repo tree when nothing changed, and only the changed paths when something did', async () => {
    const files: Record<string, string> = {};
    for (let d = 0; d < 4; d++) for (let f = 0; f < 5; f++) files[`d${d}/sub/f${f}.txt`] = `${d}-${f}`;
    const src = await tree(join(root, 'src'), files);
    let fs = await main.syncIn(src, '');
    const repo = await fs._repo();
    const reads = vi.spyOn(repo, 'readTree');
    const again = await fs.syncIn(src, '');
    expect(again).toBe(fs);
    expect(reads).not.toHaveBeenCalled();

    writeFileSync(join(src, 'd1/sub/f2.txt'), 'X-Y');
    utimesSync(join(src, 'd1/sub/f2.txt'), PAST, PAST);
    chmodSync(join(src, 'd2/sub/f0.txt'), 0o755);
    unlinkSync(join(src, 'd3/sub/f4.txt'));
    await tree(src, { 'd3/new/n.txt': 'n' });
    const before = git('rev-parse', 'main').trim();
    fs = await fs.syncIn(src, '');
    const diff = git('diff', '--name-status', before, 'main').trim().split('\n').sort();
    expect(diff).toEqual(['A\td3/new/n.txt', 'D\td3/sub/f4.txt', 'M\td1/sub/f2.txt', 'M\td2/sub/f0.txt']);
    expect(fs.changes!.update.map((e) => e.path).sort()).toEqual(['d1/sub/f2.txt', 'd2/sub/f0.txt']);
    const untouched = git('rev-parse', `${before}:d0`).trim();
    expect(reads.mock.calls.map(([oid]) => oid)).not.toContain(untouched);
    execFileSync('git', ['--git-dir', join(root, 'repo.git'), 'fsck', '--strict']);
  });

  it('a repo file of another mode or a foreign entry still counts as different', async () => {
    const src = await tree(join(root, 'src'), { 'sub/a.txt': 'a', 'b.txt': 'b' });
    let fs = await main.syncIn(src, '');
    fs = await fs.write('sub/a.txt', Buffer.from('a'), { mode: 'executable' });
    fs = await fs.syncIn(src, '');
    expect(git('ls-tree', 'main', 'sub/a.txt').split(' ')[0]).toBe('100644');
    expect(fs.changes!.update.map((e) => e.path)).toEqual(['sub/a.txt']);
  });
});

describe('the stat cache file', () => {
  async function listed(src: string): Promise<Entry[]> {
    const out: Entry[] = [];
    for await (const e of new DirEndpoint(src, { repoPath: join(root, 'repo.git') }).list()) out.push(e);
    return out;
  }

  it('keeps every unchanged row when another is rewritten, and a damaged file only costs hashing', async () => {
    const src = await tree(join(root, 'src'), { 'a.txt': 'a', 'b/c.txt': 'c', 'b/d.txt': 'd', 'b/e.txt': 'e', 'b/f.txt': 'f' });
    let fs = await main.syncIn(src, '');
    writeFileSync(join(src, 'b/c.txt'), 'C');
    utimesSync(join(src, 'b/c.txt'), PAST, PAST);
    unlinkSync(join(src, 'b/e.txt'));
    await new Promise((r) => setTimeout(r, 120));
    fs = await fs.syncIn(src, '');
    const ids = gitFiles();
    expect([...ids.keys()]).toEqual(['a.txt', 'b/c.txt', 'b/d.txt', 'b/f.txt']);
    const entries = await listed(src);
    expect(entries.map((e) => [e.path, e.oid])).toEqual([...ids].map(([p, { oid }]) => [p, oid]));

    const cacheDir = join(root, 'repo.git', 'vost', 'statcache');
    const [file] = readdirSync(cacheDir);
    expect(file).toMatch(/^[0-9a-f]{40}\.bin$/);
    truncateSync(join(cacheDir, file), 40);
    expect((await listed(src)).every((e) => e.oid === undefined)).toBe(true);
    const same = await fs.syncIn(src, '');
    expect(same).toBe(fs);
    expect((await listed(src)).map((e) => e.oid)).toEqual([...ids.values()].map((v) => v.oid));
  });

  it('is not rewritten by a no-op sync, and forgets files that are gone', async () => {
    const src = await tree(join(root, 'src'), { 'a.txt': 'a', 'd/b.txt': 'b' });
    let fs = await main.syncIn(src, '');
    const cacheDir = join(root, 'repo.git', 'vost', 'statcache');
    const file = join(cacheDir, readdirSync(cacheDir)[0]);
    const written = statSync(file, { bigint: true }).mtimeNs;
    await new Promise((r) => setTimeout(r, 20));
    expect(await fs.syncIn(src, '')).toBe(fs);
    expect(statSync(file, { bigint: true }).mtimeNs).toBe(written);

    const gone = lstatSync(join(src, 'd/b.txt'), { bigint: true });
    const kept = lstatSync(join(src, 'a.txt'), { bigint: true });
    unlinkSync(join(src, 'd/b.txt'));
    fs = await fs.syncIn(src, '');
    expect(fs.changes!.delete.map((e) => e.path)).toEqual(['d/b.txt']);
    const cache = StatCache.load(join(root, 'repo.git'), realpathSync(src));
    expect(cache.lookup('d/b.txt', gone)).toBeUndefined();
    expect(cache.lookup('a.txt', kept)).toBe(gitFiles().get('a.txt')!.oid);
  });
});
