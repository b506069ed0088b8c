/**
 * A RepoFs over a caller's FsModule (memfs and the like): only its promise
 * API and realpathSync are used. No synchronous reads, no worker threads, no
 * proper-lockfile: none of those would see a filesystem that is not Node's.
 */
import fs from 'node:fs';
import * as fsNamespace from 'node:fs';
import { NotImplementedError } from '../errors.js';
import type { FsModule } from '../types.js';
import { nodeRepoFs, type RandomAccessFile, type RepoFs, type RepoStat, type WritableFile } from './repo-fs.js';

/** The Node FileHandle methods used when an fs module's open() provides them. */
interface HandleLike {
  read?(buf: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  write?(buf: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesWritten: number }>;
  truncate?(length: number): Promise<void>;
  sync?(): Promise<void>;
  stat?(): Promise<{ size: number }>;
  close(): Promise<void>;
}

type Promises = FsModule['promises'] & {
  utimes?(path: string, atime: Date, mtime: Date): Promise<void>;
  writeFile(path: string, data: Uint8Array | string, options?: { mode?: number; flag?: string }): Promise<void>;
};

const adapters = new WeakMap<object, RepoFs>();

/**
 * Files are created writable and given their final mode (git's read-only
 * 0444 for objects and packs) once written: unlike Node's, some fs modules
 * (memfs) check a new file's own mode against the open that creates it.
 */
const OWNER_RW = 0o600;

/**
 * The RepoFs for an fs module: Node's own for node:fs (or none given), one
 * shared adapter per other module. node:fs reaches us both as its default
 * export (`require('fs')`) and as its ES namespace object (`import * as`).
 */
export function repoFsFor(fsModule: FsModule | undefined): RepoFs {
  if (!fsModule || fsModule === (fs as unknown as FsModule) || fsModule === (fsNamespace as unknown as FsModule)) return nodeRepoFs;
  let r = adapters.get(fsModule);
  if (!r) {
    r = moduleRepoFs(fsModule);
    adapters.set(fsModule, r);
  }
  return r;
}

function isErr(err: unknown, code: string): boolean {
  return (err as NodeJS.ErrnoException | null)?.code === code;
}

function toBuffer(data: Uint8Array | string): Buffer {
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

function moduleRepoFs(m: FsModule): RepoFs {
  const p = m.promises as Promises;
  return {
    native: false,
    readFile: async (path) => toBuffer(await p.readFile(path)),
    writeFile: async (path, data, opts = {}) => {
      const mode = opts.mode ?? 0o644;
      await p.writeFile(path, data, { mode: mode | OWNER_RW, flag: opts.exclusive ? 'wx' : 'w' });
      if ((mode | OWNER_RW) !== mode) await p.chmod(path, mode);
    },
    appendFile: (path, data) => p.appendFile(path, data),
    rename: (from, to) => p.rename(from, to),
    rm: (path, opts = {}) => remove(p, path, opts.recursive ?? false),
    rmdir: (path) => p.rmdir(path),
    mkdir: async (path) => {
      await p.mkdir(path, { recursive: true });
    },
    readdir: async (path) => (await p.readdir(path)).map(String),
    readdirKinds: async (path) => {
      const out = [];
      for (const name of (await p.readdir(path)).map(String)) {
        const st = await p.lstat(`${path}/${name}`).catch(() => null);
        if (st) out.push({ name, isDirectory: st.isDirectory(), isFile: st.isFile() });
      }
      return out;
    },
    stat: (path) => p.stat(path) as Promise<RepoStat>,
    lstat: (path) => p.lstat(path) as Promise<RepoStat>,
    touch: async (path) => {
      if (!p.utimes) {
        await p.stat(path);
        return;
      }
      const now = new Date();
      await p.utimes(path, now, now);
    },
    openRead: (path) => openRead(p, path),
    createWritable: (path, mode) => createWritable(p, path, mode),
    realpath: (path) => {
      try {
        return m.realpathSync(path);
      } catch {
        return path;
      }
    },
  };
}

async function remove(p: Promises, path: string, recursive: boolean): Promise<void> {
  try {
    if (p.rm) {
      await p.rm(path, { recursive, force: true });
      return;
    }
    const st = await p.lstat(path);
    if (!st.isDirectory()) await p.unlink(path);
    else {
      if (!recursive) throw Object.assign(new Error(`EISDIR: is a directory, rm '${path}'`), { code: 'EISDIR' });
      for (const name of await p.readdir(path)) await remove(p, `${path}/${name}`, true);
      await p.rmdir(path);
    }
  } catch (err) {
    if (!isErr(err, 'ENOENT')) throw err;
  }
}

/**
 * Positional reads through the module's file handle when it has Node's
 * `read(buffer, offset, length, position)`. A module whose handles cannot
 * read at a position gets the whole file read into memory once: only such a
 * filesystem pays that, and only for the packs it opens.
 */
async function openRead(p: Promises, path: string): Promise<RandomAccessFile> {
  const h = (await p.open(path, 'r')) as HandleLike;
  if (!h.read) {
    await h.close();
    const whole = toBuffer(await p.readFile(path));
    return {
      size: async () => whole.length,
      read: async (buf, offset, length, position) => whole.copy(buf, offset, position, Math.min(position + length, whole.length)),
      close: async () => undefined,
    };
  }
  const read = h.read.bind(h);
  return {
    size: async () => (h.stat ? (await h.stat()).size : (await p.stat(path)).size),
    read: async (buf, offset, length, position) => (await read(buf, offset, length, position)).bytesRead,
    close: () => h.close(),
  };
}

/** A new file written through the module's handle; such handles need Node's write/read/truncate/sync. */
async function createWritable(p: Promises, path: string, mode: number): Promise<WritableFile> {
  const h = (await p.open(path, 'wx+', mode | OWNER_RW)) as HandleLike;
  if (!h.write || !h.read || !h.truncate) {
    await h.close();
    await remove(p, path, false);
    throw new NotImplementedError(`The fs module's open() returns handles without positional write/read/truncate: cannot write ${path}`);
  }
  const write = h.write.bind(h);
  const read = h.read.bind(h);
  let closed = false;
  const writeAll = async (buf: Uint8Array, position: number) => {
    for (let done = 0; done < buf.length; ) done += (await write(buf, done, buf.length - done, position + done)).bytesWritten;
  };
  return {
    write: writeAll,
    writev: async (bufs, position) => writeAll(Buffer.concat(bufs), position),
    read: async (buf, offset, length, position) => (await read(buf, offset, length, position)).bytesRead,
    truncate: (length) => h.truncate!(length),
    sync: async () => {
      await h.sync?.();
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await h.close();
      if ((mode | OWNER_RW) !== mode) await p.chmod(path, mode);
    },
  };
}
