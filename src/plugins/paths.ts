/** '/'-separated relative paths as endpoints use them. */
import { InvalidPathError } from '../core/errors.js';

/** Reject anything that could escape an endpoint root: absolute, `..`, empty or `.` segments, NUL. */
export function assertSafeRelPath(path: string): void {
  if (!isSafeRelPath(path)) throw new InvalidPathError(`Unsafe path: '${path}'`);
}

/**
 * No empty, `.` or `..` segment, no leading `/`, drive letter, backslash or
 * NUL. One pass over the characters: every file of a transfer is checked.
 */
function isSafeRelPath(path: string): boolean {
  if (path === '' || /^[A-Za-z]:/.test(path)) return false;
  let segStart = 0;
  for (let i = 0; i <= path.length; i++) {
    const c = i < path.length ? path.charCodeAt(i) : 47;
    if (c === 0 || c === 92) return false;
    if (c !== 47) continue;
    const len = i - segStart;
    if (len === 0) return false;
    if (path.charCodeAt(segStart) === 46 && (len === 1 || (len === 2 && path.charCodeAt(segStart + 1) === 46))) return false;
    segStart = i + 1;
  }
  return true;
}

export function joinRel(a: string, b: string): string {
  if (!a) return b;
  if (!b) return a;
  return `${a}/${b}`;
}

export function dirnameRel(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

export function basenameRel(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** True when `p` equals `dir` or lies below it ('' contains everything). */
export function isUnder(p: string, dir: string): boolean {
  return dir === '' || p === dir || p.startsWith(`${dir}/`);
}
