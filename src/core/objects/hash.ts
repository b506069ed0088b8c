import crypto, { createHash } from 'node:crypto';
import type { ObjectType, Oid } from '../store/types.js';

/** The `<type> <size>\0` prefix git hashes and stores before every object body. */
export function objectHeader(type: ObjectType, size: number): Buffer {
  return Buffer.from(`${type} ${size}\0`, 'latin1');
}

/** One-shot hashing (Node ≥ 20.12): for small inputs it skips the Hash object that dominates the cost. */
const oneShot = (crypto as { hash?: (algorithm: string, data: Uint8Array, encoding: 'hex') => string }).hash;
/** Objects up to this size are hashed in one call through a reused scratch buffer (header + body). */
const ONE_SHOT_MAX = 64 * 1024;
let scratch = Buffer.allocUnsafe(4096);

/** Hash a buffer as a git object of the given type, without storing it. */
export function hashObject(type: ObjectType, data: Uint8Array): Oid {
  if (oneShot === undefined || data.length > ONE_SHOT_MAX) {
    return createHash('sha1').update(objectHeader(type, data.length)).update(data).digest('hex');
  }
  const need = data.length + 32;
  if (scratch.length < need) scratch = Buffer.allocUnsafe(Math.max(need, scratch.length * 2));
  const head = scratch.write(`${type} ${data.length}\0`, 0, 'latin1');
  scratch.set(data, head);
  return oneShot('sha1', scratch.subarray(0, head + data.length), 'hex');
}

/** SHA-1 of bytes that already start with their object header, as hex. */
export function hashHeaded(object: Uint8Array): Oid {
  return oneShot ? oneShot('sha1', object, 'hex') : createHash('sha1').update(object).digest('hex');
}

/** True for a full, lowercase, 40-hex-digit SHA-1 object id. (A char loop: this runs on every object lookup.) */
export function isOid(value: string): boolean {
  if (value.length !== 40) return false;
  for (let i = 0; i < 40; i++) {
    const c = value.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}
