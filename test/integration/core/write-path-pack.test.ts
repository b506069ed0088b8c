import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { GitStore, StaleSnapshotError } from '../../../src/index.js';
import { PACK_COUNT_THRESHOLD } from '../../../src/core/batch.js';
import { ObjectSink, TREE_PACK_THRESHOLD } from '../../../src/core/object-sink.js';
import { fsck, git, tempDir, type TempDir } from './helpers.js';

let tmp: TempDir;
let repoPath: string;
let store: GitStore;

beforeEach(async () => {
  tmp = tempDir();
  repoPath = join(tmp.path, 'repo.git');
  store = await GitStore.open(repoPath, { autoPack: false });
});
afterEach(() => tmp.cleanup());

const looseCount = () => Number(/^count: (\d+)/m.exec(git(repoPath, 'count-objects', '-v'))?.[1]);
const idxFiles = () =>
  readdirSync(join(repoPath, 'objects/pack'))
    .filter((n) => n.endsWith('.idx'))
    .map((n) => join(repoPath, 'objects/pack', n));
/** Object id → type of everything in one pack, as `git verify-pack -v` lists it. */
function packContents(idx: string): Map<string, string> {
  const out = git(repoPath, 'verify-pack', '-v', idx);
  const m = new Map<string, string>();
  for (const line of out.split('\n')) {
    const hit = /^([0-9a-f]{40}) (\w+) /.exec(line);
    if (hit) m.set(hit[1]!, hit[2]!);
  }
  return m;
}
const treesOf = (commit: string) =>
  git(repoPath, 'ls-tree', '-r', '-t', commit)
    .trim()
    .split('\n')
    .filter((l) => l.includes(' tree '))
    .map((l) => l.split(/\s+/)[2]!);

describe('commit objects next to a batch pack', () => {
  it('a packed batch puts its new trees and the commit in the same pack, no loose objects', async () => {
    const loose = looseCount();
    const batch = (await store.branches.get('main')).batch();
    for (let i = 0; i <= PACK_COUNT_THRESHOLD * 2; i++) await batch.writeText(`d${i % 40}/sub/f${i}.txt`, `content ${i}`);
    const fs = await batch.commit();
    expect(looseCount()).toBe(loose);
    const idx = idxFiles();
    expect(idx).toHaveLength(1);
    const contents = packContents(idx[0]!);
    expect(contents.get(fs.commitHash)).toBe('commit');
    expect(contents.get(fs.treeHash)).toBe('tree');
    const trees = treesOf(fs.commitHash);
    expect(trees.length).toBe(80);
    for (const t of trees) expect(contents.get(t)).toBe('tree');
    expect(git(repoPath, 'rev-parse', 'main').trim()).toBe(fs.commitHash);
    fsck(repoPath);
  });

  it('a small commit still writes loose objects', async () => {
    const fs = await (await store.branches.get('main')).writeText('a/b/c.txt', 'small');
    expect(idxFiles()).toHaveLength(0);
    expect(git(repoPath, 'cat-file', '-t', fs.commitHash).trim()).toBe('commit');
    expect(looseCount()).toBe(2 + 1 + 3 + 1);
    fsck(repoPath);
  });

  it('many new trees without new blobs get a pack of their own', async () => {
    let fs = await store.branches.get('main');
    fs = await fs.writeText('seed.txt', 'shared');
    const blob = (await store._open()).lookup(fs.treeHash, 'seed.txt');
    const oid = ((await blob) as { oid: string }).oid;
    const loose = looseCount();
    const batch = fs.batch();
    for (let i = 0; i <= TREE_PACK_THRESHOLD; i++) batch._stageExisting(`copy${i}/seed${i}.txt`, oid, '100644');
    fs = await batch.commit();
    expect(looseCount()).toBe(loose);
    const contents = packContents(idxFiles()[0]!);
    expect([...contents.values()].filter((t) => t === 'tree')).toHaveLength(TREE_PACK_THRESHOLD + 2);
    expect(contents.get(fs.commitHash)).toBe('commit');
    expect(contents.has(oid)).toBe(false);
    fsck(repoPath);
  });

  it('a big notes batch stores its blobs, trees and commit in one pack', async () => {
    const loose = looseCount();
    const batch = store.notes.namespace('many').batch();
    const hashes = Array.from({ length: TREE_PACK_THRESHOLD * 2 }, (_, i) => createHash('sha1').update(String(i)).digest('hex'));
    for (const h of hashes) await batch.set(h, `note ${h.slice(0, 6)}`);
    await batch.commit();
    expect(looseCount()).toBe(loose);
    expect(idxFiles()).toHaveLength(1);
    expect(git(repoPath, 'notes', '--ref', 'many', 'show', hashes[5]!)).toBe(`note ${hashes[5]!.slice(0, 6)}`);
    fsck(repoPath);
  });

  it('a stale packed batch fails without moving the ref and leaves a valid repository', async () => {
    const base = await store.branches.get('main');
    const batch = base.batch();
    for (let i = 0; i <= PACK_COUNT_THRESHOLD; i++) await batch.writeText(`x/f${i}.txt`, `v${i}`);
    const moved = await base.writeText('other.txt', 'meanwhile');
    await expect(batch.commit()).rejects.toBeInstanceOf(StaleSnapshotError);
    expect(git(repoPath, 'rev-parse', 'main').trim()).toBe(moved.commitHash);
    fsck(repoPath);
  });
});

describe('ObjectSink', () => {
  const blobs = (n: number, tag: string) => Array.from({ length: n }, (_, i) => Buffer.from(`${tag} ${i}`));

  it('stores loose below the threshold, one pack above it, and reports when stored', async () => {
    const repo = await store._open();
    const loose = looseCount();
    const small = new ObjectSink(repo.objects);
    let stored = 0;
    for (const b of blobs(3, 'small')) await small.write('blob', b);
    small.whenStored(() => (stored += 1));
    expect(looseCount()).toBe(loose);
    await small.finish();
    expect(stored).toBe(1);
    expect(looseCount()).toBe(loose + 3);
    const big = new ObjectSink(repo.objects);
    const ids = [];
    for (const b of blobs(TREE_PACK_THRESHOLD + 1, 'big')) ids.push(await big.write('blob', b));
    await big.finish();
    expect(looseCount()).toBe(loose + 3);
    expect([...packContents(idxFiles()[0]!).keys()].sort()).toEqual(ids.sort());
    fsck(repoPath);
  });

  it('abort stores nothing and never reports', async () => {
    const repo = await store._open();
    const loose = looseCount();
    for (const n of [2, TREE_PACK_THRESHOLD + 1]) {
      const sink = new ObjectSink(repo.objects);
      for (const b of blobs(n, `gone ${n}`)) await sink.write('blob', b);
      sink.whenStored(() => expect.fail('reported after abort'));
      await sink.abort();
    }
    expect(looseCount()).toBe(loose);
    expect(readdirSync(join(repoPath, 'objects/pack'))).toEqual([]);
  });
});
