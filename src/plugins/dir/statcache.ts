/**
 * The dir endpoint's stat cache, like git's index: local path → (size, mtime
 * ns, ctime ns, inode) → blob id. A file whose stat matches reuses its id;
 * anything else is hashed. It lives in the repository
 * (`<repo>/vost/statcache/<sha1 of the folder's real path>.bin`), one file
 * per local folder, written through a temp file + rename, and only when
 * something changed.
 *
 * The file is binary and laid out so that loading it costs a handful of
 * calls, not some per row (a scan of a big folder would otherwise spend
 * more on the cache than on its stats); rows are decoded only when looked
 * up. Layout: magic `VOSTSTC` + version byte; u32 LE lengths of the root
 * and of the path block, u32 LE row count; the root; the paths (UTF-8,
 * each followed by a NUL); padding to a multiple of 8; per row a f64 size;
 * per row three i64 (mtime ns, ctime ns, inode); per row the 20-byte blob
 * id. Numbers are in the machine's byte order, like the typed arrays that
 * read them; another byte order fails the magic check and starts empty.
 *
 * Racy entries are never stored: when a file's mtime or ctime is within
 * RACY_NS of the moment it was stat'ed, a later edit in the same clock tick
 * could keep the stat identical, so such a file is hashed again next time.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import { join } from 'node:path';

const RACY_NS = 50_000_000n;
const MAGIC = Buffer.from(`VOSTSTC${endianness() === 'LE' ? '\x03' : '\x83'}`, 'latin1');
const HEADER = MAGIC.length + 12;

/** The stat fields the cache keys on (bigint nanoseconds). */
export interface StatKey {
  size: number;
  mtimeNs: bigint;
  ctimeNs: bigint;
  ino: bigint;
}

/** What `lookup` compares: a StatKey, or a bigint stat as it comes. */
export interface StatLike {
  size: number | bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
  ino: bigint;
}

interface Row extends StatKey {
  oid: string;
}

/** Rows as loaded: index i holds the i-th row of each array. */
interface Loaded {
  sizes: Float64Array;
  /** mtime ns, ctime ns, inode per row. */
  stats: BigInt64Array;
  oids: Buffer;
}

/** A row is either decoded (recorded in this run) or still an index into the loaded arrays. */
type Stored = Row | number;

const pad8 = (n: number): number => (n + 7) & ~7;

export class StatCache {
  private rows = new Map<string, Stored>();
  private loaded: Loaded = { sizes: new Float64Array(0), stats: new BigInt64Array(0), oids: Buffer.alloc(0) };
  private dirty = false;
  /** Rows looked up since beginScan, and whether rows changed meanwhile (see endScan). */
  private scanHits = 0;
  private scanClean = false;

  private constructor(private readonly file: string | null) {}

  /** A cache that is never persisted (no repository to keep it in). */
  static memory(): StatCache {
    return new StatCache(null);
  }

  /** Read with a blocking call: it is one read, where a thread-pool trip costs more. */
  static load(repoPath: string, rootRealPath: string): StatCache {
    const cache = new StatCache(join(repoPath, 'vost', 'statcache', `${fileStem(rootRealPath)}.bin`));
    // A missing, unreadable, foreign or damaged file means an empty cache: every file gets hashed.
    const buf = readOrNull(cache.file!);
    if (buf && !cache.parse(buf, rootRealPath)) cache.rows.clear();
    return cache;
  }

  private parse(buf: Buffer, root: string): boolean {
    if (buf.length < HEADER || !buf.subarray(0, MAGIC.length).equals(MAGIC)) return false;
    const rootLen = buf.readUInt32LE(MAGIC.length);
    const pathsLen = buf.readUInt32LE(MAGIC.length + 4);
    const count = buf.readUInt32LE(MAGIC.length + 8);
    const pathsAt = HEADER + rootLen;
    const numbersAt = pad8(pathsAt + pathsLen);
    if (numbersAt + count * 52 !== buf.length || buf.toString('utf8', HEADER, pathsAt) !== root) return false;
    const paths = buf.toString('utf8', pathsAt, pathsAt + pathsLen).split('\0');
    if (paths.length !== count + 1 || paths[count] !== '') return false;
    // Copies: the file's buffer need not be 8-byte aligned for typed array views.
    const numbers = new Uint8Array(count * 32);
    buf.copy(numbers, 0, numbersAt, numbersAt + count * 32);
    this.loaded = {
      sizes: new Float64Array(numbers.buffer, 0, count),
      stats: new BigInt64Array(numbers.buffer, count * 8, count * 3),
      oids: buf.subarray(numbersAt + count * 32),
    };
    for (let i = 0; i < count; i++) this.rows.set(paths[i], i);
    return this.rows.size === count;
  }

  /** The cached blob id when the stat is identical, else undefined. */
  lookup(path: string, st: StatLike): string | undefined {
    const r = this.rows.get(path);
    if (r === undefined) return undefined;
    this.scanHits++;
    const size = Number(st.size);
    if (typeof r !== 'number') {
      if (r.size !== size || r.mtimeNs !== st.mtimeNs || r.ctimeNs !== st.ctimeNs || r.ino !== st.ino) return undefined;
      return r.oid;
    }
    const { sizes, stats, oids } = this.loaded;
    if (sizes[r] !== size || stats[r * 3] !== st.mtimeNs || stats[r * 3 + 1] !== st.ctimeNs || stats[r * 3 + 2] !== st.ino) return undefined;
    return oids.toString('hex', r * 20, r * 20 + 20);
  }

  /** Remember an id for a stat taken at `statTimeNs` (wall clock), unless the entry is racy. */
  record(path: string, st: StatKey, oid: string, statTimeNs: bigint): void {
    this.scanClean = false;
    const newest = st.mtimeNs > st.ctimeNs ? st.mtimeNs : st.ctimeNs;
    if (newest >= statTimeNs - RACY_NS) {
      if (this.rows.delete(path)) this.dirty = true;
      return;
    }
    this.rows.set(path, { size: st.size, mtimeNs: st.mtimeNs, ctimeNs: st.ctimeNs, ino: st.ino, oid });
    this.dirty = true;
  }

  forget(path: string): void {
    this.scanClean = false;
    if (this.rows.delete(path)) this.dirty = true;
  }

  /** A full listing starts: it will look up every file it lists, once. */
  beginScan(): void {
    this.scanHits = 0;
    this.scanClean = true;
  }

  /** The full listing produced `paths`: drop rows for paths that no longer exist. */
  endScan(paths: readonly string[]): void {
    // Each listed path was looked up once, so when the hits cover every row none is stale.
    if (this.scanClean && this.scanHits === this.rows.size) return;
    const keep = new Set(paths);
    for (const k of this.rows.keys()) {
      if (!keep.has(k)) {
        this.rows.delete(k);
        this.dirty = true;
      }
    }
  }

  async save(rootRealPath: string): Promise<void> {
    if (!this.file || !this.dirty) return;
    await mkdir(join(this.file, '..'), { recursive: true });
    const tmp = `${this.file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(tmp, this.encode(rootRealPath));
      await rename(tmp, this.file);
      this.dirty = false;
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
    // The JSON file of earlier versions is superseded.
    await rm(this.file.replace(/\.bin$/, '.json'), { force: true });
  }

  private encode(root: string): Buffer {
    const count = this.rows.size;
    const paths = Buffer.from(count ? `${[...this.rows.keys()].join('\0')}\0` : '');
    const rootBytes = Buffer.from(root);
    const numbersAt = pad8(HEADER + rootBytes.length + paths.length);
    // A fresh ArrayBuffer starts aligned, so the typed arrays can write in place.
    const file = new ArrayBuffer(numbersAt + count * 52);
    const out = Buffer.from(file);
    MAGIC.copy(out, 0);
    out.writeUInt32LE(rootBytes.length, MAGIC.length);
    out.writeUInt32LE(paths.length, MAGIC.length + 4);
    out.writeUInt32LE(count, MAGIC.length + 8);
    rootBytes.copy(out, HEADER);
    paths.copy(out, HEADER + rootBytes.length);
    this.writeRows({
      sizes: new Float64Array(file, numbersAt, count),
      stats: new BigInt64Array(file, numbersAt + count * 8, count * 3),
      oids: out.subarray(numbersAt + count * 32),
    });
    return out;
  }

  /** Fills `to` in row order; loaded rows keep their order, so they are copied in runs. */
  private writeRows(to: Loaded): void {
    const from = this.loaded;
    let runFrom = 0;
    let runTo = 0;
    let runLength = 0;
    const flush = (): void => {
      to.sizes.set(from.sizes.subarray(runFrom, runFrom + runLength), runTo);
      to.stats.set(from.stats.subarray(runFrom * 3, (runFrom + runLength) * 3), runTo * 3);
      from.oids.copy(to.oids, runTo * 20, runFrom * 20, (runFrom + runLength) * 20);
      runLength = 0;
    };
    let i = 0;
    for (const r of this.rows.values()) {
      if (typeof r === 'number') {
        if (runLength > 0 && r !== runFrom + runLength) flush();
        if (runLength === 0) [runFrom, runTo] = [r, i];
        runLength++;
      } else {
        if (runLength > 0) flush();
        to.sizes[i] = r.size;
        to.stats.set([r.mtimeNs, r.ctimeNs, r.ino], i * 3);
        to.oids.write(r.oid, i * 20, 'hex');
      }
      i++;
    }
    if (runLength > 0) flush();
  }
}

function readOrNull(path: string): Buffer | null {
  try {
    return readFileSync(path);
  } catch {
    return null;
  }
}

function fileStem(rootRealPath: string): string {
  return createHash('sha1').update(rootRealPath).digest('hex');
}

export function nowNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}
