import { unzlibSync } from 'fflate';
import zlib from 'node:zlib';

/**
 * Below this size fflate's pure-JS inflater is about twice as fast as
 * node:zlib, whose per-call native stream setup dominates for small objects;
 * above it, native zlib wins.
 */
const JS_INFLATE_MAX = 16 * 1024;

/**
 * Inflate one zlib stream whose output size is known. Throws if the data is
 * not a valid stream or inflates to another size. (fflate skips the Adler-32
 * check; callers verify object ids, which catches anything it would have.)
 */
export function inflateExact(data: Uint8Array, size: number): Buffer {
  let out: Buffer;
  if (size <= JS_INFLATE_MAX) {
    const target = Buffer.allocUnsafe(size + 1);
    const r = unzlibSync(data, { out: target });
    out = Buffer.from(r.buffer, r.byteOffset, r.length);
  } else {
    out = zlib.inflateSync(data);
  }
  if (out.length !== size) throw new Error(`data inflated to ${out.length} bytes, header says ${size}`);
  return out;
}
