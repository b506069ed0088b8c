/**
 * Temporary on-disk space for archive work: a stdin zip (its directory sits
 * at the end), members too big to hold in memory, the unpacked content of a
 * tar used as a random-access source. Everything lives in one private
 * directory that is removed on dispose, and at process exit as a fallback.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, rmSync } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const live = new Set<string>();
let exitHookInstalled = false;

function trackForExit(dir: string): void {
  live.add(dir);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const d of live) rmSync(d, { recursive: true, force: true });
  });
}

export class Spool {
  private counter = 0;

  private constructor(readonly dir: string) {}

  /** A fresh spool directory below `baseDir`. */
  static async create(baseDir: string): Promise<Spool> {
    const dir = await mkdtemp(join(baseDir, '.vost-spool-'));
    trackForExit(dir);
    return new Spool(dir);
  }

  /** Copy a stream into a new file of the spool; returns its path and size. */
  async file(source: AsyncIterable<Uint8Array> | Readable): Promise<{ path: string; size: number }> {
    const path = join(this.dir, `f${this.counter++}`);
    let size = 0;
    await pipeline(
      source,
      async function* (src: AsyncIterable<Uint8Array>) {
        for await (const chunk of src) {
          size += chunk.length;
          yield chunk;
        }
      },
      createWriteStream(path, { flags: 'wx' }),
    );
    return { path, size };
  }

  /** An append-only data file for many members (see SpoolData). */
  async data(): Promise<SpoolData> {
    const path = join(this.dir, `d${this.counter++}`);
    return SpoolData.create(path);
  }

  async dispose(): Promise<void> {
    live.delete(this.dir);
    await rm(this.dir, { recursive: true, force: true });
  }
}

export interface SpoolSlice {
  offset: number;
  size: number;
  /** Git blob id of the slice, computed while it was written. */
  oid: string;
}

/** One file holding many members back to back, read back by offset. */
export class SpoolData {
  private end = 0;

  private constructor(readonly path: string, private readonly fh: Awaited<ReturnType<typeof open>>) {}

  static async create(path: string): Promise<SpoolData> {
    return new SpoolData(path, await open(path, 'wx+'));
  }

  /** Append exactly `size` bytes from `source`, hashing them as a git blob. */
  async append(source: AsyncIterable<Uint8Array>, size: number): Promise<SpoolSlice> {
    const offset = this.end;
    const hash = createHash('sha1').update(`blob ${size}\0`);
    let written = 0;
    for await (const chunk of source) {
      hash.update(chunk);
      await this.fh.write(chunk, 0, chunk.length, offset + written);
      written += chunk.length;
    }
    if (written !== size) throw new Error(`expected ${size} bytes, got ${written}`);
    this.end += size;
    return { offset, size, oid: hash.digest('hex') };
  }

  async readWhole(slice: SpoolSlice): Promise<Buffer> {
    const buf = Buffer.alloc(slice.size);
    let done = 0;
    while (done < slice.size) {
      const { bytesRead } = await this.fh.read(buf, done, slice.size - done, slice.offset + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return buf;
  }

  stream(slice: SpoolSlice): Readable {
    return createReadStream(this.path, { start: slice.offset, end: slice.offset + slice.size - 1 });
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}
