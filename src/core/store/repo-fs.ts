/**
 * The filesystem the storage layer works through. Every file the store
 * touches (config, objects, packs, refs, reflogs, lock files) goes through
 * one RepoFs, so a repository can live on Node's own filesystem or inside
 * any Node-fs-shaped module (spec/api.md §20). Node's implementation keeps
 * the fast paths: numeric descriptors, synchronous positional pack reads,
 * the deflate worker and proper-lockfile; `native` tells the store it may
 * use them.
 */
import fs from 'node:fs';
import { fd as fdApi } from './fd.js';

export interface RepoStat {
  size: number;
  mtimeMs: number;
  /** Inode number where the filesystem has one (packed-refs uses it to notice a replaced file). */
  ino?: number;
  isFile(): boolean;
  isDirectory(): boolean;
}

export interface DirEntry {
  name: string;
  isDirectory: boolean;
  isFile: boolean;
}

/** A file opened for positional reads (packs, temp packs). */
export interface RandomAccessFile {
  /** Current size in bytes (asked on demand: most loose-object reads never need it). */
  size(): Promise<number>;
  /** Reads up to `length` bytes at `position`; resolves with the count read (0 at the end). */
  read(buf: Buffer, offset: number, length: number, position: number): Promise<number>;
  /**
   * The same, without waiting: only Node's fs has it. A read from the page
   * cache takes microseconds, far less than a trip through libuv's pool.
   */
  readonly readSync?: (buf: Buffer, offset: number, length: number, position: number) => number;
  close(): Promise<void>;
}

/** A file opened for positional writes and reads (a pack being written). */
export interface WritableFile {
  /** Node's fs only, as for RandomAccessFile. */
  readonly readSync?: (buf: Buffer, offset: number, length: number, position: number) => number;
  write(buf: Uint8Array, position: number): Promise<void>;
  writev(bufs: readonly Buffer[], position: number): Promise<void>;
  read(buf: Buffer, offset: number, length: number, position: number): Promise<number>;
  truncate(length: number): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

export interface RepoFs {
  /** Node's own fs: synchronous reads, worker threads and proper-lockfile see the same files. */
  readonly native: boolean;
  readFile(path: string): Promise<Buffer>;
  /** `exclusive`: fail with EEXIST when the file is there (git's `.lock` and temp-file protocol). */
  writeFile(path: string, data: string | Uint8Array, opts?: { mode?: number; exclusive?: boolean }): Promise<void>;
  appendFile(path: string, data: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** Remove a file (or a tree with `recursive`); a missing path is not an error. */
  rm(path: string, opts?: { recursive?: boolean }): Promise<void>;
  rmdir(path: string): Promise<void>;
  /** Create a directory and its parents. */
  mkdir(path: string): Promise<void>;
  readdir(path: string): Promise<string[]>;
  /** Names with their kinds (symlinks are neither), for walks that descend into directories. */
  readdirKinds(path: string): Promise<DirEntry[]>;
  stat(path: string): Promise<RepoStat>;
  lstat(path: string): Promise<RepoStat>;
  /** Set a file's mtime to now (git's "freshen"); filesystems without utimes only check existence. */
  touch(path: string): Promise<void>;
  openRead(path: string): Promise<RandomAccessFile>;
  /** Create a new file (exclusive) for writing and reading back. */
  createWritable(path: string, mode: number): Promise<WritableFile>;
  /** Canonical path, for keying per-repository state; the path itself when it cannot be resolved. */
  realpath(path: string): string;
}

/** Fill `buf[0, len)` from `pos` with an async positional reader; short files are an error. */
export async function readFullyAsync(
  file: { read(buf: Buffer, offset: number, length: number, position: number): Promise<number> },
  buf: Buffer,
  len: number,
  pos: number,
): Promise<void> {
  for (let done = 0; done < len; ) {
    const n = await file.read(buf, done, len - done, pos + done);
    if (n === 0) throw new Error(`file truncated at ${pos + done}`);
    done += n;
  }
}

/**
 * Open, size and (if at most `max` bytes) read a file: on Node's fs four
 * thread-pool trips through the callback API, which costs much less per file
 * than fs.promises.stat + readFile when importing thousands of small files.
 */
export async function readFileUpTo(fs: RepoFs, path: string, max: number): Promise<{ size: number; data?: Buffer }> {
  const file = await fs.openRead(path);
  try {
    const size = await file.size();
    if (size > max) return { size };
    const data = Buffer.allocUnsafe(size);
    let done = 0;
    while (done < size) {
      const n = await file.read(data, done, size - done, done);
      if (n === 0) break;
      done += n;
    }
    if (done !== size) throw new Error(`File changed while reading: ${path}`);
    return { size, data };
  } finally {
    await file.close();
  }
}

const fsp = fs.promises;

async function nodeOpenRead(path: string): Promise<RandomAccessFile> {
  const fd = await fdApi.open(path, 'r');
  return {
    size: async () => (await fdApi.fstat(fd)).size,
    read: async (buf, offset, length, position) => (await fdApi.read(fd, buf, offset, length, position)).bytesRead,
    readSync: (buf, offset, length, position) => fs.readSync(fd, buf, offset, length, position),
    close: () => fdApi.close(fd),
  };
}

async function nodeCreateWritable(path: string, mode: number): Promise<WritableFile> {
  const fd = await fdApi.open(path, 'wx+', mode);
  let closed = false;
  return {
    readSync: (buf, offset, length, position) => fs.readSync(fd, buf, offset, length, position),
    write: async (buf, position) => {
      const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
      for (let done = 0; done < b.length; ) done += await fdApi.write(fd, b, done, b.length - done, position + done);
    },
    writev: async (bufs, position) => {
      await fdApi.writev(fd, bufs, position);
    },
    read: async (buf, offset, length, position) => (await fdApi.read(fd, buf, offset, length, position)).bytesRead,
    truncate: (length) => fdApi.ftruncate(fd, length),
    sync: () => fdApi.fsync(fd),
    // Idempotent, as a FileHandle's: error paths close again, and a descriptor number may already be reused.
    close: async () => {
      if (closed) return;
      closed = true;
      await fdApi.close(fd);
    },
  };
}

/** Node's filesystem: today's code paths, unchanged. */
export const nodeRepoFs: RepoFs = {
  native: true,
  readFile: (path) => fsp.readFile(path),
  writeFile: (path, data, opts = {}) => fsp.writeFile(path, data, { mode: opts.mode ?? 0o644, flag: opts.exclusive ? 'wx' : 'w' }),
  appendFile: (path, data) => fsp.appendFile(path, data),
  rename: (from, to) => fsp.rename(from, to),
  rm: (path, opts = {}) => fsp.rm(path, { force: true, recursive: opts.recursive ?? false }),
  rmdir: (path) => fsp.rmdir(path),
  mkdir: async (path) => {
    await fsp.mkdir(path, { recursive: true });
  },
  readdir: (path) => fsp.readdir(path),
  readdirKinds: async (path) =>
    (await fsp.readdir(path, { withFileTypes: true })).map((d) => ({ name: d.name, isDirectory: d.isDirectory(), isFile: d.isFile() })),
  stat: (path) => fsp.stat(path),
  lstat: (path) => fsp.lstat(path),
  touch: async (path) => {
    const now = new Date();
    await fsp.utimes(path, now, now);
  },
  openRead: nodeOpenRead,
  createWritable: nodeCreateWritable,
  realpath: (path) => {
    try {
      return fs.realpathSync(path);
    } catch {
      return path;
    }
  },
};
