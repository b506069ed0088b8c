import { join } from 'node:path';
import { isErrno } from './fsutil.js';
import { PackFile } from './pack-file.js';
import type { RepoFs } from './repo-fs.js';

/** Directory mtimes are trusted only once they are this much older than the scan that saw them. */
const MTIME_TRUST_MS = 2000;
const RETIRE_DELAY_MS = 5000;

/**
 * The packfiles of one objects/pack directory: listed on first use and
 * again on request; packs that leave the directory are closed a little
 * later.
 */
export class PackDir {
  /** The packs, most recently hit first (see promote); null until listed. */
  packs: PackFile[] | null = null;
  /** Packs whose index could not be read, with the reason; reported when an object is not found elsewhere. */
  readonly broken = new Map<string, Error>();
  private scanning: Promise<void> | null = null;
  private dirMtime = -1;
  private scannedAt = 0;
  private readonly retired = new Set<PackFile>();

  constructor(
    readonly path: string,
    private readonly fs: RepoFs,
  ) {}

  /** The packs, scanning the directory on first use. */
  async list(): Promise<PackFile[]> {
    if (!this.packs) await this.refresh();
    return this.packs ?? [];
  }

  /**
   * Re-read the directory: keep known packs, add new ones, drop vanished
   * ones. Unless forced, an unchanged directory mtime skips the listing; only
   * an mtime comfortably older than the last scan is trusted, since coarse
   * timestamps could hide a pack added in the same tick.
   */
  async rescan(opts: { force?: boolean } = {}): Promise<void> {
    // A scan already under way may have listed the directory before the caller's change: let it finish first.
    if (this.scanning) await this.scanning.catch(() => undefined);
    if (!opts.force && this.packs) {
      const st = await this.fs.stat(this.path).catch(() => null);
      if (st && st.mtimeMs === this.dirMtime && st.mtimeMs < this.scannedAt - MTIME_TRUST_MS) return;
    }
    await this.refresh();
  }

  /**
   * Put the n-th pack of `packs` (a snapshot of `packs`) first: reads
   * cluster, and with many packs this skips most searches. A new array,
   * never an in-place move: concurrent lookups iterate their own snapshot.
   */
  promote(packs: PackFile[], n: number): void {
    if (n > 0 && packs === this.packs) this.packs = [packs[n]!, ...packs.slice(0, n), ...packs.slice(n + 1)];
  }

  async close(): Promise<void> {
    for (const p of [...(this.packs ?? []), ...this.retired]) await p.close();
    this.retired.clear();
    this.packs = null;
  }

  /**
   * One scan at a time, shared by every concurrent caller: two overlapping
   * scans would each open their own PackFile for a new pack, and the loser's
   * handle would be left for the garbage collector to close.
   */
  private refresh(): Promise<void> {
    this.scanning ??= this.scan(this.packs ?? [])
      .then((packs) => {
        this.packs = packs;
      })
      .finally(() => {
        this.scanning = null;
      });
    return this.scanning;
  }

  private async scan(known: PackFile[]): Promise<PackFile[]> {
    let names: string[];
    const started = Date.now();
    try {
      this.dirMtime = (await this.fs.stat(this.path)).mtimeMs;
      names = await this.fs.readdir(this.path);
    } catch (err) {
      if (isErrno(err, 'ENOENT')) return [];
      throw err;
    }
    this.scannedAt = started;
    this.broken.clear();
    const present = new Set(names);
    const byPath = new Map(known.map((p) => [p.packPath, p]));
    const out: PackFile[] = [];
    for (const name of names) {
      if (!name.endsWith('.idx')) continue;
      const base = name.slice(0, -4);
      if (!present.has(`${base}.pack`)) continue;
      const packPath = join(this.path, `${base}.pack`);
      out.push(byPath.get(packPath) ?? new PackFile(packPath, join(this.path, name), this.fs));
      byPath.delete(packPath);
    }
    for (const gone of byPath.values()) this.retire(gone);
    return out;
  }

  /**
   * Close a pack that left the directory a little later: a read that found
   * it just before may still be using its file handle.
   */
  private retire(pack: PackFile): void {
    this.retired.add(pack);
    setTimeout(() => {
      if (this.retired.delete(pack)) void pack.close();
    }, RETIRE_DELAY_MS).unref();
  }
}
