import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline, Readable, Transform } from 'node:stream';
import zlib from 'node:zlib';
import { CorruptObjectError } from '../errors.js';
import { objectHeader } from '../objects/hash.js';
import { isErrno, tempPath } from './fsutil.js';
import type { RandomAccessFile, RepoFs } from './repo-fs.js';
import type { ObjectHeader, ObjectType, Oid, RawObject } from './types.js';

const TYPES = new Set<string>(['blob', 'tree', 'commit', 'tag']);
/** Compressed bytes read to decode a loose header: `commit 1234567890\0` deflates to far less. */
const HEADER_PROBE = 128;
const STREAM_CHUNK = 1 << 20;

export function loosePath(objdir: string, oid: Oid): string {
  return join(objdir, oid.slice(0, 2), oid.slice(2));
}

/** Parse `<type> <size>\0` at the start of an inflated loose object. */
function parseHeader(oid: Oid, buf: Buffer): ObjectHeader & { bodyStart: number } {
  const nul = buf.indexOf(0);
  const sp = buf.indexOf(0x20);
  if (nul < 0 || sp < 0 || sp > nul || nul > 32) throw new CorruptObjectError(oid, 'bad loose object header');
  const type = buf.toString('latin1', 0, sp);
  const sizeText = buf.toString('latin1', sp + 1, nul);
  if (!TYPES.has(type) || !/^\d+$/.test(sizeText)) throw new CorruptObjectError(oid, 'bad loose object header');
  return { type: type as ObjectType, size: Number(sizeText), bodyStart: nul + 1 };
}

function inflateOrCorrupt(oid: Oid, data: Buffer, opts?: zlib.ZlibOptions): Buffer {
  try {
    return zlib.inflateSync(data, opts);
  } catch (err) {
    throw new CorruptObjectError(oid, `zlib: ${(err as Error).message}`);
  }
}

export async function readLoose(fs: RepoFs, objdir: string, oid: Oid): Promise<RawObject | null> {
  let compressed: Buffer;
  try {
    compressed = await fs.readFile(loosePath(objdir, oid));
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return null;
    throw err;
  }
  const raw = inflateOrCorrupt(oid, compressed);
  const h = parseHeader(oid, raw);
  if (raw.length - h.bodyStart !== h.size) throw new CorruptObjectError(oid, 'size does not match header');
  return { type: h.type, size: h.size, data: raw.subarray(h.bodyStart) };
}

export async function readLooseHeader(fs: RepoFs, objdir: string, oid: Oid): Promise<ObjectHeader | null> {
  let fh: RandomAccessFile;
  try {
    fh = await fs.openRead(loosePath(objdir, oid));
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return null;
    throw err;
  }
  try {
    const buf = Buffer.alloc(HEADER_PROBE);
    const bytesRead = await fh.read(buf, 0, HEADER_PROBE, 0);
    const head = inflateOrCorrupt(oid, buf.subarray(0, bytesRead), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
    const { type, size } = parseHeader(oid, head);
    return { type, size };
  } finally {
    await fh.close();
  }
}

/** Stream a loose object's body; the byte count is checked against the header at the end. */
export async function streamLoose(fs: RepoFs, objdir: string, oid: Oid): Promise<{ header: ObjectHeader; stream: Readable } | null> {
  const header = await readLooseHeader(fs, objdir, oid);
  if (!header) return null;
  const skip = objectHeader(header.type, header.size).length;
  async function* body(): AsyncGenerator<Buffer> {
    const inflate = zlib.createInflate();
    fileStream(fs, loosePath(objdir, oid)).on('error', (e) => inflate.destroy(e)).pipe(inflate);
    let seen = 0;
    try {
      for await (const chunk of inflate as AsyncIterable<Buffer>) {
        const start = Math.max(0, skip - seen);
        seen += chunk.length;
        if (start < chunk.length) yield start ? chunk.subarray(start) : chunk;
      }
    } catch (err) {
      throw new CorruptObjectError(oid, `zlib: ${(err as Error).message}`);
    }
    if (seen - skip !== header!.size) throw new CorruptObjectError(oid, 'size does not match header');
  }
  return { header, stream: Readable.from(body(), { objectMode: false }) };
}

/** A file's bytes as a stream: Node's own read stream, or 1 MiB positional reads through another fs. */
export function fileStream(fs: RepoFs, path: string): Readable {
  if (fs.native) return createReadStream(path);
  async function* chunks(): AsyncGenerator<Buffer> {
    const file = await fs.openRead(path);
    try {
      for (let pos = 0; ; ) {
        const buf = Buffer.allocUnsafe(STREAM_CHUNK);
        const n = await file.read(buf, 0, STREAM_CHUNK, pos);
        if (n === 0) return;
        pos += n;
        yield buf.subarray(0, n);
      }
    } finally {
      await file.close();
    }
  }
  return Readable.from(chunks(), { objectMode: false });
}

/** Move a finished temp file to the object's final place; an existing copy wins. */
async function install(fs: RepoFs, objdir: string, tmp: string, oid: Oid): Promise<void> {
  const dest = loosePath(objdir, oid);
  await fs.mkdir(join(objdir, oid.slice(0, 2)));
  await fs.rename(tmp, dest);
}

export async function looseExists(fs: RepoFs, objdir: string, oid: Oid): Promise<boolean> {
  try {
    await fs.stat(loosePath(objdir, oid));
    return true;
  } catch {
    return false;
  }
}

/**
 * Mark an existing loose object as just written (mtime = now), as git does:
 * a gc with a grace period then keeps it even if no ref reaches it yet,
 * which protects writers that reuse it for a commit still in the making.
 * Returns false when the object is not there.
 */
export async function freshenLoose(fs: RepoFs, objdir: string, oid: Oid): Promise<boolean> {
  try {
    await fs.touch(loosePath(objdir, oid));
    return true;
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return false;
    throw err;
  }
}

/** Write a loose object with a known id: temp file in the fan-out dir, then rename. */
export async function writeLoose(fs: RepoFs, objdir: string, oid: Oid, type: ObjectType, data: Uint8Array, level: number): Promise<void> {
  if (await freshenLoose(fs, objdir, oid)) return;
  const dir = join(objdir, oid.slice(0, 2));
  await fs.mkdir(dir);
  const deflated = zlib.deflateSync(Buffer.concat([objectHeader(type, data.length), data]), { level });
  const tmp = tempPath(dir, 'tmp_obj_');
  await fs.writeFile(tmp, deflated, { exclusive: true, mode: 0o444 });
  try {
    await install(fs, objdir, tmp, oid);
  } catch (err) {
    await fs.rm(tmp);
    throw err;
  }
}

/**
 * Hash and deflate a stream of `size` bytes into a loose blob in one pass;
 * memory stays flat whatever the size. Fails if the source yields a different size.
 */
export async function writeLooseStream(
  fs: RepoFs,
  objdir: string,
  source: AsyncIterable<Uint8Array>,
  size: number,
  level: number,
): Promise<Oid> {
  const tmp = tempPath(objdir, 'tmp_obj_');
  const hash = createHash('sha1');
  const out = await fs.createWritable(tmp, 0o444);
  let total = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      total += chunk.length;
      cb(null, chunk);
    },
  });
  try {
    try {
      const header = objectHeader('blob', size);
      hash.update(header);
      const deflate = zlib.createDeflate({ level });
      deflate.write(header);
      const deflated = pipeline(Readable.from(source, { objectMode: false }), tap, deflate, () => undefined);
      let pos = 0;
      for await (const z of deflated as AsyncIterable<Buffer>) {
        await out.write(z, pos);
        pos += z.length;
      }
    } finally {
      await out.close();
    }
    if (total !== size) throw new Error(`Source changed while reading: expected ${size} bytes, got ${total}`);
    const oid = hash.digest('hex');
    await install(fs, objdir, tmp, oid);
    return oid;
  } catch (err) {
    await fs.rm(tmp);
    throw err;
  }
}

/** Every loose object id (used by pack and gc). */
export async function listLoose(fs: RepoFs, objdir: string): Promise<Oid[]> {
  const out: Oid[] = [];
  for (const dir of await fs.readdir(objdir)) {
    if (!/^[0-9a-f]{2}$/.test(dir)) continue;
    for (const name of await fs.readdir(join(objdir, dir))) {
      if (/^[0-9a-f]{38}$/.test(name)) out.push(dir + name);
    }
  }
  return out;
}

/** Loose ids starting with `prefix` (≥ 2 hex digits narrows to one fan-out directory). */
export async function findLooseByPrefix(fs: RepoFs, objdir: string, prefix: string): Promise<Oid[]> {
  if (prefix.length < 2) return (await listLoose(fs, objdir)).filter((o) => o.startsWith(prefix));
  try {
    const names = await fs.readdir(join(objdir, prefix.slice(0, 2)));
    const rest = prefix.slice(2);
    return names.filter((n) => n.length === 38 && n.startsWith(rest)).map((n) => prefix.slice(0, 2) + n);
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return [];
    throw err;
  }
}

/**
 * Loose-object existence from directory listings read once (the top level,
 * then each fan-out directory on first use) instead of one access() per id.
 * Bulk writers use it: an object another process writes loose meanwhile is
 * merely packed a second time, which git tolerates.
 */
export class LooseSnapshot {
  private dirs: Promise<Set<string>> | null = null;
  private readonly listings = new Map<string, Promise<Set<string>>>();

  constructor(
    private readonly fs: RepoFs,
    private readonly objdir: string,
  ) {}

  async has(oid: Oid): Promise<boolean> {
    this.dirs ??= this.fs.readdir(this.objdir).then(
      (names) => new Set(names),
      () => new Set<string>(),
    );
    const fan = oid.slice(0, 2);
    if (!(await this.dirs).has(fan)) return false;
    let listing = this.listings.get(fan);
    if (!listing) {
      listing = this.fs.readdir(join(this.objdir, fan)).then(
        (names) => new Set(names),
        () => new Set<string>(),
      );
      this.listings.set(fan, listing);
    }
    return (await listing).has(oid.slice(2));
  }
}
