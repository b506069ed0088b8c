/**
 * The dir endpoint's stat cache, like git's index: local path → (size, mtime
 * ns, ctime ns, inode) → blob id. A file whose stat matches reuses its id;
 * anything else is hashed. It lives in the repository
 * (`<repo>/vost/statcache/<sha1 of the folder's real path>.bin`), one file
 * per local folder, written through a temp file + rename, and only when
 * something changed.
 *
 * The file is binary so that a scan of a big folder does not pay for
 * parsing it: rows loaded from disk stay in the file's buffer and are only
 * decoded when looked up. Layout (little-endian): magic `VOSTSTC`, version
 * byte, u32 root length, root (UTF-8), u32 row count, then per row u32 path
 * length, path (UTF-8), f64 size, i64 mtime ns, i64 ctime ns, u64 inode and
 * the 20-byte blob id.
 *
 * Racy entries are never stored: when a file's mtime or ctime is within
 * RACY_NS of the moment it was stat'ed, a later edit in the same clock tick
 * could keep the stat identical, so such a file is hashed again next time.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const RACY_NS = 50_000_000n;
const MAGIC = Buffer.from('VOSTSTC\x02', 'latin1');
/** Fixed bytes of a row after its path: size, mtime, ctime, inode, blob id. */
const ROW_TAIL = 8 * 4 + 20;

/** The stat fields the cache keys on (bigint nanoseconds). */
export interface StatKey {
  size: number;
  mtimeNs: bigint;
  ctimeNs: bigint;
  ino: bigint;
}

interface Row extends StatKey {
  oid: string;
}

/** A row is either decoded or still an offset (of its fixed tail) into the loaded file. */
type Stored = Row | number;

export class StatCache {
  private rows = new Map<string, Stored>();
  private loaded: Buffer = Buffer.alloc(0);
  private dirty = false;

  private constructor(private readonly file: string | null) {}

  /** A cache that is never persisted (no repository to keep it in). */
  static memory(): StatCache {
    return new StatCache(null);
  }

  static async load(repoPath: string, rootRealPath: string): Promise<StatCache> {
    const cache = new StatCache(join(repoPath, 'vost', 'statcache', `${fileStem(rootRealPath)}.bin`));
    const buf = await readFile(cache.file!).catch(() => null);
    // A missing, foreign or damaged file means an empty cache: every file gets hashed.
    if (buf && !cache.parse(buf, rootRealPath)) cache.rows.clear();
    return cache;
  }

  private parse(buf: Buffer, root: string): boolean {
    if (buf.length < MAGIC.length + 8 || !buf.subarray(0, MAGIC.length).equals(MAGIC)) return false;
    let pos = MAGIC.length;
    const rootLen = buf.readUInt32LE(pos);
    pos += 4;
    if (pos + rootLen + 4 > buf.length || buf.toString('utf8', pos, pos + rootLen) !== root) return false;
    pos += rootLen;
    const count = buf.readUInt32LE(pos);
    pos += 4;
    for (let i = 0; i < count; i++) {
      if (pos + 4 > buf.length) return false;
      const len = buf.readUInt32LE(pos);
      const tail = pos + 4 + len;
      if (tail + ROW_TAIL > buf.length) return false;
      this.rows.set(buf.toString('utf8', pos + 4, tail), tail);
      pos = tail + ROW_TAIL;
    }
    this.loaded = buf;
    return pos === buf.length;
  }

  /** The cached blob id when the stat is identical, else undefined. */
  lookup(path: string, st: StatKey): string | undefined {
    const r = this.rows.get(path);
    if (r === undefined) return undefined;
    if (typeof r !== 'number') {
      if (r.size !== st.size || r.mtimeNs !== st.mtimeNs || r.ctimeNs !== st.ctimeNs || r.ino !== st.ino) return undefined;
      return r.oid;
    }
    const b = this.loaded;
    if (b.readDoubleLE(r) !== st.size || b.readBigInt64LE(r + 8) !== st.mtimeNs || b.readBigInt64LE(r + 16) !== st.ctimeNs) return undefined;
    if (b.readBigUInt64LE(r + 24) !== st.ino) return undefined;
    return b.toString('hex', r + 32, r + ROW_TAIL);
  }

  /** Remember an id for a stat taken at `statTimeNs` (wall clock), unless the entry is racy. */
  record(path: string, st: StatKey, oid: string, statTimeNs: bigint): void {
    const newest = st.mtimeNs > st.ctimeNs ? st.mtimeNs : st.ctimeNs;
    if (newest >= statTimeNs - RACY_NS) {
      if (this.rows.delete(path)) this.dirty = true;
      return;
    }
    this.rows.set(path, { size: st.size, mtimeNs: st.mtimeNs, ctimeNs: st.ctimeNs, ino: st.ino, oid });
    this.dirty = true;
  }

  forget(path: string): void {
    if (this.rows.delete(path)) this.dirty = true;
  }

  /** Drop rows for paths that no longer exist (call after a full listing). */
  retainOnly(paths: Set<string>): void {
    for (const k of this.rows.keys()) {
      if (!paths.has(k)) {
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
    let size = MAGIC.length + 8 + Buffer.byteLength(root);
    for (const path of this.rows.keys()) size += 4 + Buffer.byteLength(path) + ROW_TAIL;
    const out = Buffer.allocUnsafe(size);
    let pos = MAGIC.copy(out, 0);
    pos = out.writeUInt32LE(Buffer.byteLength(root), pos);
    pos += out.write(root, pos);
    pos = out.writeUInt32LE(this.rows.size, pos);
    for (const [path, r] of this.rows) {
      const len = out.write(path, pos + 4);
      out.writeUInt32LE(len, pos);
      pos += 4 + len;
      if (typeof r === 'number') {
        pos += this.loaded.copy(out, pos, r, r + ROW_TAIL);
        continue;
      }
      pos = out.writeDoubleLE(r.size, pos);
      pos = out.writeBigInt64LE(r.mtimeNs, pos);
      pos = out.writeBigInt64LE(r.ctimeNs, pos);
      pos = out.writeBigUInt64LE(r.ino, pos);
      pos += out.write(r.oid, pos, 'hex');
    }
    return out;
  }
}

function fileStem(rootRealPath: string): string {
  return createHash('sha1').update(rootRealPath).digest('hex');
}

export function nowNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}
