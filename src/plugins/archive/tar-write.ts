/**
 * A streaming tar writer: ustar headers (pax extended headers for long names
 * and large sizes, via node-tar's encoders), entry bodies copied with
 * backpressure, never held whole in memory.
 */
import type { Readable, Writable } from 'node:stream';
import { Header, Pax } from 'tar';
import { ArchiveFormatError } from '../../core/errors.js';
import type { EntryKind } from '../contract.js';
import { writeChunk } from './sink.js';

const BLOCK = 512;
const ZEROS = Buffer.alloc(BLOCK * 2);

export interface TarEntryMeta {
  path: string;
  kind: EntryKind;
  /** Exact byte length of the content (symlinks: ignored, the target is the content). */
  size: number;
  mtimeMs: number;
  target?: string;
}

function modeOf(kind: EntryKind): number {
  return kind === 'executable' ? 0o755 : 0o644;
}

export class TarWriter {
  private count = 0;

  constructor(private readonly out: Writable) {}

  /** Entries written so far. */
  get entries(): number {
    return this.count;
  }

  async add(meta: TarEntryMeta, content?: Uint8Array | Readable): Promise<void> {
    const isLink = meta.kind === 'symlink';
    const size = isLink ? 0 : meta.size;
    const header = new Header({
      path: meta.path,
      mode: modeOf(meta.kind),
      uid: 0,
      gid: 0,
      size,
      mtime: new Date(Math.floor(meta.mtimeMs / 1000) * 1000),
      type: isLink ? 'SymbolicLink' : 'File',
      uname: '',
      gname: '',
      ...(isLink ? { linkpath: meta.target ?? '' } : {}),
    });
    const block = Buffer.alloc(BLOCK);
    if (header.encode(block, 0)) {
      const pax = new Pax({
        path: meta.path,
        size,
        mtime: header.mtime,
        ...(isLink ? { linkpath: meta.target ?? '' } : {}),
      });
      await writeChunk(this.out, pax.encode());
    }
    await writeChunk(this.out, block);
    if (!isLink) await this.body(meta, content);
    this.count++;
  }

  private async body(meta: TarEntryMeta, content: Uint8Array | Readable | undefined): Promise<void> {
    let written = 0;
    if (content instanceof Uint8Array) {
      written = content.length;
      if (written === meta.size && written > 0) await writeChunk(this.out, content);
    } else if (content) {
      for await (const chunk of content as AsyncIterable<Buffer>) {
        written += chunk.length;
        if (written > meta.size) break;
        await writeChunk(this.out, chunk);
      }
    }
    if (written !== meta.size) {
      throw new ArchiveFormatError(`Size of ${meta.path} changed while archiving (expected ${meta.size} bytes, got ${written})`);
    }
    const pad = (BLOCK - (meta.size % BLOCK)) % BLOCK;
    if (pad > 0) await writeChunk(this.out, ZEROS.subarray(0, pad));
  }

  /** Write the end-of-archive marker; the caller ends the stream. */
  async finish(): Promise<void> {
    await writeChunk(this.out, ZEROS);
  }
}
