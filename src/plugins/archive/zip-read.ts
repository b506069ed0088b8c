/**
 * Reading zip archives with yauzl. Opening reads the central directory once
 * and validates every name, link target and the size/ratio limits before any
 * content is touched; content is then streamed per entry with its CRC-32
 * checked (yauzl checks sizes, not checksums).
 */
import { Transform, type Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
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
    readonly display: string,
    readonly members: ReadonlyArray<FileMember>,
    private readonly byPath: Map<string, Located>,
  ) {}

  /** Open and validate a zip file; `display` names it in error messages. */
  static async open(file: string, limits: ArchiveLimits, display = file): Promise<ZipReader> {
    const size = (await stat(file)).size;
    let zip: yauzl.ZipFile;
    try {
      zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true });
    } catch {
      throw new ArchiveFormatError(`Not a valid zip file: ${display}`);
    }
    try {
      const located = await scan(zip, display, limits, size);
      const reader = new ZipReader(zip, display, located, new Map(located.map((m) => [m.path, m])));
      for (const m of located) {
        if (m.kind === 'symlink') {
          m.target = await reader.readTarget(m);
          checkLinkTarget(m.path, m.target);
        }
      }
      return reader;
    } catch (e) {
      zip.close();
      throw e;
    }
  }

  get(path: string): FileMember | undefined {
    return this.byPath.get(path);
  }

  /** The member's content as a stream; fails with ArchiveFormatError on corrupt data. */
  async open(path: string): Promise<Readable> {
    const m = this.byPath.get(path);
    if (!m) throw new ArchiveFormatError(`No such entry in ${this.display}: ${path}`);
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
    const chunks: Buffer[] = [];
    for await (const chunk of await this.open(m.path)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
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
