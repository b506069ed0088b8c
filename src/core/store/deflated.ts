import { CorruptObjectError } from '../errors.js';
import { hashObject } from '../objects/hash.js';
import { inflateExact } from './inflate.js';

/**
 * A blob's content from its zlib stream as packed (FileObjectStore's
 * readDeflatedNow), checked against the blob's size and id: a stream that
 * does not inflate to exactly that blob is a CorruptObjectError.
 */
export function inflateVerified(bytes: Uint8Array, blob: { size: number; oid: string }): Buffer {
  let data: Buffer;
  try {
    data = inflateExact(bytes, blob.size);
  } catch (e) {
    throw new CorruptObjectError(blob.oid, (e as Error).message);
  }
  if (hashObject('blob', data) !== blob.oid) throw new CorruptObjectError(blob.oid, 'content does not match its id');
  return data;
}
