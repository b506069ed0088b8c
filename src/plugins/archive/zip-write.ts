/**
 * A streaming zip writer over yazl: deflate, Unix "made by", external
 * attributes = git mode << 16, symlinks stored with their target as content.
 * Entries given as buffers are queued (up to a bounded window) so reading the
 * next files overlaps with deflating; streams are written with backpressure.
 */
import { Readable } from 'node:stream';
import yazl from 'yazl';
import { ArchiveFormatError } from '../../core/errors.js';
import type { EntryKind } from '../contract.js';

export interface ZipEntryMeta {
  path: string;
  kind: EntryKind;
  /** Exact byte length of the content (symlinks: ignored). */
  size: number;
  mtimeMs: number;
  target?: string;
}

const GIT_MODE: Record<EntryKind, number> = {
  file: 0o100644,
  executable: 0o100755,
  symlink: 0o120000,
};

/** Most bytes of small entries queued in yazl but not yet written out. */
const WINDOW = 16 * 1024 * 1024;

export class ZipWriter {
  private readonly zip = new yazl.ZipFile();
  private queued = 0;
  private waiters: Array<() => void> = [];
  private readonly failListeners = new Set<(e: Error) => void>();
  private failure: Error | null = null;
  private count = 0;
  /** The archive bytes; pipe this to the destination. */
  readonly output: Readable;

  constructor() {
    this.output = this.zip.outputStream as Readable;
    this.zip.on('error', (e: Error) => this.fail(e));
  }

  get entries(): number {
    return this.count;
  }

  /** Stop with `error`: pending and later `add` calls reject with it. */
  fail(error: Error): void {
    this.failure ??= error;
    for (const listener of this.failListeners) listener(this.failure);
    this.wakeAll();
  }

  async add(meta: ZipEntryMeta, content?: Uint8Array | Readable): Promise<void> {
    if (this.failure) throw this.failure;
    const options = { mtime: new Date(meta.mtimeMs), mode: GIT_MODE[meta.kind], compress: true };
    const body = meta.kind === 'symlink' ? Buffer.from(meta.target ?? '', 'utf8') : content ?? new Uint8Array(0);
    this.count++;
    if (body instanceof Uint8Array) return this.addBuffer(meta, Buffer.from(body.buffer, body.byteOffset, body.byteLength), options);
    let listener: ((e: Error) => void) | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        listener = reject;
        this.failListeners.add(reject);
        body.once('error', reject);
        body.once('end', resolve);
        this.zip.addReadStreamLazy(meta.path, { ...options, size: meta.size }, (cb) => cb(null, body));
      });
    } finally {
      if (listener) this.failListeners.delete(listener);
    }
  }

  private async addBuffer(meta: ZipEntryMeta, buf: Buffer, options: { mtime: Date; mode: number; compress: boolean }): Promise<void> {
    if (meta.kind !== 'symlink' && buf.length !== meta.size) {
      throw new ArchiveFormatError(`Size of ${meta.path} changed while archiving (expected ${meta.size} bytes, got ${buf.length})`);
    }
    this.queued += buf.length;
    this.zip.addReadStreamLazy(meta.path, { ...options, size: buf.length }, (cb) => {
      this.queued -= buf.length;
      this.wakeAll();
      cb(null, Readable.from(buf.length > 0 ? [buf] : [], { objectMode: false }));
    });
    while (this.queued > WINDOW && !this.failure) await new Promise<void>((resolve) => this.waiters.push(resolve));
    if (this.failure) throw this.failure;
  }

  /** Write the central directory; the output stream ends after it. */
  finish(): void {
    this.zip.end();
  }

  private wakeAll(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
