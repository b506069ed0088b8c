/**
 * The dir endpoint's stat cache, like git's index: local path → (size, mtime
 * ns, ctime ns, inode) → blob id. A file whose stat matches reuses its id;
 * anything else is hashed. It lives in the repository
 * (`<repo>/vost/statcache/<sha1 of the folder's real path>.json`), one file
 * per local folder, written through a temp file + rename.
 *
 * Racy entries are never stored: when a file's mtime or ctime is within
 * RACY_NS of the moment it was stat'ed, a later edit in the same clock tick
 * could keep the stat identical, so such a file is hashed again next time.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const RACY_NS = 50_000_000n;
const VERSION = 1;

/** The stat fields the cache keys on (bigint nanoseconds). */
export interface StatKey {
  size: number;
  mtimeNs: bigint;
  ctimeNs: bigint;
  ino: bigint;
}

/** As stored in the JSON file (bigints as decimal strings). */
type StoredRow = [size: number, mtimeNs: string, ctimeNs: string, ino: string, oid: string];

interface Row {
  size: number;
  mtimeNs: bigint;
  ctimeNs: bigint;
  ino: bigint;
  oid: string;
}

export class StatCache {
  private rows = new Map<string, Row>();
  private dirty = false;

  private constructor(private readonly file: string | null) {}

  /** A cache that is never persisted (no repository to keep it in). */
  static memory(): StatCache {
    return new StatCache(null);
  }

  static async load(repoPath: string, rootRealPath: string): Promise<StatCache> {
    const name = createHash('sha1').update(rootRealPath).digest('hex');
    const cache = new StatCache(join(repoPath, 'vost', 'statcache', `${name}.json`));
    try {
      const doc = JSON.parse(await readFile(cache.file!, 'utf8')) as { version: number; root: string; rows: Record<string, StoredRow> };
      if (doc.version === VERSION && doc.root === rootRealPath) {
        for (const [k, [size, m, c, ino, oid]] of Object.entries(doc.rows)) {
          cache.rows.set(k, { size, mtimeNs: BigInt(m), ctimeNs: BigInt(c), ino: BigInt(ino), oid });
        }
      }
    } catch {
      // missing or unreadable cache: start empty, every file gets hashed
    }
    return cache;
  }

  /** The cached blob id when the stat is identical, else undefined. */
  lookup(path: string, st: StatKey): string | undefined {
    const r = this.rows.get(path);
    if (!r) return undefined;
    if (r.size !== st.size || r.mtimeNs !== st.mtimeNs || r.ctimeNs !== st.ctimeNs || r.ino !== st.ino) return undefined;
    return r.oid;
  }

  /** Remember an id for a stat taken at `statTimeNs` (wall clock), unless the entry is racy. */
  record(path: string, st: StatKey, oid: string, statTimeNs: bigint): void {
    const newest = st.mtimeNs > st.ctimeNs ? st.mtimeNs : st.ctimeNs;
    if (newest >= statTimeNs - RACY_NS) {
      if (this.rows.delete(path)) this.dirty = true;
      return;
    }
    this.rows.set(path, { ...st, oid });
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
    const dir = join(this.file, '..');
    await mkdir(dir, { recursive: true });
    const tmp = `${this.file}.${randomBytes(6).toString('hex')}.tmp`;
    const rows: Record<string, StoredRow> = {};
    for (const [k, r] of this.rows) rows[k] = [r.size, String(r.mtimeNs), String(r.ctimeNs), String(r.ino), r.oid];
    const doc = { version: VERSION, root: rootRealPath, rows };
    try {
      await writeFile(tmp, JSON.stringify(doc));
      await rename(tmp, this.file);
      this.dirty = false;
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
  }
}

export function nowNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}
