/**
 * Writes into a local folder in two phases. `put` only writes into a private
 * staging folder inside the root (`.vost-staging-*`), so a failure while
 * reading sources leaves the destination exactly as it was (`abort` removes
 * the staging folder). `commit` then applies deletions and moves every staged
 * file into place with one rename each: a file is always either its old or
 * its new version, never half-written. If `commit` itself fails midway
 * (e.g. permission denied), files renamed before the failure stay in place.
 * Parent folders are always real directories: a symlink or file in the way
 * is removed, never written through, so nothing lands outside the root.
 */
import { randomBytes } from 'node:crypto';
import { chmod, copyFile, lstat, lutimes, mkdir, open, rename, rm, rmdir, symlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { closeSync, fchmodSync, futimesSync, lstatSync, mkdirSync, openSync, renameSync, writeSync, type BigIntStats } from 'node:fs';
import type { Readable } from 'node:stream';
import type { CommitResult, EndpointWriter, EntryKind, PutMeta, PutResult } from '../contract.js';
import { assertSafeRelPath, dirnameRel } from '../paths.js';
import type { StatCache } from './statcache.js';
import { nowNs } from './statcache.js';

interface Staged {
  path: string;
  tmp: string;
  oid?: string;
  mtimeMs?: number;
}

const RENAME_CONCURRENCY = 32;
const STAGING_BUCKETS = 256;
/**
 * Small files are written with synchronous calls: for trees of many small
 * files the thread-pool round trip of each async call costs more than the
 * syscall itself (measured: ~20 futex calls per file).
 */
const SYNC_WRITE_LIMIT = 1 << 20;

function writeSmallSync(path: string, data: Uint8Array, executable: boolean, mtimeMs?: number): void {
  const fd = openSync(path, 'wx', executable ? 0o755 : 0o666);
  try {
    writeSync(fd, data);
    if (executable) fchmodSync(fd, 0o755);
    if (mtimeMs !== undefined) futimesSync(fd, mtimeMs / 1000, mtimeMs / 1000);
  } finally {
    closeSync(fd);
  }
}

function local(root: string, rel: string): string {
  return rel ? join(root, ...rel.split('/')) : root;
}

export class DirWriter implements EndpointWriter {
  private staged: Staged[] = [];
  private deletes: string[] = [];
  private counter = 0;
  private buckets = new Set<number>();
  private readyDirs = new Map<string, Promise<void>>();
  private done = false;

  private constructor(
    private readonly root: string,
    private readonly staging: string,
    private readonly createdRoot: boolean,
    private readonly cache: StatCache,
  ) {}

  static async create(root: string, cache: StatCache): Promise<DirWriter> {
    const existed = await lstat(root).then((s) => s.isDirectory(), () => false);
    if (!existed) await mkdir(root, { recursive: true });
    const staging = join(root, `.vost-staging-${randomBytes(6).toString('hex')}`);
    await mkdir(staging);
    return new DirWriter(root, staging, !existed, cache);
  }

  async put(path: string, kind: EntryKind, content: Uint8Array | Readable, meta: PutMeta = {}): Promise<PutResult> {
    assertSafeRelPath(path);
    const tmp = this.stagingPath(this.counter++);
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
      } else if (content instanceof Uint8Array && content.length <= SYNC_WRITE_LIMIT) {
        writeSmallSync(tmp, content, kind === 'executable', meta.mtimeMs);
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
    this.staged.push({ path, tmp, oid: meta.oid, mtimeMs: meta.mtimeMs });
    return meta.oid ? { oid: meta.oid } : {};
  }

  async remove(path: string): Promise<void> {
    assertSafeRelPath(path);
    this.deletes.push(path);
  }

  /** Staged files are spread over buckets: creating files in one huge folder is measurably slower. */
  private stagingPath(n: number): string {
    const bucket = n % STAGING_BUCKETS;
    if (!this.buckets.has(bucket)) {
      mkdirSync(join(this.staging, String(bucket)));
      this.buckets.add(bucket);
    }
    return join(this.staging, String(bucket), String(n));
  }

  async commit(): Promise<CommitResult> {
    if (this.done) throw new Error('Writer already finished');
    this.done = true;
    try {
      for (const d of this.deletes) await this.removeOne(d);
      await this.pruneEmpty(this.deletes);
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < this.staged.length) await this.place(this.staged[next++]);
      };
      await Promise.all(Array.from({ length: Math.min(RENAME_CONCURRENCY, this.staged.length) }, worker));
      this.remember();
    } finally {
      await rm(this.staging, { recursive: true, force: true });
    }
    return { commit: null };
  }

  async abort(): Promise<void> {
    this.done = true;
    await rm(this.staging, { recursive: true, force: true });
    if (this.createdRoot) await rmdir(this.root).catch(() => undefined);
  }

  /** Remove a file, link or folder, but only below real directories (never through a link). */
  private async removeOne(rel: string): Promise<void> {
    const parent = dirnameRel(rel);
    if (!(await this.isRealDir(parent))) return;
    await rm(local(this.root, rel), { recursive: true, force: true });
    this.cache.forget(rel);
  }

  private async isRealDir(rel: string): Promise<boolean> {
    let cur = '';
    for (const seg of rel ? rel.split('/') : []) {
      cur = cur ? `${cur}/${seg}` : seg;
      const st = await lstat(local(this.root, cur)).catch(() => null);
      if (!st?.isDirectory()) return false;
    }
    return true;
  }

  private async pruneEmpty(paths: string[]): Promise<void> {
    const dirs = new Set<string>();
    for (const p of paths) for (let d = dirnameRel(p); d; d = dirnameRel(d)) dirs.add(d);
    const deepestFirst = [...dirs].sort((a, b) => b.split('/').length - a.split('/').length);
    for (const d of deepestFirst) await rmdir(local(this.root, d)).catch(() => undefined);
  }

  /** Make `rel` a real directory, clearing any non-directory in the way (memoised per folder). */
  private ensureDir(rel: string): Promise<void> {
    if (!rel) return Promise.resolve();
    let p = this.readyDirs.get(rel);
    if (!p) {
      p = (async () => {
        await this.ensureDir(dirnameRel(rel));
        const abs = local(this.root, rel);
        const st = await lstat(abs).catch(() => null);
        if (st?.isDirectory()) return;
        if (st) await rm(abs, { recursive: true, force: true });
        await mkdir(abs).catch((e: NodeJS.ErrnoException) => {
          if (e.code !== 'EEXIST') throw e;
        });
      })();
      this.readyDirs.set(rel, p);
    }
    return p;
  }

  private async place(s: Staged): Promise<void> {
    await this.ensureDir(dirnameRel(s.path));
    const abs = local(this.root, s.path);
    try {
      renameSync(s.tmp, abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EISDIR' && code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'ENOTDIR') throw e;
      await rm(abs, { recursive: true, force: true });
      await rename(s.tmp, abs);
    }
  }

  /** Feed the stat cache with the ids of what was written, skipping files touched since. */
  private remember(): void {
    for (const s of this.staged) {
      if (!s.oid) continue;
      const at = nowNs();
      let st: BigIntStats;
      try {
        st = lstatSync(local(this.root, s.path), { bigint: true });
      } catch {
        continue;
      }
      if (!st.isFile()) continue;
      if (s.mtimeMs !== undefined && st.mtimeNs / 1_000_000n !== BigInt(Math.trunc(s.mtimeMs))) continue;
      this.cache.record(s.path, { size: Number(st.size), mtimeNs: st.mtimeNs, ctimeNs: st.ctimeNs, ino: st.ino }, s.oid, at);
    }
  }
}

async function collect(r: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of r) parts.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(parts);
}
