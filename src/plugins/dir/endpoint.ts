/**
 * The built-in `dir` endpoint: a local folder. Listing stats every file and
 * takes blob ids from the stat cache when the stat is identical (never from
 * mtime alone); `hash` and `learn` keep the cache filled.
 */
import { existsSync, lstatSync, readdirSync, readlinkSync, realpathSync, statSync, type BigIntStats } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { FileNotFoundError, IsADirectoryError } from '../../core/errors.js';
import type { DirItem, Endpoint, EndpointWriter, Entry, EntryKind, ListOptions, ReadResult, WriterOptions } from '../contract.js';
import { blobIdOf, blobIdOfFile } from '../hash.js';
import { isStagingName } from './staging.js';
import { StatCache, nowNs, type StatKey } from './statcache.js';
import { DirWriter } from './writer.js';

export interface DirEndpointOptions {
  /** Repository that keeps the stat cache; without one the cache lives in memory only. */
  repoPath?: string;
  display?: string;
}

interface Listed {
  key: StatKey;
  at: bigint;
  /** Path was a symlink listed as its target's content. */
  followed: boolean;
}

function keyOf(st: BigIntStats): StatKey {
  return { size: Number(st.size), mtimeNs: st.mtimeNs, ctimeNs: st.ctimeNs, ino: st.ino };
}

function kindOf(st: BigIntStats): EntryKind {
  return (Number(st.mode) & 0o111) !== 0 ? 'executable' : 'file';
}

/** The result of a blocking fs call, or null when it fails (like `.catch(() => null)`). */
function orNull<T>(call: () => T): T | null {
  try {
    return call();
  } catch {
    return null;
  }
}

export function localPathOf(root: string, rel: string): string {
  return rel ? join(root, ...rel.split('/')) : root;
}

/** Read lazily: the file is opened only when the stream is first pulled. */
function lazyFileStream(path: string): Readable {
  return Readable.from(
    (async function* () {
      const fh = await open(path, 'r');
      try {
        for await (const chunk of fh.createReadStream({ autoClose: false, highWaterMark: 1 << 20 })) yield chunk as Buffer;
      } finally {
        await fh.close();
      }
    })(),
    { objectMode: false },
  );
}

export class DirEndpoint implements Endpoint {
  readonly display: string;
  readonly root: string;
  private cache: StatCache | null = null;
  private cacheKey = '';
  private listed = new Map<string, Listed>();

  private readonly repoAbs: string | null;

  constructor(root: string, private readonly opts: DirEndpointOptions = {}) {
    this.root = resolve(root);
    this.display = opts.display ?? root;
    this.repoAbs = opts.repoPath ? resolve(opts.repoPath) : null;
  }

  private statCache(): StatCache {
    if (this.cache) return this.cache;
    this.cacheKey = orNull(() => realpathSync.native(this.root)) ?? this.root;
    this.cache = this.opts.repoPath ? StatCache.load(this.opts.repoPath, this.cacheKey) : StatCache.memory();
    return this.cache;
  }

  async stat(path: string): Promise<Entry | { path: string; kind: 'dir' } | null> {
    let st: BigIntStats;
    try {
      st = lstatSync(localPathOf(this.root, path), { bigint: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
      throw e;
    }
    if (st.isDirectory()) return { path, kind: 'dir' };
    if (st.isSymbolicLink()) {
      const target = readlinkSync(localPathOf(this.root, path));
      return { path, kind: 'symlink', size: Buffer.byteLength(target), target, mtimeMs: Number(st.mtimeMs) };
    }
    if (!st.isFile()) return null;
    return { path, kind: kindOf(st), size: Number(st.size), mtimeMs: Number(st.mtimeMs) };
  }

  async readdir(path: string): Promise<DirItem[]> {
    const dirents = await readdir(localPathOf(this.root, path), { withFileTypes: true });
    const items = await Promise.all(
      dirents.map(async (d) => {
        let isDir = d.isDirectory();
        if (d.isSymbolicLink()) isDir = await stat(join(d.parentPath ?? localPathOf(this.root, path), d.name)).then((s) => s.isDirectory(), () => false);
        return { name: d.name, isDir };
      }),
    );
    return items.filter((i) => !(i.isDir && isStagingName(i.name)));
  }

  async *list(options: ListOptions = {}): AsyncIterable<Entry> {
    for await (const batch of this.listBatches(options)) yield* batch;
  }

  /**
   * `list` one folder at a time: the same entries in the same order, for
   * callers that take a folder's files at once (a scan of a big tree then
   * pays for an async step per folder, not per file).
   */
  async *listBatches(options: ListOptions = {}): AsyncGenerator<Entry[]> {
    const cache = this.statCache();
    const complete = !options.prefix && !options.skipDir;
    const listed: string[] = [];
    const visited = new Set<string>();
    const start = options.prefix ?? '';
    // The root itself is always followed (a folder given as `link/` is its target's contents).
    const startStat = orNull(() => (start === '' ? statSync : lstatSync)(localPathOf(this.root, start), { bigint: true }));
    if (!startStat) return;
    if (!startStat.isDirectory() && !(options.followSymlinks && startStat.isSymbolicLink())) {
      const e = this.entryFor(start, startStat, nowNs(), options, cache, visited);
      if (e && e !== 'dir') yield [e];
      return;
    }
    if (complete) cache.beginScan();
    const dirs: Array<[rel: string, abs: string]> = [[start, localPathOf(this.root, start)]];
    while (dirs.length) {
      const [dir, abs] = dirs.pop()!;
      if (options.followSymlinks) {
        const real = realpathSync.native(abs);
        if (visited.has(real)) continue;
        visited.add(real);
      }
      if (options.onEnterDir) await options.onEnterDir(dir);
      // Synchronous directory reads and lstats: one thread-pool round trip per
      // file costs more than the syscall itself on trees of many small files.
      // One clock reading per folder, taken before its stats, errs towards "racy".
      const at = nowNs();
      const names = readdirSync(abs).sort();
      const under = abs.endsWith('/') ? abs : `${abs}/`;
      const batch: Entry[] = [];
      const subdirs: Array<[string, string]> = [];
      for (const name of names) {
        const rel = dir === '' ? name : `${dir}/${name}`;
        const path = under + name;
        const st = lstatSync(path, { bigint: true });
        const e = st.isFile() ? this.fileEntry(rel, st, at, false, options, cache) : this.entryFor(rel, st, at, options, cache, visited);
        if (e === 'dir') {
          // The repository itself never copies into itself when it sits inside a synced folder,
          // and a writer's staging folder (maybe a crashed one's) is not content.
          if (!options.skipDir?.(rel) && path !== this.repoAbs && !isStagingName(name)) subdirs.push([rel, path]);
        } else if (e) {
          if (complete) listed.push(rel);
          batch.push(e);
        }
      }
      if (batch.length) yield batch;
      for (let i = subdirs.length - 1; i >= 0; i--) dirs.push(subdirs[i]);
    }
    if (complete) cache.endScan(listed);
  }

  /** Anything but a regular file: folders, symlinks (followed or not), special files. */
  private entryFor(rel: string, st: BigIntStats, at: bigint, options: ListOptions, cache: StatCache, visited: Set<string>): Entry | 'dir' | null {
    if (st.isDirectory()) return 'dir';
    let followed = false;
    if (st.isSymbolicLink()) {
      const target = readlinkSync(localPathOf(this.root, rel));
      if (!options.followSymlinks) {
        return { path: rel, kind: 'symlink', size: Buffer.byteLength(target), target, mtimeMs: Number(st.mtimeMs) };
      }
      try {
        st = statSync(localPathOf(this.root, rel), { bigint: true });
      } catch {
        const err = new FileNotFoundError(localPathOf(this.root, rel));
        if (!options.onError) throw err;
        options.onError(localPathOf(this.root, rel), err.message);
        return null;
      }
      if (st.isDirectory()) return visited.has(realpathSync.native(localPathOf(this.root, rel))) ? null : 'dir';
      followed = true;
    }
    if (!st.isFile()) {
      options.onWarning?.(localPathOf(this.root, rel), 'Skipping special file (not a regular file, directory or symlink)');
      return null;
    }
    return this.fileEntry(rel, st, at, followed, options, cache);
  }

  /** A regular file (or a followed symlink to one), with its id when the stat cache has it. */
  private fileEntry(rel: string, st: BigIntStats, at: bigint, followed: boolean, options: ListOptions, cache: StatCache): Entry {
    const entry: Entry = { path: rel, kind: kindOf(st), size: Number(st.size), mtimeMs: Number(st.mtimeMs) };
    const oid = options.checksum ? undefined : cache.lookup(rel, st);
    if (oid) entry.oid = oid;
    // What `hash`, `learn` and `read` need later; a cache hit has nothing new to learn.
    if (!oid || followed) this.listed.set(rel, { key: keyOf(st), at, followed });
    return entry;
  }

  async read(path: string): Promise<ReadResult> {
    const abs = localPathOf(this.root, path);
    const st = orNull(() => lstatSync(abs));
    if (!st) throw new FileNotFoundError(abs);
    if (st.isDirectory()) throw new IsADirectoryError(abs);
    if (st.isSymbolicLink() && !this.listed.get(path)?.followed) return { data: readlinkSync(abs, { encoding: 'buffer' }) };
    return { data: lazyFileStream(abs), localPath: abs };
  }

  async hash(path: string): Promise<string> {
    const abs = localPathOf(this.root, path);
    // Blocking calls, as in listings: the thread pool costs more than these syscalls.
    const before = lstatSync(abs, { bigint: true });
    if (before.isSymbolicLink() && !this.listed.get(path)?.followed) return blobIdOf(Buffer.from(readlinkSync(abs)));
    const at = nowNs();
    const st = before.isSymbolicLink() ? statSync(abs, { bigint: true }) : before;
    const { oid } = await blobIdOfFile(abs);
    this.statCache().record(path, keyOf(st), oid, at);
    return oid;
  }

  learn(oids: ReadonlyArray<{ path: string; oid: string }>): void {
    if (!this.cache) return;
    for (const { path, oid } of oids) {
      const l = this.listed.get(path);
      if (l) this.cache.record(path, l.key, oid, l.at);
    }
  }

  /** Of the writer options only `keepGoing` applies to folders (no messages or parents). */
  async writer(options: WriterOptions = {}): Promise<EndpointWriter> {
    return DirWriter.create(this.root, this.statCache(), { keepGoing: options.keepGoing === true });
  }

  async close(): Promise<void> {
    if (!this.cache) return;
    if (existsSync(this.root)) await this.cache.save(this.cacheKey);
  }
}
