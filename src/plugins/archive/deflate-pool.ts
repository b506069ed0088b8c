/**
 * Deflating whole zip entries in batches, on a worker thread when the batch
 * is big enough to pay for one. zlib's per-call cost and the deflate itself
 * are most of a zip export's CPU time; a worker runs them beside the main
 * thread, which meanwhile reads and inflates the next blobs from the pack.
 * Batches (not entries) cross the thread boundary, so the per-entry cost on
 * the main thread stays a few array pushes.
 */
import { Worker } from 'node:worker_threads';
import zlib from 'node:zlib';

/** An entry's CRC-32 and its deflated bytes (null for an empty entry, stored). */
export interface Packed {
  crc: number;
  deflated: Uint8Array | null;
}

/**
 * Runs on both threads, so it uses nothing but its arguments (the worker
 * gets its source text). A window no bigger than the input, because zlib
 * allocates and clears the window and hash tables on every call, which
 * dominates for small entries. Every non-empty entry is deflated, even where
 * that does not pay (cli.md: zip members are deflate-compressed).
 */
function packAll(z: typeof zlib, items: Uint8Array[]): Packed[] {
  return items.map((data) => {
    const crc = z.crc32(data) >>> 0;
    if (data.length === 0) return { crc, deflated: null };
    const windowBits = Math.max(9, Math.min(15, Math.ceil(Math.log2(data.length + 1))));
    return { crc, deflated: z.deflateRawSync(data, { windowBits }) };
  });
}

const WORKER_SOURCE = `
const zlib = require('node:zlib');
const { parentPort } = require('node:worker_threads');
const packAll = ${packAll.toString()};
parentPort.on('message', ({ id, items }) => parentPort.postMessage({ id, packed: packAll(zlib, items) }));
`;

/** Deflate inline: for a last, partial batch not worth a thread hop. */
export function packInline(items: Uint8Array[]): Packed[] {
  return packAll(zlib, items);
}

interface Waiter {
  resolve(packed: Packed[]): void;
  reject(err: Error): void;
}

/** One worker thread, started on first use and ended by `close`. */
export class DeflatePool {
  private worker: Worker | null = null;
  private readonly waiting = new Map<number, Waiter>();
  private nextId = 0;
  private failure: Error | null = null;

  pack(items: Uint8Array[]): Promise<Packed[]> {
    if (this.failure) return Promise.reject(this.failure);
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, items });
    });
  }

  private start(): Worker {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    // Never what keeps the process alive: an abandoned export must still exit.
    worker.unref();
    worker.on('message', ({ id, packed }: { id: number; packed: Packed[] }) => {
      const w = this.waiting.get(id);
      this.waiting.delete(id);
      w?.resolve(packed);
    });
    worker.on('error', (err: Error) => this.failAll(err));
    worker.on('exit', () => this.failAll(new Error('deflate worker exited')));
    this.worker = worker;
    return worker;
  }

  private failAll(err: Error): void {
    this.failure ??= err;
    this.worker = null;
    for (const w of this.waiting.values()) w.reject(this.failure);
    this.waiting.clear();
  }

  /** End the worker; batches still out reject. */
  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.failAll(new Error('deflate pool closed'));
    await worker.terminate();
  }
}
