/**
 * Buffered writers that commit (FsWriter) or stage (BatchWriter) one file
 * when closed (spec/api.md §13). Past a threshold the buffered bytes spill to
 * a temp file on the real disk, which is then streamed into the object store;
 * a store on a custom fs module keeps them in memory instead, since it reads
 * "local" files through that module and must not touch the real disk.
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MODE_BLOB } from './modes.js';
import type { FS } from './fs.js';
import type { Batch } from './batch.js';
import type { GitStore } from './gitstore.js';

/** `'wb'` (bytes, the default) or `'w'` (text); both accept strings and bytes. */
export type WriterMode = 'wb' | 'w';

export const SPILL_THRESHOLD = 4 * 1024 * 1024;

/** Collects chunks in memory, then (when `canSpill`) in a temp file once they pass SPILL_THRESHOLD. */
class SpillBuffer {
  private chunks: Uint8Array[] = [];
  private bytes = 0;
  private spill: { dir: string; path: string; fd: number } | null = null;

  constructor(private readonly canSpill: boolean) {}

  append(data: Uint8Array | string): void {
    const chunk = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    if (this.spill) {
      writeSync(this.spill.fd, chunk);
      return;
    }
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    if (this.canSpill && this.bytes > SPILL_THRESHOLD) this.startSpill();
  }

  private startSpill(): void {
    const dir = mkdtempSync(join(tmpdir(), 'vost-writer-'));
    const path = join(dir, 'data');
    const fd = openSync(path, 'w', 0o600);
    for (const c of this.chunks) writeSync(fd, c);
    this.chunks = [];
    this.spill = { dir, path, fd };
  }

  /** Either the whole content in memory, or a closed temp file holding it. */
  finish(): { kind: 'memory'; data: Uint8Array } | { kind: 'file'; path: string } {
    if (!this.spill) return { kind: 'memory', data: Buffer.concat(this.chunks) };
    closeSync(this.spill.fd);
    this.spill.fd = -1;
    return { kind: 'file', path: this.spill.path };
  }

  /** Reopen for appending after a failed close, keeping the content. */
  reopen(): void {
    if (this.spill && this.spill.fd < 0) this.spill.fd = openSync(this.spill.path, 'a');
  }

  dispose(): void {
    if (!this.spill) return;
    if (this.spill.fd >= 0) closeSync(this.spill.fd);
    rmSync(this.spill.dir, { recursive: true, force: true });
    this.spill = null;
  }
}

function closedError(): Error {
  return new Error('I/O operation on closed writer.');
}

type BufferedContent = ReturnType<SpillBuffer['finish']>;

/**
 * The shared life cycle of both writers: buffer until `close()`, then hand the
 * content on once. A failed hand-over leaves the writer open with its content.
 */
abstract class BufferedWriter {
  private isClosed = false;
  private readonly buffer: SpillBuffer;

  constructor(
    protected readonly path: string,
    readonly mode: WriterMode,
    store: GitStore,
  ) {
    this.buffer = new SpillBuffer(store._repoFs.native);
  }

  get closed(): boolean {
    return this.isClosed;
  }

  write(data: Uint8Array | string): void {
    if (this.isClosed) throw closedError();
    this.buffer.append(data);
  }

  async close(): Promise<void> {
    if (this.isClosed) return;
    try {
      await this.store(this.buffer.finish());
    } catch (err) {
      this.buffer.reopen();
      throw err;
    }
    this.buffer.dispose();
    this.isClosed = true;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  protected abstract store(content: BufferedContent): Promise<void>;
}

/** Commits one file to its branch when closed; the new snapshot lands in `fs`. */
export class FsWriter extends BufferedWriter {
  fs: FS | null = null;

  constructor(
    private readonly base: FS,
    path: string,
    mode: WriterMode = 'wb',
  ) {
    super(path, mode, base._store);
  }

  protected async store(content: BufferedContent): Promise<void> {
    this.fs =
      content.kind === 'memory'
        ? await this.base.write(this.path, content.data)
        : await this.base.writeFromFile(this.path, content.path, { mode: MODE_BLOB });
  }
}

/** Stages one file into its batch when closed. */
export class BatchWriter extends BufferedWriter {
  constructor(
    private readonly batch: Batch,
    path: string,
    mode: WriterMode = 'wb',
  ) {
    super(path, mode, batch._store);
  }

  protected async store(content: BufferedContent): Promise<void> {
    if (content.kind === 'memory') await this.batch.write(this.path, content.data);
    else await this.batch.writeFromFile(this.path, content.path, { mode: MODE_BLOB });
  }
}
