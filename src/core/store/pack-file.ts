import { Readable, pipeline } from 'node:stream';
import zlib from 'node:zlib';
import { CorruptPackError } from '../errors.js';
import { inflateExact, inflateLeading } from './inflate.js';
import { PackIndex } from './pack-index.js';
import { nodeRepoFs, readFullyAsync, type RandomAccessFile, type RepoFs } from './repo-fs.js';
import type { ObjectType } from './types.js';

export const OBJ_OFS_DELTA = 6;
export const OBJ_REF_DELTA = 7;
const TYPE_NAMES: Record<number, ObjectType> = { 1: 'commit', 2: 'tree', 3: 'blob', 4: 'tag' };
/** Pack entry type numbers of whole objects. */
export const TYPE_CODES: Record<ObjectType, number> = { commit: 1, tree: 2, blob: 3, tag: 4 };
/** Longest possible entry header: type/size varint (≤ 10 bytes) plus a 20-byte REF_DELTA base. */
const MAX_HEADER = 32;
const STREAM_CHUNK = 1 << 20;
const SYNC_READ_MAX = 256 * 1024;
/**
 * Read-ahead for walks that visit neighbouring entries (a log walks commits
 * stored a few hundred bytes apart): one read of this size serves the
 * following entries from memory. Entries far from the previous one are read
 * exactly, so random access does not pay for it.
 */
const WINDOW = 64 * 1024;
/** Bytes read first for an entry whose extent is not looked up (see entryByStream)... */
const QUICK_READ = 2048;
/** ...and the largest inflated size tried that way (commits, trees, small blobs). */
const QUICK_MAX_SIZE = 64 * 1024;

/**
 * Most bytes a zlib stream of `size` input bytes can take, at any level or
 * strategy (zlib's own conservative deflateBound, plus its 6-byte wrapper).
 */
function deflateBound(size: number): number {
  return size + ((size + 7) >> 3) + ((size + 63) >> 6) + 5 + 6;
}

export function typeName(code: number): ObjectType | undefined {
  return TYPE_NAMES[code];
}

export interface EntryHeader {
  offset: number;
  /** 1-4 for whole objects, 6 (OFS_DELTA) or 7 (REF_DELTA). */
  typeCode: number;
  /** Inflated size of the entry's data (the delta itself for deltas). */
  size: number;
  /** Absolute position of the zlib data. */
  dataStart: number;
  /** End of the entry (start of the next one, or the trailer). */
  end: number;
  baseOffset?: number;
  baseOid?: string;
}

/** Parse an entry header from `buf`, which holds the pack bytes starting at `offset`. */
export function parseEntryHeader(buf: Buffer, offset: number, end: number): EntryHeader {
  let p = 0;
  let c = buf[p++]!;
  const typeCode = (c >> 4) & 7;
  let size = c & 15;
  let shift = 4;
  while (c & 0x80) {
    if (p >= buf.length) throw new Error('truncated entry header');
    c = buf[p++]!;
    size += (c & 0x7f) * 2 ** shift;
    shift += 7;
  }
  const h: EntryHeader = { offset, typeCode, size, dataStart: 0, end };
  if (typeCode === OBJ_OFS_DELTA) {
    c = buf[p++]!;
    let rel = c & 0x7f;
    while (c & 0x80) {
      if (p >= buf.length) throw new Error('truncated delta offset');
      c = buf[p++]!;
      rel = (rel + 1) * 128 + (c & 0x7f);
    }
    h.baseOffset = offset - rel;
    if (h.baseOffset < 12) throw new Error('delta base offset out of range');
  } else if (typeCode === OBJ_REF_DELTA) {
    if (p + 20 > buf.length) throw new Error('truncated delta base id');
    h.baseOid = buf.toString('hex', p, p + 20);
    p += 20;
  } else if (!TYPE_NAMES[typeCode]) {
    throw new Error(`unknown pack entry type ${typeCode}`);
  }
  h.dataStart = offset + p;
  if (h.dataStart > end) throw new Error('entry header runs past entry end');
  return h;
}

type SyncRead = NonNullable<RandomAccessFile['readSync']>;

interface OpenPack {
  file: RandomAccessFile;
  /** Node's fs only: entries are then read without waiting (see readBytes). */
  readSync: SyncRead | undefined;
  dataEnd: number;
}

/**
 * One packfile and its index; both opened lazily and kept open. On a
 * filesystem without synchronous reads every read waits: the synchronous
 * paths (entrySync, PackSet.resolveSync) see such a pack as never ready.
 */
export class PackFile {
  private idxPromise: Promise<PackIndex> | null = null;
  private idx: PackIndex | null = null;
  private fdPromise: Promise<OpenPack> | null = null;
  private opened: OpenPack | null = null;
  /** Read-ahead bytes [windowPos, windowPos + windowLen) in a buffer reused from read to read. */
  private window: Buffer | null = null;
  private windowPos = 0;
  private windowLen = 0;
  /** Start of the last entry read (-1: none yet), to tell a walk through neighbours from random access. */
  private lastEntry = -1;

  constructor(
    readonly packPath: string,
    readonly idxPath: string,
    private readonly fs: RepoFs = nodeRepoFs,
  ) {}

  index(): Promise<PackIndex> {
    this.idxPromise ??= PackIndex.load(this.idxPath, this.fs).then((idx) => (this.idx = idx));
    return this.idxPromise;
  }

  /** The index once loaded, for synchronous lookups; null before. */
  get loadedIndex(): PackIndex | null {
    return this.idx;
  }

  /** Index loaded and file open: entries can be read synchronously. */
  get ready(): boolean {
    return this.opened?.readSync !== undefined && this.idx !== null;
  }

  private open(): Promise<OpenPack> {
    this.fdPromise ??= (async () => {
      const idx = await this.index();
      const file = await this.fs.openRead(this.packPath);
      try {
        const size = await file.size();
        const head = Buffer.alloc(12);
        const trailer = Buffer.alloc(20);
        if (size >= 32) await readAt(file, head, 12, 0);
        if (size < 32 || head.toString('latin1', 0, 4) !== 'PACK' || ![2, 3].includes(head.readUInt32BE(4))) {
          throw new CorruptPackError(this.packPath, 'bad pack header');
        }
        await readAt(file, trailer, 20, size - 20);
        if (!trailer.equals(idx.packChecksum)) throw new CorruptPackError(this.packPath, 'pack does not match its index');
        this.opened = { file, readSync: file.readSync, dataEnd: size - 20 };
        return this.opened;
      } catch (err) {
        await file.close();
        throw err;
      }
    })();
    this.fdPromise.catch(() => {
      this.fdPromise = null;
    });
    return this.fdPromise;
  }

  private async makeReady(): Promise<void> {
    if (!this.opened) await this.open();
    if (!this.idx) await this.index();
  }

  /**
   * Positional read. Small reads are synchronous: from the page cache they
   * take a few microseconds, while a trip through libuv's thread pool costs
   * far more than that and dominated random-read throughput.
   */
  async readBytes(pos: number, len: number): Promise<Buffer> {
    const { file, readSync } = this.opened ?? (await this.open());
    const buf = Buffer.allocUnsafe(len);
    if (readSync && len <= SYNC_READ_MAX) readFully(readSync, buf, len, pos);
    else await readFullyAsync(file, buf, len, pos);
    return buf;
  }

  /**
   * Without synchronous reads: the window holding the `len` bytes at `pos`,
   * reading a window's worth ahead into a fresh buffer (a read under way for
   * another caller never writes into bytes being parsed). The caller installs
   * it with {@link useWindow} right before parsing, with no await between.
   */
  private async fetchWindow(pos: number, len: number): Promise<{ buf: Buffer; pos: number }> {
    const { file, dataEnd } = this.opened!;
    const w = this.window;
    if (w && pos >= this.windowPos && pos + len <= this.windowPos + this.windowLen) return { buf: w.subarray(0, this.windowLen), pos: this.windowPos };
    const n = Math.max(0, Math.min(Math.max(WINDOW, len), dataEnd - pos));
    const buf = Buffer.allocUnsafe(n);
    await readFullyAsync(file, buf, n, pos);
    return { buf, pos };
  }

  private useWindow(w: { buf: Buffer; pos: number }): void {
    this.window = w.buf;
    this.windowPos = w.pos;
    this.windowLen = w.buf.length;
  }

  /** End of the entry at `offset` (ready packs only). */
  private entryEndSync(offset: number): number {
    const { dataEnd } = this.opened!;
    if (offset >= dataEnd) throw new Error(`offset ${offset} past the end of the pack`);
    return this.idx!.nextOffset(offset, dataEnd);
  }

  /**
   * Bytes [pos, pos + len) of the entry at `pos` (ready packs, len within
   * SYNC_READ_MAX), from the read-ahead window when it holds them. The result
   * may be a view of the window, which the next read overwrites: it must be
   * used before anything else is read, with no await in between.
   */
  private entryBytesSync(pos: number, len: number): Buffer {
    const last = this.lastEntry;
    this.lastEntry = pos;
    const w = this.window;
    if (w && pos >= this.windowPos && pos + len <= this.windowPos + this.windowLen) {
      return w.subarray(pos - this.windowPos, pos - this.windowPos + len);
    }
    const { readSync, dataEnd } = this.opened!;
    // A pack without synchronous reads always has its bytes fetched first (fetchWindow): a miss is a bug.
    if (!readSync) throw new Error(`pack bytes ${pos}+${len} not fetched`);
    if (last < 0 || Math.abs(pos - last) > WINDOW || len > WINDOW / 2) {
      const buf = Buffer.allocUnsafe(len);
      readFully(readSync, buf, len, pos);
      return buf;
    }
    // Walking backwards (vost appends each commit after its parent): read the window behind the entry.
    const start = pos < last ? Math.max(0, pos + len - WINDOW) : pos;
    const buf = (this.window ??= Buffer.allocUnsafe(WINDOW));
    this.windowLen = 0; // empty until the read succeeds
    this.windowLen = readFully(readSync, buf, Math.min(WINDOW, dataEnd - start), start);
    this.windowPos = start;
    return buf.subarray(pos - start, pos - start + len);
  }

  /** Parse an entry's header only (one small read). */
  async header(offset: number): Promise<EntryHeader> {
    await this.makeReady();
    if (!this.opened!.readSync) this.useWindow(await this.fetchWindow(offset, MAX_HEADER));
    return this.headerSync(offset);
  }

  /**
   * Type code and size of the entry at `offset`, read without its extent:
   * asking a whole object's type and size then never builds the index's
   * table of sorted offsets (tens of milliseconds for a big pack).
   */
  async typeAndSize(offset: number): Promise<{ typeCode: number; size: number }> {
    await this.makeReady();
    const { dataEnd } = this.opened!;
    if (offset >= dataEnd) throw new Error(`offset ${offset} past the end of the pack`);
    if (!this.opened!.readSync) this.useWindow(await this.fetchWindow(offset, MAX_HEADER));
    const { typeCode, size } = parseEntryHeader(this.entryBytesSync(offset, Math.min(MAX_HEADER, dataEnd - offset)), offset, dataEnd);
    return { typeCode, size };
  }

  /** {@link header} for a ready pack. */
  headerSync(offset: number): EntryHeader {
    const end = this.entryEndSync(offset);
    return parseEntryHeader(this.entryBytesSync(offset, Math.min(MAX_HEADER, end - offset)), offset, end);
  }

  /**
   * The zlib data of a whole (non-delta) entry of at most `maxSize`
   * inflated bytes, not inflated, for a consumer that inflates it elsewhere
   * (ready packs only); null for deltas and entries too big. A view that the
   * next read may overwrite.
   */
  wholeDataSync(offset: number, maxSize: number): { typeCode: number; size: number; data: Buffer } | null {
    const h = this.headerSync(offset);
    if (!TYPE_NAMES[h.typeCode] || h.size > maxSize || h.end - h.dataStart > SYNC_READ_MAX) return null;
    return { typeCode: h.typeCode, size: h.size, data: this.entryBytesSync(h.dataStart, h.end - h.dataStart) };
  }

  /** Header plus inflated data of an entry, read with one positional read. */
  async entry(offset: number): Promise<{ header: EntryHeader; data: Buffer }> {
    await this.makeReady();
    const sync = this.ready ? this.entrySync(offset) : null;
    if (sync) return sync;
    const end = this.entryEndSync(offset);
    return inflateEntry(await this.readBytes(offset, end - offset), offset, end);
  }

  /** {@link entry} for a ready pack; null when the entry is too big to read synchronously. */
  entrySync(offset: number): { header: EntryHeader; data: Buffer } | null {
    // Until a read has needed the index's entry ends, small entries are read by their zlib stream alone.
    const quick = this.idx!.endsKnown ? null : this.entryByStream(offset);
    if (quick) return quick;
    const end = this.entryEndSync(offset);
    if (end - offset > SYNC_READ_MAX) return null;
    return inflateEntry(this.entryBytesSync(offset, end - offset), offset, end);
  }

  /**
   * A small entry read without knowing its extent: the zlib stream says
   * where it ends. Spares commands that only read commits and trees the
   * index's table of sorted offsets, which takes tens of milliseconds to
   * build for a big pack. Null when the entry is not small or anything is
   * off: the caller reads the exact extent, which reports real corruption.
   */
  private entryByStream(offset: number): { header: EntryHeader; data: Buffer } | null {
    const { dataEnd } = this.opened!;
    if (offset >= dataEnd) return null;
    const bytes = this.entryBytesSync(offset, Math.min(QUICK_READ, dataEnd - offset));
    let header: EntryHeader;
    try {
      header = parseEntryHeader(bytes, offset, dataEnd);
    } catch {
      return null;
    }
    if (header.size > QUICK_MAX_SIZE) return null;
    const skip = header.dataStart - offset;
    // No valid stream of this size is longer than zlib's bound: when the first
    // bytes may not hold it, read up to the bound rather than let zlib fail on
    // a cut-off stream (a failure costs an Error and a new inflater).
    const bound = Math.min(skip + deflateBound(header.size), dataEnd - offset);
    const data = bound > bytes.length ? this.entryBytesSync(offset, bound) : bytes;
    const r = inflateLeading(data.subarray(skip), header.size);
    // No stream there: the exact path reads the indexed extent and reports real corruption.
    if (!r) return null;
    header.end = header.dataStart + r.consumed;
    return { header, data: r.out };
  }

  /** First bytes of an entry's inflated data (enough for a delta's size header). */
  async peek(header: EntryHeader, compressedBytes = 64): Promise<Buffer> {
    const len = Math.min(compressedBytes, header.end - header.dataStart);
    const buf = await this.readBytes(header.dataStart, len);
    return zlib.inflateSync(buf, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
  }

  /** Inflate an entry's data as a stream, reading the pack in 1 MiB positional chunks. */
  streamData(header: EntryHeader): Readable {
    const self = this;
    async function* compressed(): AsyncGenerator<Buffer> {
      for (let pos = header.dataStart; pos < header.end; pos += STREAM_CHUNK) {
        yield await self.readBytes(pos, Math.min(STREAM_CHUNK, header.end - pos));
      }
    }
    // pipeline() so a read error destroys the inflater too and reaches the consumer.
    return pipeline(Readable.from(compressed()), zlib.createInflate(), () => undefined);
  }

  async close(): Promise<void> {
    const p = this.fdPromise;
    this.fdPromise = null;
    this.opened = null;
    this.window = null;
    this.windowLen = 0;
    const open = p ? await p.catch(() => null) : null;
    if (open) await open.file.close();
  }
}

/** Fill `buf[0, len)` from `pos`, without waiting when the file can be read synchronously. */
async function readAt(file: RandomAccessFile, buf: Buffer, len: number, pos: number): Promise<void> {
  if (file.readSync) readFully(file.readSync, buf, len, pos);
  else await readFullyAsync(file, buf, len, pos);
}

/** Fill `buf[0, len)` from `pos`; returns `len`. */
function readFully(readSync: SyncRead, buf: Buffer, len: number, pos: number): number {
  for (let done = 0; done < len; ) {
    const n = readSync(buf, done, len - done, pos + done);
    if (n === 0) throw new Error(`pack truncated at ${pos + done}`);
    done += n;
  }
  return len;
}

function inflateEntry(buf: Buffer, offset: number, end: number): { header: EntryHeader; data: Buffer } {
  const header = parseEntryHeader(buf, offset, end);
  return { header, data: inflateExact(buf.subarray(header.dataStart - offset), header.size) };
}
