import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { join } from 'node:path';
import zlib from 'node:zlib';
import { CorruptPackError } from '../errors.js';
import { objectHeader } from '../objects/hash.js';
import { applyDelta } from './delta.js';
import { tempPath } from './fsutil.js';
import { ByteLru } from './lru.js';
import { OBJ_OFS_DELTA, TYPE_CODES, parseEntryHeader, typeName, type EntryHeader } from './pack-file.js';
import { buildIndex, encodeEntryHeader, type IndexEntry } from './pack-format.js';
import { readFullyAsync, type RepoFs, type WritableFile } from './repo-fs.js';
import type { ObjectType, Oid, RawObject } from './types.js';

export interface ImportPackOptions {
  fs: RepoFs;
  packDir: string;
  /** Reads objects already in the repository: bases of a thin pack's deltas. */
  readExisting: (oid: Oid) => Promise<RawObject | null>;
}

export interface ImportPackResult {
  /** Objects in the installed pack (thin-pack bases that had to be appended included). */
  count: number;
  /** Final path of the .pack, or null for an empty pack (nothing installed). */
  packPath: string | null;
}

interface Scanned {
  header: EntryHeader;
  crc: number;
  oid?: Oid;
  type?: ObjectType;
}

const MAX_CHAIN = 10_000;
/** Whole objects above this are hashed by streaming inflate instead of in one buffer. */
const STREAM_ENTRY_MIN = 8 * 1024 * 1024;
const READ_CHUNK = 1024 * 1024;

/**
 * Receive a packfile (from a fetch or a bundle) the way `git index-pack
 * --fix-thin` does: spool it to objects/pack, check its trailer, compute every
 * object's id (resolving deltas, keeping them stored as deltas), append any
 * base a thin pack leaves out, write the .idx, then rename pack and index into place.
 */
export async function importPack(source: AsyncIterable<Uint8Array>, opts: ImportPackOptions): Promise<ImportPackResult> {
  const { fs } = opts;
  await fs.mkdir(opts.packDir);
  const tmp = tempPath(opts.packDir, 'tmp_pack_in_');
  const fh = await fs.createWritable(tmp, 0o444);
  try {
    const spooled = await spool(source, fh, tmp);
    let size = spooled.size;
    const read = syncReader(fh, spooled.copy);
    const count = readHeaderCount(read, tmp, size);
    if (count === 0) {
      await fh.close();
      await fs.rm(tmp);
      return { count: 0, packPath: null };
    }
    const reader = new TempPack(read, tmp, size - 20, opts.readExisting);
    await reader.scan(count);
    const external = await reader.resolveAll();
    if (external.length) size = await appendBases(fh, size, count, external);
    const checksum = Buffer.alloc(20);
    await readFullyAsync(fh, checksum, 20, size - 20);
    await fh.sync();
    await fh.close();
    const name = `pack-${checksum.toString('hex')}`;
    const entries = [...reader.indexEntries(), ...external.map((e) => e.entry)];
    const idxTmp = tempPath(opts.packDir, 'tmp_idx_');
    await fs.writeFile(idxTmp, buildIndex(entries, checksum, 0x7fffffff), { mode: 0o444, exclusive: true });
    const packPath = join(opts.packDir, `${name}.pack`);
    await fs.rename(tmp, packPath);
    await fs.rename(idxTmp, join(opts.packDir, `${name}.idx`));
    return { count: entries.length, packPath };
  } catch (err) {
    await fh.close().catch(() => undefined);
    await fs.rm(tmp);
    throw err;
  }
}

type ReadAt = (pos: number, len: number) => Buffer;

/**
 * Entry scanning reads the spooled pack synchronously: from the file on
 * Node's fs, else from the copy spool() kept in memory (a filesystem without
 * synchronous reads pays memory for the received pack's size).
 */
function syncReader(fh: WritableFile, copy: Buffer | null): ReadAt {
  const readSync = fh.readSync;
  if (readSync) {
    return (pos, len) => {
      const buf = Buffer.allocUnsafe(len);
      return buf.subarray(0, readSync(buf, 0, len, pos));
    };
  }
  return (pos, len) => copy!.subarray(pos, pos + len);
}

/**
 * Copy the source to the temp file, checking the SHA-1 trailer on the way.
 * Keeps an in-memory copy too when the file cannot be read synchronously.
 */
async function spool(source: AsyncIterable<Uint8Array>, fh: WritableFile, path: string): Promise<{ size: number; copy: Buffer | null }> {
  const hash = createHash('sha1');
  const copies: Buffer[] | null = fh.readSync ? null : [];
  let tail = Buffer.alloc(0);
  let size = 0;
  for await (const chunk of source) {
    const buf = Buffer.from(chunk);
    await fh.write(buf, size);
    copies?.push(buf);
    size += buf.length;
    // Hash everything except the final 20 bytes, which are the checksum itself.
    const joined = Buffer.concat([tail, buf]);
    hash.update(joined.subarray(0, Math.max(0, joined.length - 20)));
    tail = Buffer.from(joined.subarray(Math.max(0, joined.length - 20)));
  }
  if (size < 32 || !hash.digest().equals(tail)) throw new CorruptPackError(path, 'truncated pack or bad checksum');
  return { size, copy: copies && Buffer.concat(copies) };
}

function readHeaderCount(read: ReadAt, path: string, size: number): number {
  const head = read(0, 12);
  if (head.toString('latin1', 0, 4) !== 'PACK' || ![2, 3].includes(head.readUInt32BE(4))) {
    throw new CorruptPackError(path, 'bad pack header');
  }
  const count = head.readUInt32BE(8);
  if (count > size) throw new CorruptPackError(path, 'object count larger than the pack');
  return count;
}

/** The spooled pack: entry boundaries, ids, and delta resolution. */
class TempPack {
  private readonly entries = new Map<number, Scanned>();
  private readonly byOid = new Map<Oid, number>();
  private readonly cache = new ByteLru<Buffer, number>(64 * 1024 * 1024);
  private readonly externals = new Map<Oid, RawObject>();

  constructor(
    private readonly read: ReadAt,
    private readonly path: string,
    private readonly dataEnd: number,
    private readonly readExisting: (oid: Oid) => Promise<RawObject | null>,
  ) {}

  /** Walk the entries in order; each one's end is where its zlib stream stops. */
  async scan(count: number): Promise<void> {
    let pos = 12;
    for (let i = 0; i < count; i++) {
      const header = parseEntryHeader(this.read(pos, Math.min(32, this.dataEnd - pos)), pos, this.dataEnd);
      const type = typeName(header.typeCode);
      const entry: Scanned = { header, crc: 0 };
      if (type && header.size > STREAM_ENTRY_MIN) {
        const { oid, consumed } = await this.hashStreaming(header, type);
        header.end = header.dataStart + consumed;
        entry.oid = oid;
      } else {
        const { data, consumed } = this.inflateAt(header);
        header.end = header.dataStart + consumed;
        if (type) entry.oid = createHash('sha1').update(objectHeader(type, data.length)).update(data).digest('hex');
      }
      entry.crc = this.crcOf(pos, header.end);
      if (type) {
        entry.type = type;
        this.byOid.set(entry.oid!, pos);
      }
      this.entries.set(pos, entry);
      pos = header.end;
    }
    if (pos !== this.dataEnd) throw new CorruptPackError(this.path, 'trailing data after the last entry');
  }

  private crcOf(start: number, end: number): number {
    let crc = 0;
    for (let at = start; at < end; at += READ_CHUNK) crc = zlib.crc32(this.read(at, Math.min(READ_CHUNK, end - at)), crc);
    return crc;
  }

  /**
   * Hash a big whole object by inflating it as a stream, so memory does not
   * grow with its size; zlib stops at the end of the entry's stream and says
   * how many bytes it consumed.
   */
  private async hashStreaming(h: EntryHeader, type: ObjectType): Promise<{ oid: Oid; consumed: number }> {
    const hash = createHash('sha1').update(objectHeader(type, h.size));
    const inflate = zlib.createInflate();
    let produced = 0;
    let ended = false;
    inflate.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      produced += chunk.length;
    });
    const done = new Promise<void>((resolve, reject) => {
      inflate.once('end', () => {
        ended = true;
        resolve();
      });
      inflate.once('error', (err) => reject(new CorruptPackError(this.path, err.message)));
    });
    for (let at = h.dataStart; at < this.dataEnd && !ended; at += READ_CHUNK) {
      if (!inflate.write(this.read(at, Math.min(READ_CHUNK, this.dataEnd - at)))) {
        await Promise.race([once(inflate, 'drain'), done]);
      }
    }
    inflate.end();
    await done;
    if (produced !== h.size) throw new CorruptPackError(this.path, `entry at ${h.offset} inflates to ${produced}, header says ${h.size}`);
    return { oid: hash.digest('hex'), consumed: inflate.bytesWritten };
  }

  /** Inflate the entry's data; a growing window finds where its zlib stream ends. */
  private inflateAt(h: EntryHeader): { data: Buffer; consumed: number } {
    const available = this.dataEnd - h.dataStart;
    for (let window = Math.min(available, h.size + (h.size >> 4) + 1024); ; window = Math.min(available, window * 2)) {
      try {
        const r = zlib.inflateSync(this.read(h.dataStart, window), { info: true }) as unknown as {
          buffer: Buffer;
          engine: { bytesWritten: number };
        };
        if (r.buffer.length !== h.size) throw new Error(`entry at ${h.offset} inflates to ${r.buffer.length}, header says ${h.size}`);
        return { data: r.buffer, consumed: r.engine.bytesWritten };
      } catch (err) {
        const truncated = /unexpected end/i.test((err as Error).message);
        if (!truncated || window >= available) throw new CorruptPackError(this.path, (err as Error).message);
      }
    }
  }

  /** Give every delta its id; returns the outside bases a thin pack relied on. */
  async resolveAll(): Promise<Array<{ oid: Oid; raw: RawObject; entry: IndexEntry }>> {
    let pending = [...this.entries.values()].filter((e) => !e.oid);
    while (pending.length) {
      const left: Scanned[] = [];
      for (const e of pending) {
        const ready = e.header.typeCode === OBJ_OFS_DELTA || this.byOid.has(e.header.baseOid!) || (await this.external(e.header.baseOid!));
        if (!ready) {
          left.push(e);
          continue;
        }
        const { type, data } = await this.resolve(e.header.offset, 0);
        e.type = type;
        e.oid = createHash('sha1').update(objectHeader(type, data.length)).update(data).digest('hex');
        this.byOid.set(e.oid, e.header.offset);
      }
      if (left.length === pending.length) throw new CorruptPackError(this.path, `delta base ${left[0]!.header.baseOid} is missing`);
      pending = left;
    }
    return [...this.externals].filter(([oid]) => !this.byOid.has(oid)).map(([oid, raw]) => ({ oid, raw, entry: { oid: Buffer.from(oid, 'hex'), offset: 0, crc: 0 } }));
  }

  private async external(oid: Oid): Promise<boolean> {
    if (this.externals.has(oid)) return true;
    const raw = await this.readExisting(oid);
    if (raw) this.externals.set(oid, raw);
    return raw !== null;
  }

  private async resolve(offset: number, depth: number): Promise<{ type: ObjectType; data: Buffer }> {
    if (depth > MAX_CHAIN) throw new CorruptPackError(this.path, 'delta chain too deep (or a cycle)');
    const e = this.entries.get(offset);
    if (!e) throw new CorruptPackError(this.path, `no entry at offset ${offset}`);
    const cached = this.cache.get(offset);
    if (cached && e.type) return { type: e.type, data: cached };
    const { data } = this.inflateAt(e.header);
    if (e.type && e.header.typeCode < OBJ_OFS_DELTA) return { type: e.type, data };
    let base: { type: ObjectType; data: Buffer };
    if (e.header.typeCode === OBJ_OFS_DELTA) base = await this.resolve(e.header.baseOffset!, depth + 1);
    else {
      const at = this.byOid.get(e.header.baseOid!);
      const ext = this.externals.get(e.header.baseOid!);
      if (at !== undefined) base = await this.resolve(at, depth + 1);
      else if (ext) base = { type: ext.type, data: ext.data };
      else throw new CorruptPackError(this.path, `delta base ${e.header.baseOid} is missing`);
    }
    const out = { type: base.type, data: applyDelta(base.data, data) };
    e.type = base.type;
    this.cache.set(offset, out.data);
    return out;
  }

  indexEntries(): IndexEntry[] {
    return [...this.entries.values()].map((e) => ({ oid: Buffer.from(e.oid!, 'hex'), offset: e.header.offset, crc: e.crc }));
  }
}

/** --fix-thin: append the outside bases as whole objects, fix the count, rewrite the trailer. */
async function appendBases(
  fh: WritableFile,
  size: number,
  count: number,
  bases: Array<{ raw: RawObject; entry: IndexEntry }>,
): Promise<number> {
  let pos = size - 20;
  for (const b of bases) {
    const header = encodeEntryHeader(TYPE_CODES[b.raw.type], b.raw.data.length);
    const z = zlib.deflateSync(b.raw.data);
    b.entry.offset = pos;
    b.entry.crc = zlib.crc32(z, zlib.crc32(header));
    await fh.writev([header, z], pos);
    pos += header.length + z.length;
  }
  const head = Buffer.alloc(4);
  head.writeUInt32BE(count + bases.length);
  await fh.write(head, 8);
  const hash = createHash('sha1');
  const chunk = Buffer.allocUnsafe(1 << 22);
  for (let at = 0; at < pos; ) {
    const bytesRead = await fh.read(chunk, 0, Math.min(chunk.length, pos - at), at);
    hash.update(chunk.subarray(0, bytesRead));
    at += bytesRead;
  }
  await fh.write(hash.digest(), pos);
  await fh.truncate(pos + 20);
  return pos + 20;
}
