import { CorruptObjectError } from '../errors.js';
import { hashHeaded } from '../objects/hash.js';
import { inflateExactInto } from './inflate.js';

/** Header and content of the last blob inflated, reused from call to call. */
let scratch = Buffer.allocUnsafe(0);

/**
 * A blob's content from its zlib stream as packed (FileObjectStore's
 * readDeflatedNow), checked against the blob's size and id: a stream that
 * does not inflate to exactly that blob is a CorruptObjectError. Inflated
 * behind its object header in one reused buffer, so checking it is one hash
 * call and nothing is allocated per blob: the result is a view that the
 * next call overwrites.
 */
export function inflateVerified(bytes: Uint8Array, blob: { size: number; oid: string }): Buffer {
  const head = `blob ${blob.size}\0`;
  const need = head.length + blob.size + 1;
  if (scratch.length < need) scratch = Buffer.allocUnsafe(Math.max(need, 2 * scratch.length));
  scratch.write(head, 0, 'latin1');
  let data: Buffer;
  try {
    data = inflateExactInto(bytes, blob.size, scratch, head.length);
  } catch (e) {
    throw new CorruptObjectError(blob.oid, (e as Error).message);
  }
  if (hashHeaded(scratch.subarray(0, head.length + blob.size)) !== blob.oid) {
    throw new CorruptObjectError(blob.oid, 'content does not match its id');
  }
  return data;
}
