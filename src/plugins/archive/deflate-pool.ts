/**
 * Deflating whole zip entries in batches, on a worker thread when the batch
 * is big enough to pay for one. zlib's per-call cost and the deflate itself
 * are most of a zip export's CPU time; a worker runs them beside the main
 * thread, which meanwhile reads and inflates the next blobs from the pack.
 * Batches (not entries) cross the thread boundary, as one buffer each way
 * that is moved rather than copied, so the per-entry cost on the main thread
 * stays a copy into the batch.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import zlib from 'node:zlib';

/** An entry's CRC-32 and its deflated bytes (null for an empty entry, stored). */
export interface Packed {
  crc: number;
  deflated: Uint8Array | null;
}

/** Entries laid end to end in one buffer: what crosses the thread boundary (transferred, not cloned). */
interface Batch {
  bytes: Uint8Array;
  /** End offset of each entry in `bytes`. */
  ends: number[];
}

/**
 * Deflate every entry of a batch; the output is a batch of deflated entries
 * plus the CRC-32 of each input. Runs on both threads from its source text,
 * so it uses nothing but its arguments and has no named inner functions (a
 * bundler would wrap those in a helper the worker lacks). The window is no
 * bigger than the entry: zlib allocates and clears the window and hash tables
 * on every call, which dominates for small entries. Every non-empty entry is
 * deflated, even where that does not pay (cli.md: zip members are
 * deflate-compressed).
 */
function packAll(z: typeof zlib, input: Batch): { out: Batch; crcs: number[] } {
  const parts: Uint8Array[] = [];
  const crcs: number[] = [];
  const ends: number[] = [];
  let start = 0;
  let total = 0;
  for (const end of input.ends) {
    const data = input.bytes.subarray(start, end);
    start = end;
    crcs.push(z.crc32(data) >>> 0);
    const windowBits = Math.max(9, Math.min(15, Math.ceil(Math.log2(data.length + 1))));
    const packed = data.length > 0 ? z.deflateRawSync(data, { windowBits }) : data;
    parts.push(packed);
    total += packed.length;
    ends.push(total);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  return { out: { bytes, ends }, crcs };
}

const WORKER_SOURCE = `
const zlib = require('node:zlib');
const { parentPort } = require('node:worker_threads');
const packAll = ${packAll.toString()};
parentPort.on('message', ({ id, batch }) => {
  const { out, crcs } = packAll(zlib, batch);
  parentPort.postMessage({ id, out, crcs }, [out.bytes.buffer]);
});
`;

function toBatch(items: Uint8Array[]): Batch {
  let total = 0;
  const ends = items.map((item) => (total += item.length));
  const bytes = new Uint8Array(total);
  items.forEach((item, i) => bytes.set(item, i === 0 ? 0 : ends[i - 1]!));
  return { bytes, ends };
}

function unpack(out: Batch, crcs: number[]): Packed[] {
  return crcs.map((crc, i) => {
    const start = i === 0 ? 0 : out.ends[i - 1]!;
    return { crc, deflated: out.ends[i]! > start ? out.bytes.subarray(start, out.ends[i]) : null };
  });
}

/** Deflate inline: for a last, partial batch not worth a thread hop. */
export function packInline(items: Uint8Array[]): Packed[] {
  const { out, crcs } = packAll(zlib, toBatch(items));
  return unpack(out, crcs);
}

interface Waiter {
  resolve(packed: Packed[]): void;
  reject(err: Error): void;
}

/**
 * Deflate workers: one per core beyond the main thread's (at least one, at
 * most MAX_WORKERS), each started when its first batch arrives.
 */
const MAX_WORKERS = 3;

export function workerCount(): number {
  return Math.max(1, Math.min(MAX_WORKERS, availableParallelism() - 1));
}

/** Worker threads fed batches in turn, ended by `close`. */
export class DeflatePool {
  private readonly workers: Array<Worker | undefined>;
  private readonly waiting = new Map<number, Waiter>();
  private nextId = 0;
  private failure: Error | null = null;

  constructor(size = workerCount()) {
    this.workers = new Array<Worker | undefined>(size);
  }

  pack(items: Uint8Array[]): Promise<Packed[]> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const slot = id % this.workers.length;
    const worker = this.workers[slot] ?? this.start(slot);
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      const batch = toBatch(items);
      worker.postMessage({ id, batch }, [batch.bytes.buffer as ArrayBuffer]);
    });
  }

  private start(slot: number): Worker {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    // Never what keeps the process alive: an abandoned export must still exit.
    worker.unref();
    worker.on('message', ({ id, out, crcs }: { id: number; out: Batch; crcs: number[] }) => {
      const w = this.waiting.get(id);
      this.waiting.delete(id);
      w?.resolve(unpack(out, crcs));
    });
    worker.on('error', (err: Error) => this.failAll(err));
    worker.on('exit', () => this.failAll(new Error('deflate worker exited')));
    this.workers[slot] = worker;
    return worker;
  }

  private failAll(err: Error): void {
    this.failure ??= err;
    for (const w of this.waiting.values()) w.reject(this.failure);
    this.waiting.clear();
  }

  /** End the workers; batches still out reject. */
  async close(): Promise<void> {
    const running = this.workers.filter((w): w is Worker => w !== undefined);
    this.workers.fill(undefined);
    if (running.length === 0) return;
    this.failAll(new Error('deflate pool closed'));
    await Promise.all(running.map((w) => w.terminate()));
  }
}
