import { createHash } from 'node:crypto';
import type { ObjectType, Oid } from '../store/types.js';

/** The `<type> <size>\0` prefix git hashes and stores before every object body. */
export function objectHeader(type: ObjectType, size: number): Buffer {
  return Buffer.from(`${type} ${size}\0`, 'latin1');
}

/** Hash a buffer as a git object of the given type, without storing it. */
export function hashObject(type: ObjectType, data: Uint8Array): Oid {
  return createHash('sha1').update(objectHeader(type, data.length)).update(data).digest('hex');
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
