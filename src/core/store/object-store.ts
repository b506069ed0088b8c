import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { NotImplementedError, ObjectNotFoundError } from '../errors.js';
import { hashObject } from '../objects/hash.js';
import { tempPath } from './fsutil.js';
import {
  findLooseByPrefix,
  looseExists,
  readLoose,
  readLooseHeader,
  streamLoose,
  writeLoose,
  writeLooseStream,
} from './loose.js';
import type { ObjectHeader, ObjectStore, ObjectType, Oid, PackWriter, RawObject, WriteOptions } from './types.js';

export interface ObjectStoreOptions {
  /** zlib level for everything written (core.compression); undefined = git's defaults (loose 1, packs 6). */
  compression?: number;
  /** Blobs above this many bytes are always streamed (core.bigFileThreshold; git's default 512 MiB). */
  bigFileThreshold?: number;
}

export const DEFAULT_BIG_FILE_THRESHOLD = 512 * 1024 * 1024;
const LOOSE_DEFAULT_LEVEL = 1;
/** writeStream keeps sources up to this size in memory; larger ones are spooled to a temp file. */
const STREAM_MEMORY_LIMIT = 1024 * 1024;

/** A repository's object database: loose objects and packfiles under `objects/`. */
export class FileObjectStore implements ObjectStore {
  readonly bigFileThreshold: number;

  constructor(
    readonly objdir: string,
    readonly options: ObjectStoreOptions = {},
  ) {
    this.bigFileThreshold = options.bigFileThreshold ?? DEFAULT_BIG_FILE_THRESHOLD;
  }

  private looseLevel(opts?: WriteOptions): number {
    return opts?.compression ?? this.options.compression ?? LOOSE_DEFAULT_LEVEL;
  }

  async read(oid: Oid): Promise<RawObject> {
    const obj = await readLoose(this.objdir, oid);
    if (!obj) throw new ObjectNotFoundError(oid);
    return obj;
  }

  async readHeader(oid: Oid): Promise<ObjectHeader | null> {
    return readLooseHeader(this.objdir, oid);
  }

  async readRange(oid: Oid, offset: number, size?: number): Promise<Buffer> {
    const { header, stream } = await this.stream(oid);
    const end = Math.min(header.size, size === undefined ? header.size : offset + size);
    return collectRange(stream, offset, end);
  }

  async stream(oid: Oid): Promise<{ header: ObjectHeader; stream: Readable }> {
    const s = await streamLoose(this.objdir, oid);
    if (!s) throw new ObjectNotFoundError(oid);
    return s;
  }

  async has(oid: Oid): Promise<boolean> {
    return looseExists(this.objdir, oid);
  }

  async findByPrefix(prefix: string, limit = Infinity): Promise<Oid[]> {
    const p = prefix.toLowerCase();
    if (!/^[0-9a-f]*$/.test(p)) return [];
    const found = [...new Set(await findLooseByPrefix(this.objdir, p))].sort();
    return found.slice(0, limit);
  }

  async write(type: ObjectType, data: Uint8Array, opts?: WriteOptions): Promise<Oid> {
    const oid = hashObject(type, data);
    await writeLoose(this.objdir, oid, type, data, this.looseLevel(opts));
    return oid;
  }

  async writeFromFile(path: string, opts?: WriteOptions): Promise<{ oid: Oid; size: number }> {
    const { size } = await fs.stat(path);
    if (size <= STREAM_MEMORY_LIMIT) {
      const data = await fs.readFile(path);
      return { oid: await this.write('blob', data, opts), size: data.length };
    }
    const { createReadStream } = await import('node:fs');
    const oid = await writeLooseStream(this.objdir, createReadStream(path), size, this.looseLevel(opts));
    return { oid, size };
  }

  async writeStream(source: AsyncIterable<Uint8Array>, opts?: WriteOptions): Promise<{ oid: Oid; size: number }> {
    const chunks: Buffer[] = [];
    let total = 0;
    const it = source[Symbol.asyncIterator]();
    for (let r = await it.next(); !r.done; r = await it.next()) {
      chunks.push(Buffer.from(r.value));
      total += r.value.length;
      if (total > STREAM_MEMORY_LIMIT) return this.spool(chunks, it, opts);
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
    const fh = await fs.open(tmp, 'wx', 0o600);
    try {
      for (const c of head) await fh.write(c);
      for (let r = await rest.next(); !r.done; r = await rest.next()) await fh.write(r.value);
      await fh.close();
      return await this.writeFromFile(tmp, opts);
    } finally {
      await fh.close().catch(() => undefined);
      await fs.rm(tmp, { force: true });
    }
  }

  async packWriter(): Promise<PackWriter> {
    throw new NotImplementedError('packWriter is not implemented yet');
  }

  async pack(): Promise<number> {
    throw new NotImplementedError('pack is not implemented yet');
  }

  async gc(): Promise<number> {
    throw new NotImplementedError('gc is not implemented yet');
  }

  async refresh(): Promise<void> {}

  async close(): Promise<void> {}

  get packDir(): string {
    return join(this.objdir, 'pack');
  }
}

/** Bytes [start, end) of a stream; stops reading (destroys the stream) once past `end`. */
export async function collectRange(stream: Readable, start: number, end: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let pos = 0;
  if (end <= start) {
    stream.destroy();
    return Buffer.alloc(0);
  }
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const from = Math.max(start - pos, 0);
    const to = Math.min(end - pos, chunk.length);
    if (to > from) parts.push(chunk.subarray(from, to));
    pos += chunk.length;
    if (pos >= end) break;
  }
  stream.destroy();
  return Buffer.concat(parts);
}
