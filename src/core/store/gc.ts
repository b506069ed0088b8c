import { join } from 'node:path';
import { decodeCommit } from '../objects/commit.js';
import { decodeTag } from '../objects/tag.js';
import { forEachTreeChild } from '../objects/tree.js';
import { ObjectNotFoundError } from '../errors.js';
import { listLoose, loosePath } from './loose.js';
import type { FileObjectStore } from './object-store.js';
import type { FilePackWriter } from './pack-writer.js';
import type { RepoFs } from './repo-fs.js';
import type { Oid } from './types.js';

/**
 * Copy one object into a pack: entries of existing packs byte for byte
 * (CRC-checked; deltas kept when their base is packed too), big bodies
 * streamed, everything else read and re-deflated.
 */
async function copyInto(store: FileObjectStore, writer: FilePackWriter, oid: Oid, packedToo: (oid: Oid) => boolean): Promise<void> {
  const loc = await store.packs.locate(oid);
  const raw = loc ? await store.packs.raw(loc, oid) : null;
  if (raw?.kind === 'whole') {
    await writer.addCompressed(oid, raw.type, raw.size, raw.compressed);
    return;
  }
  if (raw?.kind === 'delta' && packedToo(raw.baseOid)) {
    await writer.addCompressedDelta(oid, raw.baseOid, raw.size, raw.compressed);
    return;
  }
  const h = await store.readHeader(oid);
  if (!h) throw new ObjectNotFoundError(oid);
  if (h.size > store.bigFileThreshold) {
    const { stream } = await store.stream(oid);
    await writer.addStream(h.type, h.size, stream, { skipExisting: false });
  } else {
    const obj = await store.read(oid);
    await writer.add(obj.type, obj.data, { skipExisting: false });
  }
}

/** Move every loose object into one new pack, then delete the loose files. Returns objects packed. */
export async function packLoose(store: FileObjectStore): Promise<number> {
  const loose = await listLoose(store.fs, store.objdir);
  if (!loose.length) return 0;
  const writer = await store.packWriter();
  const packed: Oid[] = [];
  try {
    for (const oid of loose) {
      if (await store.packs.locate(oid)) continue;
      await copyInto(store, writer, oid, () => false);
      packed.push(oid);
    }
    await writer.finish();
  } catch (err) {
    await writer.abort();
    throw err;
  }
  await removeLoose(store.fs, store.objdir, loose, Infinity);
  return packed.length;
}

/**
 * Every object reachable from `roots`: commits, tags and trees are read,
 * blobs are known from their tree entries without being touched. Missing
 * roots and parents are skipped (a reflog may name pruned commits, a shallow
 * repository lacks old history); any other missing object fails the gc
 * before anything is deleted.
 */
async function reachable(store: FileObjectStore, roots: Oid[]): Promise<Set<Oid>> {
  const seen = new Set<Oid>();
  const stack: Array<{ oid: Oid; root: boolean }> = roots.map((oid) => ({ oid, root: true }));
  while (stack.length) {
    const { oid, root } = stack.pop()!;
    if (seen.has(oid)) continue;
    const h = await store.readHeader(oid);
    if (!h) {
      if (root) continue;
      throw new ObjectNotFoundError(oid);
    }
    seen.add(oid);
    if (h.type === 'blob') continue;
    const { data } = await store.read(oid);
    if (h.type === 'commit') {
      const c = decodeCommit(data);
      stack.push({ oid: c.tree, root: false });
      // Parents count as roots: a shallow repository lacks the ones past its boundary.
      for (const p of c.parents) stack.push({ oid: p, root: true });
    } else if (h.type === 'tree') {
      forEachTreeChild(data, (id, isTree) => {
        if (isTree) stack.push({ oid: id, root: false });
        else seen.add(id);
      });
    } else {
      stack.push({ oid: decodeTag(data).object, root: false });
    }
  }
  return seen;
}

/**
 * Write one pack of everything reachable from `roots`, then delete the packs
 * and loose objects that existed before (except ones younger than `graceMs`,
 * which a concurrent writer may be about to reference). Returns objects packed.
 */
export async function collectGarbage(store: FileObjectStore, roots: Oid[], graceMs: number): Promise<number> {
  const started = Date.now();
  await store.packs.rescan({ force: true });
  const { fs } = store;
  const oldPacks = [...(await store.packs.list())];
  const loose = await listLoose(fs, store.objdir);
  const live = await reachable(store, roots);
  const writer = await store.packWriter();
  try {
    for (const oid of live) await copyInto(store, writer, oid, (base) => live.has(base));
    await writer.finish();
  } catch (err) {
    await writer.abort();
    throw err;
  }
  const cutoff = graceMs > 0 ? started - graceMs : Infinity;
  for (const p of oldPacks) {
    // Same content gives the same name: the new pack may have replaced an old one in place.
    if (p.packPath === writer.packPath) continue;
    const st = await fs.stat(p.packPath).catch(() => null);
    if (!st || (cutoff !== Infinity && st.mtimeMs > cutoff)) continue;
    if (await exists(fs, p.packPath.replace(/\.pack$/, '.keep'))) continue;
    await removePack(fs, p.packPath, p.idxPath);
  }
  await removeLoose(fs, store.objdir, loose, cutoff);
  await dropIndexCaches(fs, store.objdir);
  await store.packs.rescan({ force: true });
  return writer.count;
}

/**
 * git's optional lookup caches (multi-pack-index, commit-graph) may name the
 * packs and commits gc just removed; they are rebuilt by git on demand.
 */
async function dropIndexCaches(fs: RepoFs, objdir: string): Promise<void> {
  for (const rel of ['pack/multi-pack-index', 'info/commit-graph', 'info/commit-graphs']) {
    await fs.rm(join(objdir, rel), { recursive: true });
  }
}

/** A pack, its index and the optional files git keeps beside them. */
async function removePack(fs: RepoFs, packPath: string, idxPath: string): Promise<void> {
  await fs.rm(idxPath);
  await fs.rm(packPath);
  for (const ext of ['.rev', '.bitmap', '.mtimes']) await fs.rm(packPath.replace(/\.pack$/, ext));
}

async function exists(fs: RepoFs, path: string): Promise<boolean> {
  return fs.stat(path).then(
    () => true,
    () => false,
  );
}

/** Delete the given loose objects last modified before `cutoff`, then prune empty fan-out dirs. */
async function removeLoose(fs: RepoFs, objdir: string, oids: Oid[], cutoff: number): Promise<void> {
  const dirs = new Set<string>();
  for (const oid of oids) {
    const path = loosePath(objdir, oid);
    if (cutoff !== Infinity) {
      const st = await fs.stat(path).catch(() => null);
      if (!st || st.mtimeMs > cutoff) continue;
    }
    await fs.rm(path);
    dirs.add(join(objdir, oid.slice(0, 2)));
  }
  for (const d of dirs) await fs.rmdir(d).catch(() => undefined);
}

/**
 * Consolidate without pruning: every object of every pack (but `.keep` ones)
 * and every loose object into one new pack, then delete exactly what was
 * copied. The new pack and its index are in place before anything goes, so
 * a reader always finds each object in one or the other (readers in other
 * processes rescan the pack directory on a miss). Returns objects packed.
 */
export async function repackAll(store: FileObjectStore): Promise<number> {
  await store.packs.rescan({ force: true });
  const { fs } = store;
  const packs = [];
  for (const p of await store.packs.list()) {
    if (!(await exists(fs, p.packPath.replace(/\.pack$/, '.keep')))) packs.push(p);
  }
  const loose = await listLoose(fs, store.objdir);
  const all = new Set<Oid>(loose);
  for (const p of packs) {
    const idx = await p.index();
    for (let i = 0; i < idx.count; i++) all.add(idx.oidAt(i));
  }
  if (packs.length + (loose.length ? 1 : 0) < 2) return 0;
  const writer = await store.packWriter();
  try {
    for (const oid of all) await copyInto(store, writer, oid, (base) => all.has(base));
    await writer.finish();
  } catch (err) {
    await writer.abort();
    throw err;
  }
  for (const p of packs) {
    if (p.packPath === writer.packPath) continue;
    await removePack(fs, p.packPath, p.idxPath);
  }
  await removeLoose(fs, store.objdir, loose, Infinity);
  await fs.rm(join(store.objdir, 'pack/multi-pack-index'));
  await store.packs.rescan({ force: true });
  return writer.count;
}
