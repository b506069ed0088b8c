/**
 * Reading zip archives with yauzl. Opening reads the central directory once
 * and validates every name, link target and the size/ratio limits before any
 * content is touched; content is then streamed per entry with its CRC-32
 * checked (yauzl checks sizes, not checksums).
 */
import { closeSync, openSync, read as fsRead, readSync } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { crc32, inflateRawSync } from 'node:zlib';
import { stat } from 'node:fs/promises';
import yauzl from 'yauzl';
import { ArchiveFormatError, GitStoreError } from '../../core/errors.js';
import { checkLinkTarget, EntryNameSet, normalizeEntryPath } from './entry-path.js';
import { checkLimits, type ArchiveLimits } from './limits.js';
import { MAX_LINK_TARGET, modeToKind, type FileMember } from './member.js';

interface Located extends FileMember {
  raw: yauzl.Entry;
}

export class ZipReader {
  private constructor(
    private readonly zip: yauzl.ZipFile,
    private readonly reader: BlockReader,
    readonly display: string,
    readonly members: ReadonlyArray<FileMember>,
    private readonly byPath: Map<string, Located>,
  ) {}

  /** Open and validate a zip file; `display` names it in error messages. */
  static async open(file: string, limits: ArchiveLimits, display = file): Promise<ZipReader> {
    const size = (await stat(file)).size;
    let zip: yauzl.ZipFile;
    const reader = new BlockReader(file);
    try {
      zip = await yauzl.fromRandomAccessReaderPromise(reader, size, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true });
    } catch {
      reader.closeNow();
      throw new ArchiveFormatError(`Not a valid zip file: ${display}`);
    }
    try {
      const located = await scan(zip, display, limits, size);
      const zipReader = new ZipReader(zip, reader, display, located, new Map(located.map((m) => [m.path, m])));
      for (const m of located) {
        if (m.kind === 'symlink') {
          m.target = await zipReader.readTarget(m);
          checkLinkTarget(m.path, m.target);
        }
      }
      return zipReader;
    } catch (e) {
      zip.close();
      throw e;
    }
  }

  /**
   * The member's content: a buffer for small members (one positional read and
   * one synchronous inflate, far cheaper than a stream pipeline per member),
   * else a stream. Sizes and CRC are checked either way.
   */
  async read(path: string): Promise<Buffer | Readable> {
    const m = this.located(path);
    const raw = m.raw;
    if (raw.compressedSize > SMALL || raw.uncompressedSize > SMALL || (raw.compressionMethod !== 0 && raw.compressionMethod !== 8)) {
      return this.open(path);
    }
    let data: Buffer;
    try {
      const { fileDataStart } = await this.zip.readLocalFileHeaderPromise(raw, { minimal: true });
      const packed = Buffer.alloc(raw.compressedSize);
      await new Promise<void>((resolve, reject) => this.reader.read(packed, 0, packed.length, fileDataStart, (e) => (e ? reject(e) : resolve())));
      data = raw.compressionMethod === 0 ? packed : inflateRawSync(packed, { maxOutputLength: Math.max(1, raw.uncompressedSize) });
    } catch (e) {
      throw corrupt(this.display, e);
    }
    if (data.length !== raw.uncompressedSize) throw corrupt(this.display, new Error(`wrong size for ${path}`));
    if (crc32(data) >>> 0 !== raw.crc32 >>> 0) throw corrupt(this.display, new Error(`CRC mismatch in ${path}`));
    return data;
  }

  private located(path: string): Located {
    const m = this.byPath.get(path);
    if (!m) throw new ArchiveFormatError(`No such entry in ${this.display}: ${path}`);
    return m;
  }

  /** The member's content as a stream; fails with ArchiveFormatError on corrupt data. */
  async open(path: string): Promise<Readable> {
    const m = this.located(path);
    let stream: Readable;
    try {
      stream = await this.zip.openReadStreamPromise(m.raw);
    } catch (e) {
      throw corrupt(this.display, e);
    }
    const check = crcCheck(m.raw.crc32, this.display, m.path);
    stream.on('error', (e) => check.destroy(corrupt(this.display, e)));
    return stream.pipe(check);
  }

  close(): void {
    this.zip.close();
  }

  private async readTarget(m: Located): Promise<string> {
    if (m.size > MAX_LINK_TARGET) throw new ArchiveFormatError(`Symlink target too long in ${this.display}: ${m.path}`);
    const data = await this.read(m.path);
    if (!(data instanceof Readable)) return data.toString('utf8');
    const chunks: Buffer[] = [];
    for await (const chunk of data) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
}

/** Members up to this size (packed and unpacked) are read into memory in one go. */
const SMALL = 1 << 20;

/** Size of the read-ahead block for small reads (central directory records, local headers). */
const BLOCK = 64 * 1024;

/**
 * yauzl reads the central directory one small record at a time; served from
 * a read-ahead block, 10,000 entries cost a handful of reads instead of
 * 20,000 asynchronous ones. Entry data is streamed straight from the file.
 */
class BlockReader extends yauzl.RandomAccessReader {
  private readonly fd: number;
  private block = Buffer.alloc(0);
  private blockStart = 0;
  private closed = false;

  constructor(file: string) {
    super();
    this.fd = openSync(file, 'r');
  }

  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (err: Error | null) => void): void {
    try {
      if (length >= BLOCK) readFully(this.fd, buffer, offset, length, position);
      else {
        if (position < this.blockStart || position + length > this.blockStart + this.block.length) {
          const block = Buffer.alloc(BLOCK);
          const got = readSync(this.fd, block, 0, BLOCK, position);
          this.block = block.subarray(0, got);
          this.blockStart = position;
        }
        const at = position - this.blockStart;
        if (at + length > this.block.length) throw new Error('unexpected EOF');
        this.block.copy(buffer, offset, at, at + length);
      }
      queueMicrotask(() => callback(null));
    } catch (e) {
      queueMicrotask(() => callback(e as Error));
    }
  }

  /** A plain Readable over the shared fd: an fs.ReadStream would close the fd when destroyed. */
  override _readStreamForRange(start: number, end: number): Readable {
    const fd = this.fd;
    let pos = start;
    return new Readable({
      highWaterMark: BLOCK,
      read(size) {
        const n = Math.min(size, end - pos);
        if (n <= 0) {
          this.push(null);
          return;
        }
        const buf = Buffer.allocUnsafe(n);
        fsRead(fd, buf, 0, n, pos, (err, got) => {
          if (err) this.destroy(err);
          else if (got === 0) this.destroy(new Error('unexpected EOF'));
          else {
            pos += got;
            this.push(got < n ? buf.subarray(0, got) : buf);
          }
        });
      },
    });
  }

  override close(callback: (err: Error | null) => void): void {
    this.closeNow();
    queueMicrotask(() => callback(null));
  }

  closeNow(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}

function readFully(fd: number, buffer: Buffer, offset: number, length: number, position: number): void {
  let done = 0;
  while (done < length) {
    const got = readSync(fd, buffer, offset + done, length - done, position + done);
    if (got === 0) throw new Error('unexpected EOF');
    done += got;
  }
}

function corrupt(display: string, e: unknown): GitStoreError {
  if (e instanceof GitStoreError) return e;
  return new ArchiveFormatError(`Not a valid zip file: ${display} (${(e as Error).message})`);
}

function crcCheck(expected: number, display: string, path: string): Transform {
  let crc = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      crc = crc32(chunk, crc);
      done(null, chunk);
    },
    flush(done) {
      if (crc >>> 0 !== expected >>> 0) done(new ArchiveFormatError(`Not a valid zip file: ${display} (CRC mismatch in ${path})`));
      else done();
    },
  });
}

async function scan(zip: yauzl.ZipFile, display: string, limits: ArchiveLimits, fileSize: number): Promise<Located[]> {
  const names = new EntryNameSet();
  const out: Located[] = [];
  let expanded = 0;
  try {
    for await (const raw of zip.eachEntry()) {
      const member = describe(raw);
      if (!member) continue;
      names.add(member.path);
      expanded += member.size;
      checkLimits(limits, expanded, fileSize);
      out.push(member);
    }
  } catch (e) {
    throw corrupt(display, e);
  }
  return out;
}

/** A member for a file/link entry, or null for directories and special files. */
function describe(raw: yauzl.Entry): Located | null {
  const name = yauzl.getFileNameLowLevel(raw.generalPurposeBitFlag, raw.fileNameRaw, raw.extraFields, false);
  const path = normalizeEntryPath(name);
  if (path === null || name.endsWith('/')) return null;
  if (raw.isEncrypted()) throw new ArchiveFormatError(`Encrypted zip entries are not supported: ${name}`);
  const mode = raw.externalFileAttributes >>> 16;
  const kind = modeToKind(mode);
  if (kind === 'dir' || kind === 'other') return null;
  return { type: 'file', path, kind, size: raw.uncompressedSize, mtimeMs: raw.getLastModDate().getTime(), raw };
}
