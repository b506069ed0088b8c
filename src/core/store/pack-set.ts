import zlib from 'node:zlib';
import type { Readable } from 'node:stream';
import { CorruptObjectError } from '../errors.js';
import { applyDelta, deltaSizes, packedDeltaSizes } from './delta.js';
import { isErrno } from './fsutil.js';
import { ByteLru } from './lru.js';
import { PackDir } from './pack-dir.js';
import { OBJ_OFS_DELTA, OBJ_REF_DELTA, typeName, type EntryHeader, type PackFile } from './pack-file.js';
import { hexId, type PackIndex } from './pack-index.js';
import { nodeRepoFs, type RepoFs } from './repo-fs.js';
import type { DeflatedObject, ObjectHeader, ObjectType, Oid, RawObject } from './types.js';

export interface PackLocation {
  pack: PackFile;
  offset: number;
  /** Position in the pack's index (for its CRC32); absent for locations reached through a delta. */
  position?: number;
}

/**
 * An entry exactly as stored, so its zlib data can be copied into another
 * pack as is: a whole object, or a delta against `baseOid`.
 */
export type RawEntry =
  | { kind: 'whole'; type: ObjectType; size: number; compressed: Buffer }
  | { kind: 'delta'; baseOid: Oid; size: number; compressed: Buffer };

/** Reads objects outside the packs (loose), for REF_DELTA bases. */
export type BaseFallback = (oid: Oid) => Promise<RawObject | null>;

const BASE_CACHE_BYTES = 64 * 1024 * 1024;
/** Deeper chains than git ever writes (its limit is 4095) mean a loop in a corrupt pack. */
const MAX_CHAIN = 10_000;
const MAX_TYPE_ENTRIES = 1_000_000;
const FRESHEN_EVERY_MS = 10_000;

interface Delta {
  key: number;
  data: Buffer;
}

class Cached {
  /** Held by the base cache: handed out only as a copy, so no caller can change what later reads get. */
  inCache = false;

  constructor(
    readonly type: ObjectType,
    readonly data: Buffer,
  ) {}

  get length(): number {
    return this.data.length;
  }

  /** The object for a caller. */
  handOut(): RawObject {
    const data = this.inCache ? Buffer.from(this.data) : this.data;
    return { type: this.type, size: data.length, data };
  }
}

/** All packfiles of one objects/pack directory, with a shared delta-base cache. */
export class PackSet {
  private readonly dir: PackDir;
  /** Object type per pack entry (keyed like the cache), so readHeader walks each delta chain once. */
  private readonly types = new Map<number, ObjectType>();
  private readonly freshened = new WeakMap<PackFile, number>();
  private readonly cache = new ByteLru<Cached>(BASE_CACHE_BYTES);
  private readonly packIds = new WeakMap<PackFile, number>();
  private nextPackId = 0;
  private readonly fs: RepoFs;

  constructor(
    readonly packDir: string,
    private readonly fallback: BaseFallback,
    opts: { fs?: RepoFs } = {},
  ) {
    this.fs = opts.fs ?? nodeRepoFs;
    this.dir = new PackDir(packDir, this.fs);
  }

  /** The packs, scanning the directory on first use. */
  list(): Promise<PackFile[]> {
    return this.dir.list();
  }

  /** Re-read the directory (see PackDir.rescan). */
  rescan(opts: { force?: boolean } = {}): Promise<void> {
    return this.dir.rescan(opts);
  }

  /** Which pack holds `oid`, and where. Packs whose files vanished are skipped. */
  async locate(oid: Oid): Promise<PackLocation | null> {
    const raw = Buffer.from(oid, 'hex');
    const packs = await this.list();
    for (let n = 0; n < packs.length; n++) {
      const pack = packs[n]!;
      let idx;
      try {
        idx = await pack.index();
      } catch (err) {
        if (!isErrno(err, 'ENOENT')) this.dir.broken.set(pack.packPath, err as Error);
        continue;
      }
      const loc = this.findIn(packs, n, idx, raw);
      if (loc) return loc;
    }
    return null;
  }

  /**
   * {@link locate} without waiting, once the directory is listed and every
   * index loaded (the steady state); undefined when that is not so yet.
   */
  locateSync(oid: Oid): PackLocation | null | undefined {
    const packs = this.dir.packs;
    if (!packs) return undefined;
    const raw = hexId(oid);
    for (let n = 0; n < packs.length; n++) {
      const idx = packs[n]!.loadedIndex;
      if (!idx) return undefined;
      const loc = this.findIn(packs, n, idx, raw);
      if (loc) return loc;
    }
    return null;
  }

  private findIn(packs: PackFile[], n: number, idx: PackIndex, raw: Uint8Array): PackLocation | null {
    const i = idx.find(raw);
    if (i < 0) return null;
    const pack = packs[n]!;
    this.dir.promote(packs, n);
    return { pack, offset: idx.offsetAt(i), position: i };
  }

  /**
   * Touch a pack that a writer just relied on (an object it would have
   * written was already there), so gc's grace period covers it; at most
   * once per FRESHEN_EVERY_MS per pack.
   */
  async freshen(pack: PackFile): Promise<void> {
    const now = Date.now();
    if (now - (this.freshened.get(pack) ?? 0) < FRESHEN_EVERY_MS) return;
    this.freshened.set(pack, now);
    await this.fs.touch(pack.packPath).catch(() => undefined);
  }

  /** Why some pack could not be searched, if one could not. */
  brokenReason(): string | null {
    const [first] = this.dir.broken.entries();
    return first ? `${first[0]}: ${first[1].message}` : null;
  }

  async findByPrefix(prefix: string): Promise<Oid[]> {
    const out: Oid[] = [];
    for (const pack of await this.list()) {
      const idx = await pack.index();
      for (const i of idx.matchPrefix(prefix)) out.push(idx.oidAt(i));
    }
    return out;
  }

  async read(loc: PackLocation, oid: Oid): Promise<RawObject> {
    try {
      return (this.resolveSync(loc) ?? (await this.resolve(loc))).handOut();
    } catch (err) {
      throw asCorrupt(err, oid);
    }
  }

  /** {@link read} without waiting, when every entry of the delta chain is in a ready pack; undefined otherwise. */
  readSync(loc: PackLocation, oid: Oid): RawObject | undefined {
    try {
      return this.resolveSync(loc)?.handOut();
    } catch (err) {
      throw asCorrupt(err, oid);
    }
  }

  /**
   * {@link readSync} of an object of at most `maxSize` bytes, deltas
   * included: the size is checked from the entry's header (a delta's from
   * its own small header) before the object is built. Undefined when it is
   * bigger or cannot be read without waiting.
   */
  readSmallSync(loc: PackLocation, oid: Oid, maxSize: number): RawObject | undefined {
    if (!loc.pack.ready) return undefined;
    try {
      const h = loc.pack.headerSync(loc.offset);
      if (h.size > maxSize) return undefined;
      if (!typeName(h.typeCode)) {
        const delta = loc.pack.entrySync(loc.offset);
        if (!delta || deltaSizes(delta.data).resultSize > maxSize) return undefined;
      }
    } catch (err) {
      throw asCorrupt(err, oid);
    }
    return this.readSync(loc, oid);
  }

  /** An object's packed zlib data ({@link PackFile.wholeDataSync}); undefined unless its pack is ready and it fits. */
  deflatedSync(loc: PackLocation, oid: Oid, maxSize: number): DeflatedObject | undefined {
    if (!loc.pack.ready) return undefined;
    try {
      const entry = loc.pack.wholeDataSync(loc.offset, maxSize);
      return entry ? { type: typeName(entry.typeCode)!, size: entry.size, data: entry.data } : undefined;
    } catch (err) {
      throw asCorrupt(err, oid);
    }
  }

  /** Type and size from entry headers only: delta chains are walked without inflating bodies. */
  async header(loc: PackLocation, oid: Oid): Promise<ObjectHeader> {
    try {
      const quick = await loc.pack.typeAndSize(loc.offset);
      const type = typeName(quick.typeCode);
      if (type) return { type, size: quick.size };
      const first = await loc.pack.header(loc.offset);
      const { resultSize } = await packedDeltaSizes(loc.pack, first);
      const key = this.cacheKey(loc.pack, loc.offset);
      let baseType = this.types.get(key);
      if (!baseType) {
        baseType = await this.baseType(loc.pack, first);
        this.rememberType(key, baseType);
      }
      return { type: baseType, size: resultSize };
    } catch (err) {
      throw asCorrupt(err, oid);
    }
  }

  /**
   * The stored bytes of an entry, checked against the index's CRC32. Lets
   * pack/gc copy objects, deltas included, without inflating them.
   */
  async raw(loc: PackLocation, oid: Oid): Promise<RawEntry | null> {
    if (loc.position === undefined) return null;
    try {
      const h = await loc.pack.header(loc.offset);
      const entry = await loc.pack.readBytes(loc.offset, h.end - loc.offset);
      const idx = await loc.pack.index();
      if (zlib.crc32(entry) !== idx.crcAt(loc.position)) throw new Error('entry does not match its CRC32');
      const compressed = entry.subarray(h.dataStart - loc.offset);
      const type = typeName(h.typeCode);
      if (type) return { kind: 'whole', type, size: h.size, compressed };
      const baseOid = h.baseOid ?? idx.oidAtOffset(h.baseOffset!);
      if (!baseOid) throw new Error(`no entry at delta base offset ${h.baseOffset}`);
      return { kind: 'delta', baseOid, size: h.size, compressed };
    } catch (err) {
      throw asCorrupt(err, oid);
    }
  }

  /** Whole (non-delta) entries stream straight from the pack; deltas are rebuilt in memory. */
  async stream(loc: PackLocation, oid: Oid): Promise<{ header: ObjectHeader; stream: Readable } | null> {
    try {
      const h = await loc.pack.header(loc.offset);
      const type = typeName(h.typeCode);
      return type ? { header: { type, size: h.size }, stream: loc.pack.streamData(h) } : null;
    } catch (err) {
      throw asCorrupt(err, oid);
    }
  }

  private async baseType(pack: PackFile, start: EntryHeader): Promise<ObjectType> {
    let h = start;
    for (let depth = 0; depth < MAX_CHAIN; depth++) {
      if (h.baseOid !== undefined) {
        const loc = await this.locate(h.baseOid);
        if (loc) {
          pack = loc.pack;
          h = await pack.header(loc.offset);
        } else {
          const base = await this.fallback(h.baseOid);
          if (!base) throw new Error(`delta base ${h.baseOid} missing`);
          return base.type;
        }
      } else {
        h = await pack.header(h.baseOffset!);
      }
      const type = typeName(h.typeCode);
      if (type) return type;
    }
    throw new Error('delta chain too deep');
  }

  /** Walk down a delta chain to a whole object (or a cached one), then apply the deltas back up. */
  private async resolve(loc: PackLocation): Promise<Cached> {
    const deltas: Delta[] = [];
    let pack = loc.pack;
    let offset = loc.offset;
    let base: Cached | undefined;
    while (!base) {
      if (deltas.length > MAX_CHAIN) throw new Error('delta chain too deep');
      const key = this.cacheKey(pack, offset);
      base = this.cache.get(key);
      if (base) break;
      const { header, data } = await pack.entry(offset);
      const type = typeName(header.typeCode);
      if (type) {
        base = new Cached(type, data);
        if (deltas.length) this.keep(key, base);
        break;
      }
      deltas.push({ key, data });
      if (header.typeCode === OBJ_OFS_DELTA) offset = header.baseOffset!;
      else if (header.typeCode === OBJ_REF_DELTA) {
        const next = await this.locate(header.baseOid!);
        if (next) ({ pack, offset } = next);
        else {
          const raw = await this.fallback(header.baseOid!);
          if (!raw) throw new Error(`delta base ${header.baseOid} missing`);
          base = new Cached(raw.type, raw.data);
        }
      }
    }
    return this.applyChain(base, deltas);
  }

  /**
   * {@link resolve} for the common case where nothing has to wait: every
   * entry of the chain in a ready pack and small enough for a synchronous
   * read. Undefined when that is not so; the caller then takes the async path.
   */
  private resolveSync(loc: PackLocation): Cached | undefined {
    const deltas: Delta[] = [];
    let pack = loc.pack;
    let offset = loc.offset;
    for (;;) {
      if (deltas.length > MAX_CHAIN) throw new Error('delta chain too deep');
      const key = this.cacheKey(pack, offset);
      const cached = this.cache.get(key);
      if (cached) return this.applyChain(cached, deltas);
      const entry = pack.ready ? pack.entrySync(offset) : null;
      if (!entry) return undefined;
      const { header, data } = entry;
      const type = typeName(header.typeCode);
      if (type) {
        const base = new Cached(type, data);
        if (deltas.length) this.keep(key, base);
        return this.applyChain(base, deltas);
      }
      deltas.push({ key, data });
      if (header.typeCode === OBJ_OFS_DELTA) offset = header.baseOffset!;
      else {
        const next = this.locateSync(header.baseOid!);
        if (!next) return undefined;
        ({ pack, offset } = next);
      }
    }
  }

  private applyChain(base: Cached, deltas: Delta[]): Cached {
    for (let i = deltas.length - 1; i >= 0; i--) {
      const d = deltas[i]!;
      base = new Cached(base.type, applyDelta(base.data, d.data));
      this.keep(d.key, base);
      this.rememberType(d.key, base.type);
    }
    return base;
  }

  private keep(key: number, c: Cached): void {
    c.inCache = true;
    this.cache.set(key, c);
  }

  private rememberType(key: number, type: ObjectType): void {
    if (this.types.size >= MAX_TYPE_ENTRIES) this.types.clear();
    this.types.set(key, type);
  }

  /** A numeric cache key: pack number in the high bits, offset (< 2^40) below. */
  private cacheKey(pack: PackFile, offset: number): number {
    let id = this.packIds.get(pack);
    if (id === undefined) {
      id = this.nextPackId++;
      this.packIds.set(pack, id);
    }
    return id * 2 ** 40 + offset;
  }

  async close(): Promise<void> {
    await this.dir.close();
    this.cache.clear();
    this.types.clear();
  }
}

/** Any failure while decoding an entry becomes a CorruptObjectError naming the object asked for. */
function asCorrupt(err: unknown, oid: Oid): Error {
  if (err instanceof CorruptObjectError && err.oid === oid) return err;
  // A pack removed by another process's gc: the caller rescans and retries.
  if (isErrno(err, 'ENOENT')) return err as Error;
  return new CorruptObjectError(oid, (err as Error).message);
}
