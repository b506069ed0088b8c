/**
 * zlib-deflating pack entries on a worker thread. Writing many small objects
 * is mostly deflate time; on a worker it runs beside the main thread, which
 * meanwhile reads and hashes the next files. Objects travel in batches laid
 * end to end in one buffer that is moved, not copied, each way, so the cost
 * per object on the main thread is one copy into the batch and one promise.
 * The copy is made at once: the caller may reuse its buffer when `deflate`
 * returns.
 */
import type { Worker } from 'node:worker_threads';
import { workerThreads } from '../lazy-builtins.js';

/** A batch leaves once it holds this many bytes (or when the event loop next turns). */
const BATCH_BYTES = 256 * 1024;

/** Plain CommonJS text, evaluated as the worker: nothing here passes through the bundler. */
const WORKER_SOURCE = `
const zlib = require('node:zlib');
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (msg) => {
  try {
    const parts = [];
    const ends = [];
    let start = 0;
    let total = 0;
    for (const end of msg.ends) {
      const z = zlib.deflateSync(msg.bytes.subarray(start, end), { level: msg.level });
      start = end;
      parts.push(z);
      total += z.length;
      ends.push(total);
    }
    const bytes = new Uint8Array(total);
    let at = 0;
    for (const z of parts) { bytes.set(z, at); at += z.length; }
    parentPort.postMessage({ id: msg.id, bytes, ends }, [bytes.buffer]);
  } catch (err) {
    parentPort.postMessage({ id: msg.id, error: String(err && err.message || err) });
  }
});
`;

interface Waiter {
  resolve(z: Buffer): void;
  reject(err: Error): void;
}

interface Reply {
  id: number;
  bytes?: Uint8Array;
  ends?: number[];
  error?: string;
}

/**
 * One worker deflating at one zlib level. Each `deflate` resolves with that
 * object's zlib stream; results come back in the order asked.
 */
export class DeflateWorker {
  private worker: Worker | null = null;
  /** The batch being filled; its first `used` bytes are objects ending at `ends`. */
  private batch: Uint8Array | null = null;
  private used = 0;
  private ends: number[] = [];
  private partWaiters: Waiter[] = [];
  private readonly sent = new Map<number, Waiter[]>();
  private nextId = 0;
  private flushScheduled = false;
  private failure: Error | null = null;

  constructor(private readonly level: number) {}

  deflate(data: Uint8Array): Promise<Buffer> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.batch && this.used + data.length > this.batch.length) this.flush();
    this.batch ??= new Uint8Array(Math.max(BATCH_BYTES, data.length));
    this.batch.set(data, this.used);
    this.used += data.length;
    this.ends.push(this.used);
    const done = new Promise<Buffer>((resolve, reject) => this.partWaiters.push({ resolve, reject }));
    if (this.used >= BATCH_BYTES) this.flush();
    else if (!this.flushScheduled) {
      // A partial batch must not wait for more objects that may never come.
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
    return done;
  }

  /** Send the partial batch now. */
  flush(): void {
    this.flushScheduled = false;
    const bytes = this.batch;
    if (!bytes || this.failure) return;
    const ends = this.ends;
    const id = this.nextId++;
    this.sent.set(id, this.partWaiters);
    this.batch = null;
    this.used = 0;
    this.ends = [];
    this.partWaiters = [];
    const worker = this.start();
    // Referenced only while results are owed, so an idle worker never holds the process open.
    worker.ref();
    worker.postMessage({ id, bytes, ends, level: this.level }, [bytes.buffer as ArrayBuffer]);
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new (workerThreads().Worker)(WORKER_SOURCE, { eval: true });
    worker.on('message', (reply: Reply) => this.receive(reply));
    worker.on('error', (err: Error) => this.fail(err));
    worker.on('exit', () => this.fail(new Error('deflate worker exited')));
    this.worker = worker;
    return worker;
  }

  private receive(reply: Reply): void {
    const waiters = this.sent.get(reply.id) ?? [];
    this.sent.delete(reply.id);
    if (this.sent.size === 0) this.worker?.unref();
    if (reply.error !== undefined || !reply.bytes || !reply.ends) {
      const err = new Error(`deflate failed: ${reply.error ?? 'no data'}`);
      for (const w of waiters) w.reject(err);
      return;
    }
    const buf = Buffer.from(reply.bytes.buffer, reply.bytes.byteOffset, reply.bytes.byteLength);
    let start = 0;
    waiters.forEach((w, i) => {
      const end = reply.ends![i]!;
      w.resolve(buf.subarray(start, end));
      start = end;
    });
  }

  private fail(err: Error): void {
    this.failure ??= err;
    this.worker?.unref();
    for (const waiters of this.sent.values()) for (const w of waiters) w.reject(this.failure);
    for (const w of this.partWaiters) w.reject(this.failure);
    this.sent.clear();
    this.batch = null;
    this.used = 0;
    this.ends = [];
    this.partWaiters = [];
  }

  /** Stop the worker; anything still owed is rejected. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.fail(new Error('deflate worker closed'));
    if (worker) await worker.terminate();
  }
}
