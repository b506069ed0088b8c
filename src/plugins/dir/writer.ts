/**
 * Writes into a local folder in two phases. `put` only writes into a private
 * staging folder inside the root (`.vost-staging-*`) that mirrors the paths
 * being written, so a failure while reading sources leaves the destination
 * exactly as it was (`abort` removes the staging folder). `commit` then
 * applies deletions and moves everything staged into place by rename: a
 * folder missing from the destination moves in whole, with all its staged
 * files (one rename instead of one per file); other files move one by one.
 * Either way a file appears complete or not at all, never half-written. If
 * `commit` itself fails midway (e.g. permission denied), what was renamed
 * before the failure stays in place. Parent folders are always real
 * directories: a symlink or file in the way is removed, never written
 * through, so nothing lands outside the root.
 */
import fsp, { chmod, copyFile, lstat, lutimes, mkdir, open, rm, rmdir, symlink, utimes } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { lstatSync, mkdirSync, renameSync, rmdirSync, rmSync, type BigIntStats, type Stats } from 'node:fs';
import type { Readable } from 'node:stream';
import type { CommitResult, EndpointWriter, EntryKind, PutMeta, PutResult } from '../contract.js';
import { assertSafeRelPath, dirnameRel } from '../paths.js';
import { isRealDirUnder, pathIn, PlaceFailures, pruneEmptyDirs, removeEmptyFolders } from './folder.js';
import { StageSink } from './stage-sink.js';
import { removeStaleStaging, stagingName } from './staging.js';
import type { StatCache, StatKey } from './statcache.js';
import { nowNs } from './statcache.js';

interface Staged {
  path: string;
  tmp: string;
  oid?: string;
  mtimeMs?: number;
}

/** `place` failed for this file (under keepGoing): it is not in the destination. */
const NOT_PLACED = Symbol('not placed');

/** Whole contents up to this size go through the batched sink; bigger ones are written on their own. */
const SINK_LIMIT = 1 << 20;

export class DirWriter implements EndpointWriter {
  /** Where a file lands does not depend on when it is written. */
  readonly anyOrder = true;
  private staged: Staged[] = [];
  private deletes: string[] = [];
  /** Folders to remove at commit if empty then (removeEmptyDir). */
  private emptied: string[] = [];
  /** Staging folders made by this thread (the sink makes its own, batch by batch). */
  private stagedDirs = new Set<string>(['']);
  /** Destination folders known to be real directories now. */
  private readyDirs = new Set<string>(['']);
  /** Destination folders moved in whole from staging, with the clock just before the move. */
  private movedDirs = new Map<string, bigint>();
  private readonly sink = new StageSink();
  private done = false;
  /** Report a file that cannot be moved into place and go on (WriterOptions.keepGoing). */
  private keepGoing = false;

  private constructor(
    private readonly root: string,
    private readonly staging: string,
    private readonly createdRoot: boolean,
    private readonly cache: StatCache,
  ) {}

  static async create(folder: string, cache: StatCache, opts: { keepGoing?: boolean } = {}): Promise<DirWriter> {
    const root = resolve(folder);
    const existed = await lstat(root).then((s) => s.isDirectory(), () => false);
    if (!existed) await mkdir(root, { recursive: true });
    else removeStaleStaging(root);
    const staging = join(root, stagingName());
    await mkdir(staging);
    const writer = new DirWriter(root, staging, !existed, cache);
    writer.keepGoing = opts.keepGoing === true;
    return writer;
  }

  async put(path: string, kind: EntryKind, content: Uint8Array | Readable, meta: PutMeta = {}): Promise<PutResult> {
    const result = meta.oid ? { oid: meta.oid } : {};
    if (content instanceof Uint8Array && this.putNow(path, kind, content, meta)) return result;
    const tmp = pathIn(this.staging, path);
    const dir = dirnameRel(path);
    if (!this.stagedDirs.has(dir)) {
      mkdirSync(pathIn(this.staging, dir), { recursive: true });
      this.stagedDirs.add(dir);
    }
    await this.writeOne(tmp, kind, content, meta);
    this.staged.push({ path, tmp, oid: meta.oid, mtimeMs: meta.mtimeMs });
    return result;
  }

  /** Small files are queued into the sink's batches; links and big files take `put`. */
  putNow(path: string, kind: EntryKind, content: Uint8Array, meta: PutMeta): boolean {
    assertSafeRelPath(path);
    if (kind === 'symlink' || content.length > SINK_LIMIT) return false;
    const tmp = pathIn(this.staging, path);
    this.sink.add(tmp, content, kind === 'executable', meta.mtimeMs, pathIn(this.staging, dirnameRel(path)));
    this.staged.push({ path, tmp, oid: meta.oid, mtimeMs: meta.mtimeMs });
    return true;
  }

  private async writeOne(tmp: string, kind: EntryKind, content: Uint8Array | Readable, meta: PutMeta): Promise<void> {
    if (kind === 'symlink') {
      const target = meta.target ?? Buffer.from(content instanceof Uint8Array ? content : await collect(content)).toString('utf8');
      await symlink(target, tmp);
      if (meta.mtimeMs !== undefined) await lutimes(tmp, meta.mtimeMs / 1000, meta.mtimeMs / 1000).catch(() => undefined);
    } else {
      if (!(content instanceof Uint8Array) && meta.localPath) {
        content.destroy();
        await copyFile(meta.localPath, tmp);
        if (kind === 'executable') await chmod(tmp, 0o755);
        if (meta.mtimeMs !== undefined) await utimes(tmp, meta.mtimeMs / 1000, meta.mtimeMs / 1000);
      } else {
        // One open file handle for content, mode and times: fewer path lookups per file.
        const fh = await open(tmp, 'wx', kind === 'executable' ? 0o755 : 0o666);
        try {
          if (content instanceof Uint8Array) await fh.writeFile(content);
          else for await (const chunk of content) await fh.write(chunk as Uint8Array);
          if (kind === 'executable') await fh.chmod(0o755);
          if (meta.mtimeMs !== undefined) await fh.utimes(meta.mtimeMs / 1000, meta.mtimeMs / 1000);
        } finally {
          await fh.close();
        }
      }
    }
  }

  async remove(path: string): Promise<void> {
    assertSafeRelPath(path);
    this.deletes.push(path);
  }

  async removeEmptyDir(path: string): Promise<void> {
    assertSafeRelPath(path);
    this.emptied.push(path);
  }

  async commit(): Promise<CommitResult> {
    if (this.done) throw new Error('Writer already finished');
    this.done = true;
    try {
      await this.sink.flush();
      for (const d of this.deletes) await this.removeOne(d);
      await pruneEmptyDirs(fsp, this.root, this.deletes);
      const failures = new PlaceFailures(this.root, this.keepGoing);
      const shown = this.staged.map((s) => {
        try {
          return this.place(s);
        } catch (e) {
          failures.record(s.path, e);
          return NOT_PLACED;
        }
      });
      this.remember(shown);
      await removeEmptyFolders(fsp, this.root, this.emptied);
      return failures.result();
    } finally {
      await this.sink.close();
      this.removeStaging();
    }
  }

  async abort(): Promise<void> {
    this.done = true;
    await this.sink.close();
    this.removeStaging();
    if (this.createdRoot) await rmdir(this.root).catch(() => undefined);
  }

  private removeStaging(): void {
    try {
      rmdirSync(this.staging);
    } catch {
      rmSync(this.staging, { recursive: true, force: true });
    }
  }

  /** Remove a file, link or folder, but only below real directories (never through a link). */
  private async removeOne(rel: string): Promise<void> {
    const parent = dirnameRel(rel);
    if (!(await isRealDirUnder(fsp, this.root, parent))) return;
    await rm(pathIn(this.root, rel), { recursive: true, force: true });
    this.cache.forget(rel);
  }

  /**
   * Move one staged file into place, or the outermost of its folders that
   * the destination lacks (with everything staged below it). Anything but a
   * real directory in the way of a folder is removed first. Returns when the
   * file became visible if it moved with a folder (its own stat is then
   * unchanged by the move), else null.
   */
  private place(s: Staged): bigint | null {
    const segs = s.path.split('/');
    let dir = '';
    for (let i = 0; i < segs.length - 1; i++) {
      dir = dir ? `${dir}/${segs[i]}` : segs[i]!;
      const moved = this.movedDirs.get(dir);
      if (moved !== undefined) return moved;
      if (this.readyDirs.has(dir)) continue;
      const abs = pathIn(this.root, dir);
      const st = lstatOrNull(abs);
      if (st?.isDirectory()) {
        this.readyDirs.add(dir);
        continue;
      }
      if (st) rmSync(abs, { recursive: true, force: true });
      const at = nowNs();
      renameSync(pathIn(this.staging, dir), abs);
      this.movedDirs.set(dir, at);
      return at;
    }
    const abs = pathIn(this.root, s.path);
    try {
      renameSync(s.tmp, abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EISDIR' && code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'ENOTDIR') throw e;
      rmSync(abs, { recursive: true, force: true });
      renameSync(s.tmp, abs);
    }
    return null;
  }

  /**
   * Feed the stat cache with the ids of what was written. A file that moved
   * in with its folder keeps the stat taken when it was written; until the
   * move it sat in the private staging folder, so that stat is as current as
   * one taken at the move (one the cache finds too recent is left out: a
   * later sync hashes it). Other files are stat'ed now, skipping those
   * touched since.
   */
  private remember(shown: Array<bigint | null | typeof NOT_PLACED>): void {
    this.staged.forEach((s, i) => {
      const at = shown[i];
      // A file that did not land must not lend its id to whatever is still at its path.
      if (!s.oid || at === NOT_PLACED) return;
      const written = at === null || at === undefined ? undefined : this.sink.statOf(s.tmp);
      if (written && at) {
        // Taken in private staging, this stat is the file's until the move. The cache
        // refuses it only when racy, and a fresh lstat a moment later would be too.
        if (matchesMtime(written, s.mtimeMs)) this.cache.record(s.path, written, s.oid, at);
        return;
      }
      const now = nowNs();
      let st: BigIntStats;
      try {
        st = lstatSync(pathIn(this.root, s.path), { bigint: true });
      } catch {
        return;
      }
      const key = { size: Number(st.size), mtimeNs: st.mtimeNs, ctimeNs: st.ctimeNs, ino: st.ino };
      if (st.isFile() && matchesMtime(key, s.mtimeMs)) this.cache.record(s.path, key, s.oid, now);
    });
  }
}

/** False when the file's mtime is not the one it was given (someone touched it since). */
function matchesMtime(st: StatKey, mtimeMs: number | undefined): boolean {
  return mtimeMs === undefined || st.mtimeNs / 1_000_000n === BigInt(Math.trunc(mtimeMs));
}

function lstatOrNull(abs: string): Stats | null {
  try {
    return lstatSync(abs);
  } catch {
    return null;
  }
}

async function collect(r: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of r) parts.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(parts);
}
