import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { CorruptObjectError, ObjectNotFoundError } from '../errors.js';
import { hashObject, isOid, objectHeader } from '../objects/hash.js';
import { isErrno, tempPath } from './fsutil.js';
import { collectGarbage, packLoose, repackAll } from './gc.js';
import {
  LooseSnapshot,
  findLooseByPrefix,
  fileStream,
  freshenLoose,
  looseExists,
  readLoose,
  readLooseHeader,
  streamLoose,
  writeLoose,
  writeLooseStream,
} from './loose.js';
import { importPack, type ImportPackResult } from './pack-import.js';
import { PackSet, type PackLocation } from './pack-set.js';
import { FilePackWriter } from './pack-writer.js';
import { nodeRepoFs, type RepoFs } from './repo-fs.js';
import type { DeflatedObject, ObjectHeader, ObjectStore, ObjectType, Oid, RawObject, WriteOptions } from './types.js';

export interface ObjectStoreOptions {
  /** zlib level for everything written (core.compression); undefined = git's defaults (loose 1, packs 6). */
  compression?: number;
  /** Blobs above this many bytes are always streamed (core.bigFileThreshold; git's default 512 MiB). */
  bigFileThreshold?: number;
  /** gc keeps unreachable loose objects and packs younger than this (default 0: prune everything unreachable). */
  pruneGraceMs?: number;
  /** The filesystem the repository lives on (default: Node's). */
  fs?: RepoFs;
}

/** Extra knobs for a bulk write session beyond the shared WriteOptions. */
export interface PackWriterOptions extends WriteOptions {
  /** Offsets above this use the idx's 64-bit table (normally 2^31-1; tests lower it). */
  largeOffsetThreshold?: number;
}

export const DEFAULT_BIG_FILE_THRESHOLD = 512 * 1024 * 1024;
const LOOSE_DEFAULT_LEVEL = 1;
const PACK_DEFAULT_LEVEL = 6;
/** Sources up to this size are handled in memory (writeStream, readRange). */
const MEMORY_LIMIT = 1024 * 1024;

/** A repository's object database: loose objects and packfiles under `objects/`. */
export class FileObjectStore implements ObjectStore {
  readonly bigFileThreshold: number;
  readonly packs: PackSet;
  readonly fs: RepoFs;

  constructor(
    readonly objdir: string,
    readonly options: ObjectStoreOptions = {},
  ) {
    this.bigFileThreshold = options.bigFileThreshold ?? DEFAULT_BIG_FILE_THRESHOLD;
    this.fs = options.fs ?? nodeRepoFs;
    this.packs = new PackSet(join(objdir, 'pack'), (oid) => this.readLooseVerified(oid), { fs: this.fs });
  }

  get packDir(): string {
    return join(this.objdir, 'pack');
  }

  looseLevel(opts?: WriteOptions): number {
    return opts?.compression ?? this.options.compression ?? LOOSE_DEFAULT_LEVEL;
  }

  packLevel(opts?: WriteOptions): number {
    return opts?.compression ?? this.options.compression ?? PACK_DEFAULT_LEVEL;
  }

  /**
   * Packs first (in memory), then the loose file; on a miss, rescan the pack
   * directory once (another process may have packed or added objects) and retry.
   */
  private async lookup<T>(
    oid: Oid,
    fromPack: (loc: PackLocation) => Promise<T | null>,
    fromLoose: () => Promise<T | null>,
  ): Promise<T | null> {
    if (!isOid(oid)) return null;
    for (let attempt = 0; attempt < 2; attempt++) {
      const loc = await this.packs.locate(oid);
      if (loc) {
        try {
          const v = await fromPack(loc);
          if (v !== null) return v;
        } catch (err) {
          if (!isErrno(err, 'ENOENT') || attempt) throw err;
          await this.packs.rescan({ force: true });
          continue;
        }
      }
      const v = await fromLoose();
      if (v !== null || attempt) return v;
      await this.packs.rescan();
    }
    return null;
  }

  async read(oid: Oid): Promise<RawObject> {
    const now = this.readNow(oid);
    if (now) return now;
    const obj = await this.lookup(
      oid,
      (loc) => this.packs.read(loc, oid),
      () => readLoose(this.fs, this.objdir, oid),
    );
    if (!obj) throw this.notFound(oid);
    return verified(oid, obj);
  }

  /**
   * {@link read} without waiting, for a packed object once the packs are
   * open (the steady state of a long walk, where a chain of awaits per
   * object cost more than reading it); undefined when the general path is
   * needed (first use, loose objects, big entries, a miss).
   */
  readNow(oid: Oid): RawObject | undefined {
    if (!isOid(oid)) return undefined;
    const loc = this.packs.locateSync(oid);
    const obj = loc ? this.packs.readSync(loc, oid) : undefined;
    return obj && verified(oid, obj);
  }

  /**
   * An object's zlib stream as packed, neither inflated nor verified, for a
   * consumer that inflates it where it wants the bytes and checks them
   * against `oid` (a checkout: store/deflated.ts); undefined when it is
   * loose, a delta, bigger than `maxSize`, or its pack is not open yet. The
   * bytes are a view that the next read overwrites.
   */
  readDeflatedNow(oid: Oid, maxSize: number): DeflatedObject | undefined {
    if (!isOid(oid)) return undefined;
    const loc = this.packs.locateSync(oid);
    return loc ? this.packs.deflatedSync(loc, oid, maxSize) : undefined;
  }

  /**
   * {@link readNow} of an object of at most `maxSize` bytes, deltas
   * included, verified; undefined when it is bigger (known before it is
   * built), loose, or its pack is not open yet.
   */
  readSmallNow(oid: Oid, maxSize: number): RawObject | undefined {
    if (!isOid(oid)) return undefined;
    const loc = this.packs.locateSync(oid);
    const obj = loc ? this.packs.readSmallSync(loc, oid, maxSize) : undefined;
    return obj && verified(oid, obj);
  }

  /** A miss while some pack's index is unreadable may be that pack's object: say so. */
  private notFound(oid: Oid): Error {
    const broken = this.packs.brokenReason();
    return broken ? new CorruptObjectError(oid, `not found, and a pack could not be searched (${broken})`) : new ObjectNotFoundError(oid);
  }

  private async readLooseVerified(oid: Oid): Promise<RawObject | null> {
    const obj = await readLoose(this.fs, this.objdir, oid);
    if (obj && hashObject(obj.type, obj.data) !== oid) throw new CorruptObjectError(oid, 'content does not match its id');
    return obj;
  }

  async readHeader(oid: Oid): Promise<ObjectHeader | null> {
    return this.lookup(
      oid,
      (loc) => this.packs.header(loc, oid),
      () => readLooseHeader(this.fs, this.objdir, oid),
    );
  }

  async readRange(oid: Oid, offset: number, size?: number): Promise<Buffer> {
    const header = await this.readHeader(oid);
    if (!header) throw this.notFound(oid);
    const end = Math.min(header.size, size === undefined ? header.size : offset + size);
    if (header.size <= MEMORY_LIMIT) {
      return Buffer.from((await this.read(oid)).data.subarray(Math.min(offset, end), end));
    }
    return collectRange((await this.stream(oid)).stream, offset, end);
  }

  /** Stream an object's body; the id is verified when the stream ends (an error event if it does not match). */
  async stream(oid: Oid): Promise<{ header: ObjectHeader; stream: Readable }> {
    const s = await this.lookup(
      oid,
      async (loc) => {
        const direct = await this.packs.stream(loc, oid);
        if (direct) return direct;
        const obj = await this.packs.read(loc, oid);
        return { header: { type: obj.type, size: obj.size }, stream: Readable.from([obj.data]) };
      },
      () => streamLoose(this.fs, this.objdir, oid),
    );
    if (!s) throw this.notFound(oid);
    return { header: s.header, stream: verifying(oid, s.header, s.stream) };
  }

  async has(oid: Oid): Promise<boolean> {
    return (await this.lookup(oid, async () => true, async () => ((await looseExists(this.fs, this.objdir, oid)) ? true : null))) === true;
  }


  async findByPrefix(prefix: string, limit = Infinity): Promise<Oid[]> {
    const p = prefix.toLowerCase();
    if (!/^[0-9a-f]{0,40}$/.test(p)) return [];
    await this.packs.rescan({ force: true });
    const found = new Set([...(await this.packs.findByPrefix(p)), ...(await findLooseByPrefix(this.fs, this.objdir, p))]);
    return [...found].sort().slice(0, limit);
  }

  async write(type: ObjectType, data: Uint8Array, opts?: WriteOptions): Promise<Oid> {
    const oid = hashObject(type, data);
    if (await this.freshenPacked(oid)) return oid;
    await writeLoose(this.fs, this.objdir, oid, type, data, this.looseLevel(opts));
    return oid;
  }

  /** Is `oid` in a pack? If so, freshen that pack (see PackSet.freshen). */
  private async freshenPacked(oid: Oid): Promise<boolean> {
    const loc = await this.packs.locate(oid);
    if (loc) await this.packs.freshen(loc.pack);
    return loc !== null;
  }

  async writeFromFile(path: string, opts?: WriteOptions): Promise<{ oid: Oid; size: number }> {
    const { size } = await this.fs.stat(path);
    if (size <= Math.min(MEMORY_LIMIT, this.bigFileThreshold)) {
      const data = await this.fs.readFile(path);
      return { oid: await this.write('blob', data, opts), size: data.length };
    }
    const oid = await writeLooseStream(this.fs, this.objdir, fileStream(this.fs, path), size, this.looseLevel(opts));
    return { oid, size };
  }

  async writeStream(source: AsyncIterable<Uint8Array>, opts?: WriteOptions): Promise<{ oid: Oid; size: number }> {
    const chunks: Buffer[] = [];
    let total = 0;
    const it = source[Symbol.asyncIterator]();
    for (let r = await it.next(); !r.done; r = await it.next()) {
      chunks.push(Buffer.from(r.value));
      total += r.value.length;
      if (total > MEMORY_LIMIT) return this.spool(chunks, it, opts);
    }
    const data = Buffer.concat(chunks);
    return { oid: await this.write('blob', data, opts), size: data.length };
  }

  /** Unknown length: the loose header needs the size first, so spool to a temp file. */
  private async spool(
    head: Buffer[],
    rest: AsyncIterator<Uint8Array>,
    opts?: WriteOptions,
  ): Promise<{ oid: Oid; size: number }> {
    const tmp = tempPath(this.objdir, 'tmp_spool_');
    const fh = await this.fs.createWritable(tmp, 0o600);
    let pos = 0;
    const put = async (chunk: Uint8Array) => {
      await fh.write(chunk, pos);
      pos += chunk.length;
    };
    try {
      try {
        for (const c of head) await put(c);
        for (let r = await rest.next(); !r.done; r = await rest.next()) await put(r.value);
      } finally {
        await fh.close();
      }
      return await this.writeFromFile(tmp, opts);
    } finally {
      await this.fs.rm(tmp);
    }
  }

  async packWriter(opts?: PackWriterOptions): Promise<FilePackWriter> {
    const loose = new LooseSnapshot(this.fs, this.objdir);
    return FilePackWriter.create({
      fs: this.fs,
      packDir: this.packDir,
      level: this.packLevel(opts),
      bigFileThreshold: this.bigFileThreshold,
      exists: async (oid) => (await this.freshenPacked(oid)) || ((await loose.has(oid)) && (await freshenLoose(this.fs, this.objdir, oid))),
      onFinish: () => this.packs.rescan({ force: true }),
      ...(opts?.largeOffsetThreshold !== undefined ? { largeOffsetThreshold: opts.largeOffsetThreshold } : {}),
    });
  }

  /**
   * Install a received packfile (fetch, bundle): verified, deltas resolved to
   * ids but kept as deltas, a thin pack's outside bases appended, .idx written.
   */
  async importPack(source: AsyncIterable<Uint8Array>): Promise<ImportPackResult> {
    const result = await importPack(source, {
      fs: this.fs,
      packDir: this.packDir,
      readExisting: async (oid) => {
        try {
          return await this.read(oid);
        } catch (err) {
          if (err instanceof ObjectNotFoundError) return null;
          throw err;
        }
      },
    });
    await this.packs.rescan({ force: true });
    return result;
  }

  async pack(): Promise<number> {
    return packLoose(this);
  }

  async repack(): Promise<number> {
    return repackAll(this);
  }

  async gc(roots: Oid[]): Promise<number> {
    return collectGarbage(this, roots, this.options.pruneGraceMs ?? 0);
  }

  async refresh(): Promise<void> {
    await this.packs.rescan({ force: true });
  }

  async close(): Promise<void> {
    await this.packs.close();
  }
}

function verified(oid: Oid, obj: RawObject): RawObject {
  if (hashObject(obj.type, obj.data) !== oid) throw new CorruptObjectError(oid, 'content does not match its id');
  return obj;
}

/** Pass a body stream through, checking its length and SHA-1 against the id at the end. */
function verifying(oid: Oid, header: ObjectHeader, inner: Readable): Readable {
  async function* check(): AsyncGenerator<Buffer> {
    const hash = createHash('sha1').update(objectHeader(header.type, header.size));
    let n = 0;
    try {
      for await (const chunk of inner as AsyncIterable<Buffer>) {
        hash.update(chunk);
        n += chunk.length;
        yield chunk;
      }
    } catch (err) {
      if (err instanceof CorruptObjectError) throw err;
      throw new CorruptObjectError(oid, (err as Error).message);
    } finally {
      inner.destroy();
    }
    if (n !== header.size) throw new CorruptObjectError(oid, `stream gave ${n} bytes, header says ${header.size}`);
    if (hash.digest('hex') !== oid) throw new CorruptObjectError(oid, 'content does not match its id');
  }
  return Readable.from(check(), { objectMode: false });
}

/** Bytes [start, end) of a stream; stops reading (destroys the stream) once past `end`. */
export async function collectRange(stream: Readable, start: number, end: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let pos = 0;
  if (end > start) {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const from = Math.max(start - pos, 0);
      const to = Math.min(end - pos, chunk.length);
      if (to > from) parts.push(chunk.subarray(from, to));
      pos += chunk.length;
      if (pos >= end) break;
    }
  }
  stream.destroy();
  return Buffer.concat(parts);
}
