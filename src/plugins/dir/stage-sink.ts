/**
 * Creates the DirWriter's staged files from whole (small) contents, in
 * batches. When a transfer is big enough to fill more than one batch, the
 * batches are written on a worker thread: creating files is mostly kernel
 * time, and on a worker it overlaps with the main thread producing the next
 * contents (for a repo → folder copy, reading and inflating blobs). A batch
 * crosses the thread boundary as a view of shared memory plus the names, so
 * the main thread's cost per file is a copy into the batch. With one core, for
 * transfers that fit in one batch, and whenever the worker is behind, the
 * main thread writes a batch itself.
 *
 * Each file is written with plain synchronous calls on one descriptor
 * (create exclusively with the final mode, write, set times, close): for
 * small files an awaited call per step costs more than the syscall itself.
 * No fsync: as with cp, durability comes from the rename into place, which
 * never exposes a partly written file.
 */
import * as nodeFs from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { workerThreads } from '../../core/lazy-builtins.js';
import type { StatKey } from './statcache.js';

/** Files laid end to end in one buffer, with what is needed to create each. */
interface Batch {
  bytes: Uint8Array;
  /** End offset of each file in `bytes`. */
  ends: number[];
  paths: string[];
  executable: boolean[];
  /** Modification time in ms, NaN to leave the file's own. */
  mtimes: number[];
  /**
   * Folders made (recursively, so existing ones are fine) before the files:
   * those no earlier batch made. A file whose folder is made by an earlier
   * batch that is not written yet makes it itself.
   */
  dirs: string[];
}

interface Failure {
  message: string;
  code?: string;
}

/** A batch's outcome: the first failure, and the stat of each file written (size, mtime ns, ctime ns, inode). */
interface Written {
  failure: Failure | null;
  stats: BigInt64Array;
}

/**
 * Create every file of a batch and stat it through its descriptor (cheaper
 * than a later lstat by path); stops at the first failure. Runs on both
 * threads from its source text, so it uses nothing but its arguments and
 * has no named inner functions.
 */
function writeAll(fs: typeof nodeFs, batch: Batch): Written {
  const stats = new BigInt64Array(batch.paths.length * 4);
  try {
    for (const dir of batch.dirs) fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return { failure: { message: err.message, code: err.code }, stats };
  }
  let start = 0;
  for (let i = 0; i < batch.paths.length; i++) {
    const end = batch.ends[i]!;
    try {
      const path = batch.paths[i]!;
      const mode = batch.executable[i] ? 0o755 : 0o666;
      let fd: number;
      try {
        fd = fs.openSync(path, 'wx', mode);
      } catch (e) {
        // Its folder is made by an earlier batch, which the other thread may not have written yet.
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        fs.mkdirSync(path.slice(0, path.lastIndexOf('/')), { recursive: true });
        fd = fs.openSync(path, 'wx', mode);
      }
      try {
        for (let at = start; at < end; ) at += fs.writeSync(fd, batch.bytes, at, end - at);
        // The umask may have cleared x bits at open; an executable is 755 whatever the umask.
        if (batch.executable[i]) fs.fchmodSync(fd, 0o755);
        const mtime = batch.mtimes[i]!;
        if (!Number.isNaN(mtime)) fs.futimesSync(fd, mtime / 1000, mtime / 1000);
        const st = fs.fstatSync(fd, { bigint: true });
        stats.set([st.size, st.mtimeNs, st.ctimeNs, st.ino], i * 4);
      } finally {
        fs.closeSync(fd);
      }
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      return { failure: { message: err.message, code: err.code }, stats };
    }
    start = end;
  }
  return { failure: null, stats };
}

// `done` counts finished batches in shared memory: the main thread learns
// that a batch is written without waiting for its message, which only
// arrives when its event loop turns (not during a run of awaited reads).
const WORKER_SOURCE = `
const fs = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const writeAll = ${writeAll.toString()};
const done = new Int32Array(workerData.done);
parentPort.on('message', ({ id, batch }) => {
  // Names travel joined (NUL never occurs in a path): one string clones far faster than thousands.
  batch.paths = batch.paths.split('\\0');
  batch.dirs = batch.dirs ? batch.dirs.split('\\0') : [];
  const { failure, stats } = writeAll(fs, batch);
  Atomics.add(done, 0, 1);
  parentPort.postMessage({ id, failure, stats }, [stats.buffer]);
});
`;

/** Bytes per batch: big enough that a thread hop is rare, small enough to keep memory flat. */
const BATCH_BYTES = 512 * 1024;
/**
 * Batches handed to the worker at once. When it is that far behind, the
 * main thread writes the next batch itself: file creation is then the
 * bottleneck, and both threads spend their time on it.
 */
const MAX_IN_FLIGHT = 4;
/** Shared batch buffers: one being filled while MAX_IN_FLIGHT are written. */
const SLOTS = MAX_IN_FLIGHT + 1;

function toError(f: Failure): Error {
  return Object.assign(new Error(f.message), f.code ? { code: f.code } : {});
}

export class StageSink {
  private bytes: Uint8Array | null = null;
  /** Slot of `bytes`, or -1 for a private buffer (a file bigger than a slot: written inline). */
  private slot = -1;
  private batch: Batch = emptyBatch();
  private used = 0;
  /** Batch buffers in shared memory, so a batch crosses to the worker without a copy or a move. */
  private readonly slots: Uint8Array[] = [];
  /** Slot of each batch sent to the worker, in order. */
  private readonly sentSlots: number[] = [];
  private readonly finished = new Int32Array(new SharedArrayBuffer(4));
  /** Folders some batch makes: each is made once, however the files of a folder are spread over batches. */
  private readonly listedDirs = new Set<string>();
  private worker: Worker | null = null;
  private nextId = 0;
  /** Batches whose message (stats, failure) has not arrived yet, with their file paths. */
  private readonly inFlight = new Map<number, string[]>();
  /** Stat of each file written, as it was right after writing (by staging path). */
  private readonly written = new Map<string, StatKey>();
  private drained: Array<() => void> = [];
  private failure: Error | null = null;

  constructor(private readonly useWorker = availableParallelism() > 1) {}

  /**
   * Queue one file (copied) to be created in `dir`, made by the first batch
   * with a file there (or by a file that finds it missing), so batches may
   * be written in any order, by either thread. Throws the first failure of
   * an earlier batch.
   */
  add(path: string, data: Uint8Array, executable: boolean, mtimeMs: number | undefined, dir: string): void {
    if (this.failure) throw this.failure;
    if (this.bytes && this.used + data.length > this.bytes.length) this.send();
    this.bytes ??= this.buffer(data.length);
    this.bytes.set(data, this.used);
    this.used += data.length;
    const b = this.batch;
    b.ends.push(this.used);
    b.paths.push(path);
    b.executable.push(executable);
    b.mtimes.push(mtimeMs ?? NaN);
    if (!this.listedDirs.has(dir)) {
      this.listedDirs.add(dir);
      b.dirs.push(dir);
    }
  }

  /** Write everything queued; rejects with the first failure. Call once, before `close`. */
  async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.batch.paths.length > 0) this.writeInline();
    while (this.inFlight.size > 0) await new Promise<void>((wake) => this.drained.push(wake));
    if (this.failure) throw this.failure;
  }

  /** Stop the worker (once it has stopped, no more files appear); what is still queued is dropped. */
  async close(): Promise<void> {
    this.failure ??= new Error('file writer closed');
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  /** The stat of a file this sink wrote, taken through its descriptor once written. */
  statOf(path: string): StatKey | undefined {
    return this.written.get(path);
  }

  private writing(): number {
    return this.sentSlots.length - Atomics.load(this.finished, 0);
  }

  /** A slot no batch on the worker still uses (there is always one), or a private buffer for a big file. */
  private buffer(size: number): Uint8Array {
    if (!this.useWorker || size > BATCH_BYTES) {
      this.slot = -1;
      return new Uint8Array(Math.max(BATCH_BYTES, size));
    }
    const busy = new Set(this.sentSlots.slice(this.sentSlots.length - this.writing()));
    let slot = 0;
    while (busy.has(slot)) slot++;
    this.slot = slot;
    this.slots[slot] ??= new Uint8Array(new SharedArrayBuffer(BATCH_BYTES));
    return this.slots[slot]!;
  }

  private writeInline(): void {
    const batch = this.take();
    this.settle(batch.paths, writeAll(nodeFs, batch));
  }

  private settle(paths: string[], { failure, stats }: Written): void {
    if (failure) this.failure ??= toError(failure);
    for (let i = 0; i < paths.length && stats[i * 4 + 3] !== 0n; i++) {
      this.written.set(paths[i]!, { size: Number(stats[i * 4]), mtimeNs: stats[i * 4 + 1]!, ctimeNs: stats[i * 4 + 2]!, ino: stats[i * 4 + 3]! });
    }
  }

  private send(): void {
    if (this.slot < 0 || this.writing() >= MAX_IN_FLIGHT) {
      this.writeInline();
      return;
    }
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    this.sentSlots.push(this.slot);
    const batch = this.take();
    this.inFlight.set(id, batch.paths);
    worker.ref();
    worker.postMessage({ id, batch: { ...batch, paths: batch.paths.join('\0'), dirs: batch.dirs.join('\0') } });
  }

  private take(): Batch {
    const b = this.batch;
    b.bytes = this.bytes!.subarray(0, this.used);
    this.batch = emptyBatch();
    this.bytes = null;
    this.used = 0;
    return b;
  }

  private start(): Worker {
    const worker = new (workerThreads().Worker)(WORKER_SOURCE, { eval: true, workerData: { done: this.finished.buffer } });
    worker.on('message', ({ id, failure, stats }: Written & { id: number }) => {
      this.settle(this.inFlight.get(id) ?? [], { failure, stats });
      this.done(id);
    });
    worker.on('error', (err: Error) => this.failAll(err));
    worker.on('exit', () => this.failAll(new Error('file writer thread exited')));
    this.worker = worker;
    return worker;
  }

  private done(id: number): void {
    this.inFlight.delete(id);
    // Idle, the worker must not keep the process alive.
    if (this.inFlight.size === 0) this.worker?.unref();
    const waiting = this.drained;
    this.drained = [];
    for (const wake of waiting) wake();
  }

  private failAll(err: Error): void {
    if (this.inFlight.size === 0) return;
    this.failure ??= err;
    for (const id of [...this.inFlight.keys()]) this.done(id);
  }
}

function emptyBatch(): Batch {
  return { bytes: new Uint8Array(0), ends: [], paths: [], executable: [], mtimes: [], dirs: [] };
}
