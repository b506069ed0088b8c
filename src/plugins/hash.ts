/** Git blob ids computed without storing anything (streams for big files). */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { readLocalFileSync } from '../core/local-file.js';

const SMALL = 1 << 20;

export function blobIdOf(data: Uint8Array): string {
  return createHash('sha1').update(`blob ${data.length}\0`).update(data).digest('hex');
}

/**
 * Blob id of a local regular file, streamed above 1 MiB. Throws when the file
 * changes size while being read, so a half-written file is never given an id.
 */
export async function blobIdOfFile(path: string): Promise<{ oid: string; size: number }> {
  const small = smallFileId(path);
  if (small) return small;
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const h = createHash('sha1').update(`blob ${size}\0`);
    const chunk = Buffer.allocUnsafe(SMALL);
    let read = 0;
    for (;;) {
      const { bytesRead } = await fh.read(chunk, 0, chunk.length, read);
      if (bytesRead === 0) break;
      h.update(chunk.subarray(0, bytesRead));
      read += bytesRead;
    }
    if (read !== size) throw new Error(`File changed while being read: ${path}`);
    return { oid: h.digest('hex'), size };
  } finally {
    await fh.close();
  }
}

/** A file of up to 1 MiB, read whole with blocking calls; null when it is bigger. */
function smallFileId(path: string): { oid: string; size: number } | null {
  const file = readLocalFileSync(path, SMALL);
  return file.data ? { oid: blobIdOf(file.data), size: file.size } : null;
}

/** Collect a stream or pass bytes through (for content that must be whole). */
export async function toBytes(data: Uint8Array | Readable): Promise<Uint8Array> {
  if (data instanceof Uint8Array) return data;
  const parts: Buffer[] = [];
  for await (const c of data) parts.push(typeof c === 'string' ? Buffer.from(c) : Buffer.from(c as Uint8Array));
  return Buffer.concat(parts);
}

/** Blob id of endpoint content: bytes directly, streams hashed chunk by chunk after buffering the size. */
export async function blobIdOfContent(data: Uint8Array | Readable, size?: number): Promise<string> {
  if (data instanceof Uint8Array) return blobIdOf(data);
  if (size === undefined) return blobIdOf(await toBytes(data));
  const h = createHash('sha1').update(`blob ${size}\0`);
  let n = 0;
  for await (const c of data) {
    const b = typeof c === 'string' ? Buffer.from(c) : (c as Uint8Array);
    n += b.length;
    h.update(b);
  }
  if (n !== size) throw new Error(`Content size changed while hashing (${n} != ${size})`);
  return h.digest('hex');
}
