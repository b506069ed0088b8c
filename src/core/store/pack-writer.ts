import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { pipeline, Transform } from 'node:stream';
import zlib from 'node:zlib';
import { hashObject, objectHeader } from '../objects/hash.js';
import { DeflateWorker } from './deflate-worker.js';
import { buildIndex, encodeEntryHeader, packHeader, type IndexEntry } from './pack-format.js';
import { tempPath } from './fsutil.js';
import { fileStream } from './loose.js';
import { OBJ_REF_DELTA, TYPE_CODES } from './pack-file.js';
import { readFileUpTo, type RepoFs, type WritableFile } from './repo-fs.js';
import type { ObjectType, Oid, PackWriter } from './types.js';

/** zlib.deflate in libuv's pool, as a promise. */
function deflateAsync(data: Uint8Array, options: zlib.ZlibOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => zlib.deflate(data, options, (err, out) => (err ? reject(err) : resolve(out))));
}

/** Below this, deflate on the main thread; above, in libuv's pool so several files compress at once. */
const SYNC_DEFLATE_MAX = 2 * 1024;
/** Files up to this size are read whole; larger ones stream through the deflater. */
const READ_WHOLE_MAX = 4 * 1024 * 1024;
const FLUSH_AT = 4 * 1024 * 1024;
/** Once a writer has deflated this much, it hands deflating to a worker thread (starting one costs ~30 ms). */
const WORKER_AFTER = 1024 * 1024;
/** Objects up to this size may go to the worker; bigger ones deflate in libuv's pool. */
const WORKER_MAX = 1024 * 1024;
/** Input bytes handed to the worker but not yet in the pack: past this, `write` waits. */
const MAX_IN_FLIGHT = 8 * 1024 * 1024;
const MAX_SMALL_OFFSET = 0x7fffffff;

export interface PackWriterSettings {
  /** Where the pack is written, and where writeFromFile reads local files. */
  fs: RepoFs;
  packDir: string;
  level: number;
  /** Is the object already stored elsewhere? Such objects are skipped. */
  exists: (oid: Oid) => Promise<boolean>;
  /** Offsets above this go to the idx's 64-bit table (tests lower it to exercise that table). */
  largeOffsetThreshold?: number;
  /** Files larger than this are always streamed, never read whole (core.bigFileThreshold). */
  bigFileThreshold?: number;
  /** Called once the pack and index are in place (the store rescans its pack list). */
  onFinish?: () => Promise<void>;
}

/**
 * Streams objects into `objects/pack/tmp_pack_*`, then at finish() fixes the
 * object count, appends the SHA-1 trailer, writes the v2 `.idx` and renames
 * pack then index into place (so readers never see an index without its pack).
 */
export class FilePackWriter implements PackWriter {
  private readonly entries: IndexEntry[] = [];
  private readonly seen = new Set<Oid>();
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private flushedTo = 12;
  private end = 12;
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** finish() or abort() has been called (`closed` is only set when its turn in the queue comes). */
  private ending = false;
  private finalPath: string | undefined;
  private deflater: DeflateWorker | null = null;
  private deflatedBytes = 0;
  /** Objects queued for the worker, in order; settled ones are dropped from the front. */
  private inFlight: Array<{ done: Promise<void>; bytes: number; settled: boolean }> = [];
  private inFlightBytes = 0;
  private queued = 0;
  /** The first failure of a queued object: the pack is then unusable. */
  private failure: unknown = null;

  private constructor(
    private readonly s: PackWriterSettings,
    private readonly tmp: string,
    private readonly file: WritableFile,
  ) {}

  static async create(s: PackWriterSettings): Promise<FilePackWriter> {
    await s.fs.mkdir(s.packDir);
    const tmp = tempPath(s.packDir, 'tmp_pack_');
    const file = await s.fs.createWritable(tmp, 0o444);
    await file.write(packHeader(0), 0);
    return new FilePackWriter(s, tmp, file);
  }

  /** Final path of the pack, once finish() has put it in place (undefined if nothing was written). */
  get packPath(): string | undefined {
    return this.finalPath;
  }

  get count(): number {
    return this.entries.length + this.queued;
  }

  async write(type: ObjectType, data: Uint8Array): Promise<Oid> {
    return this.add(type, data, { skipExisting: true });
  }

  /** Add an object; `skipExisting: false` packs it even when stored loose (used by pack/gc). */
  async add(type: ObjectType, data: Uint8Array, opts: { skipExisting: boolean }): Promise<Oid> {
    this.checkOpen();
    const oid = hashObject(type, data);
    if (this.seen.has(oid)) return oid;
    // Claim the id before any await, so a concurrent write of the same content skips.
    this.seen.add(oid);
    if (opts.skipExisting && (await this.s.exists(oid))) return oid;
    if (this.toWorker(data.length)) {
      await this.queueDeflate(oid, encodeEntryHeader(TYPE_CODES[type], data.length), data);
      return oid;
    }
    let z: Buffer;
    try {
      z =
        data.length <= SYNC_DEFLATE_MAX
          ? zlib.deflateSync(data, { level: this.s.level })
          : await deflateAsync(data, { level: this.s.level });
    } catch (err) {
      this.seen.delete(oid);
      throw err;
    }
    await this.exclusive(async () => {
      this.checkOpen();
      const header = encodeEntryHeader(TYPE_CODES[type], data.length);
      this.record(oid, zlib.crc32(z, zlib.crc32(header)));
      await this.append(header);
      await this.append(z);
    });
    return oid;
  }

  /**
   * The worker is for Node's own filesystem only: a custom fs module stands
   * for an environment (a sandbox, an in-memory store) that should not get
   * threads it did not ask for, so its objects deflate in-thread.
   */
  private toWorker(size: number): boolean {
    if (size > WORKER_MAX || !this.s.fs.native) return false;
    this.deflatedBytes += size;
    return this.deflater !== null || this.deflatedBytes > WORKER_AFTER;
  }

  /**
   * Hand the deflate to the worker and return at once: the entry joins the
   * pack in order when its zlib data is back. Waits only when too much is
   * still in flight, so memory stays bounded.
   */
  private async queueDeflate(oid: Oid, header: Buffer, data: Uint8Array): Promise<void> {
    // Once finish or abort is under way a queued entry could no longer land, so the write must fail now.
    if (this.ending) throw new Error('Pack writer already finished');
    this.deflater ??= new DeflateWorker(this.s.level);
    const z = this.deflater.deflate(data);
    // Awaited later, in the pack's turn; a rejection meanwhile must not count as unhandled.
    z.catch(() => undefined);
    this.queued += 1;
    const job = { done: Promise.resolve(), bytes: data.length, settled: false };
    job.done = this.exclusive(async () => {
      const out = await z;
      this.checkOpen();
      this.record(oid, zlib.crc32(out, zlib.crc32(header)));
      await this.append(header);
      await this.append(out);
    }).then(
      () => this.settle(job),
      (err: unknown) => {
        this.failure ??= err;
        this.settle(job);
      },
    );
    this.inFlight.push(job);
    this.inFlightBytes += job.bytes;
    while (this.inFlightBytes > MAX_IN_FLIGHT && this.inFlight.length > 0) {
      this.deflater.flush();
      await this.inFlight[0]!.done;
    }
    if (this.failure) throw this.failure;
  }

  private settle(job: { bytes: number; settled: boolean }): void {
    job.settled = true;
    this.queued -= 1;
    this.inFlightBytes -= job.bytes;
    while (this.inFlight[0]?.settled) this.inFlight.shift();
  }

  /**
   * Add an object whose id is known and whose zlib data is already made (a
   * whole entry copied from another pack). The caller vouches for the id.
   */
  async addCompressed(oid: Oid, type: ObjectType, size: number, compressed: Buffer): Promise<void> {
    await this.addPrepared(oid, encodeEntryHeader(TYPE_CODES[type], size), compressed);
  }

  /**
   * Add a delta (REF_DELTA: its base named by id) with its zlib data already
   * made. The base must end up in this same pack; the caller ensures that.
   */
  async addCompressedDelta(oid: Oid, baseOid: Oid, deltaSize: number, compressed: Buffer): Promise<void> {
    const header = Buffer.concat([encodeEntryHeader(OBJ_REF_DELTA, deltaSize), Buffer.from(baseOid, 'hex')]);
    await this.addPrepared(oid, header, compressed);
  }

  private async addPrepared(oid: Oid, header: Buffer, compressed: Buffer): Promise<void> {
    this.checkOpen();
    if (this.seen.has(oid)) return;
    this.seen.add(oid);
    await this.exclusive(async () => {
      this.checkOpen();
      this.record(oid, zlib.crc32(compressed, zlib.crc32(header)));
      await this.append(header);
      await this.append(compressed);
    });
  }

  async writeFromFile(path: string): Promise<{ oid: Oid; size: number }> {
    this.checkOpen();
    const file = await readFileUpTo(this.s.fs, path, Math.min(READ_WHOLE_MAX, this.s.bigFileThreshold ?? Infinity));
    if (file.data) return { oid: await this.write('blob', file.data), size: file.size };
    const oid = await this.addStream('blob', file.size, fileStream(this.s.fs, path), { skipExisting: true });
    return { oid, size: file.size };
  }

  /**
   * Hash and deflate `size` bytes from `source` straight into the pack. The
   * id is only known at the end; if it turns out to be stored already, the
   * entry is cut off again.
   */
  async addStream(
    type: ObjectType,
    size: number,
    source: AsyncIterable<Uint8Array> | NodeJS.ReadableStream,
    opts: { skipExisting: boolean },
  ): Promise<Oid> {
    this.checkOpen();
    return this.exclusive(async () => {
      this.checkOpen();
      const start = this.end;
      const header = encodeEntryHeader(TYPE_CODES[type], size);
      const hash = createHash('sha1').update(objectHeader(type, size));
      let total = 0;
      let crc = zlib.crc32(header);
      await this.append(header);
      const tap = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          hash.update(chunk);
          total += chunk.length;
          cb(null, chunk);
        },
      });
      const deflated = pipeline(source as NodeJS.ReadableStream, tap, zlib.createDeflate({ level: this.s.level }), () => undefined);
      for await (const chunk of deflated as AsyncIterable<Buffer>) {
        crc = zlib.crc32(chunk, crc);
        await this.append(chunk);
      }
      if (total !== size) {
        await this.truncate(start);
        throw new Error(`Source changed while reading: expected ${size} bytes, got ${total}`);
      }
      const oid = hash.digest('hex');
      if (this.seen.has(oid) || (opts.skipExisting && (await this.s.exists(oid)))) {
        await this.truncate(start);
        return oid;
      }
      this.seen.add(oid);
      this.entries.push({ oid: Buffer.from(oid, 'hex'), offset: start, crc });
      return oid;
    });
  }

  async finish(): Promise<void> {
    this.ending = true;
    this.deflater?.flush();
    await this.exclusive(async () => {
      this.checkOpen();
      await this.stopDeflater();
      this.closed = true;
      if (this.entries.length === 0) {
        await this.discard();
        return;
      }
      await this.flush();
      await this.file.write(packHeader(this.entries.length), 0);
      const checksum = await this.checksum();
      await this.file.write(checksum, this.end);
      await this.file.sync();
      await this.file.close();
      const name = `pack-${checksum.toString('hex')}`;
      const idx = buildIndex(this.entries, checksum, this.s.largeOffsetThreshold ?? MAX_SMALL_OFFSET);
      const idxTmp = tempPath(this.s.packDir, 'tmp_idx_');
      try {
        const ih = await this.s.fs.createWritable(idxTmp, 0o444);
        await ih.write(idx, 0);
        await ih.sync();
        await ih.close();
        this.finalPath = join(this.s.packDir, `${name}.pack`);
        await this.s.fs.rename(this.tmp, this.finalPath);
        await this.s.fs.rename(idxTmp, join(this.s.packDir, `${name}.idx`));
      } catch (err) {
        await this.s.fs.rm(this.tmp);
        await this.s.fs.rm(idxTmp);
        throw err;
      }
      await this.s.onFinish?.();
    });
  }

  async abort(): Promise<void> {
    this.ending = true;
    // Queued objects are dropped: the worker's rejections let the queue drain at once.
    await this.stopDeflater();
    await this.exclusive(async () => {
      if (this.closed) return;
      this.closed = true;
      await this.discard();
    });
  }

  private async discard(): Promise<void> {
    await this.file.close().catch(() => undefined);
    await this.s.fs.rm(this.tmp);
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('Pack writer already finished');
    if (this.failure) throw this.failure;
  }

  private async stopDeflater(): Promise<void> {
    const d = this.deflater;
    this.deflater = null;
    await d?.close();
  }

  private record(oid: Oid, crc: number): void {
    this.entries.push({ oid: Buffer.from(oid, 'hex'), offset: this.end, crc });
  }

  /** Run `fn` with the pack's tail to itself: appends from concurrent writes never interleave. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async append(buf: Buffer): Promise<void> {
    this.pending.push(buf);
    this.pendingBytes += buf.length;
    this.end += buf.length;
    if (this.pendingBytes >= FLUSH_AT) await this.flush();
  }

  private async flush(): Promise<void> {
    if (!this.pendingBytes) return;
    const bufs = this.pending;
    const at = this.flushedTo;
    this.pending = [];
    this.pendingBytes = 0;
    this.flushedTo = this.end;
    await this.file.writev(bufs, at);
  }

  private async truncate(to: number): Promise<void> {
    await this.flush();
    await this.file.truncate(to);
    this.end = to;
    this.flushedTo = to;
  }

  /** SHA-1 of the whole pack as finally laid out (the header count changed after the data was written). */
  private async checksum(): Promise<Buffer> {
    const hash = createHash('sha1');
    const chunk = Buffer.allocUnsafe(FLUSH_AT);
    for (let pos = 0; pos < this.end; ) {
      const bytesRead = await this.file.read(chunk, 0, Math.min(chunk.length, this.end - pos), pos);
      if (bytesRead === 0) throw new Error('temp pack shrank while being checksummed');
      hash.update(chunk.subarray(0, bytesRead));
      pos += bytesRead;
    }
    return hash.digest();
  }
}
