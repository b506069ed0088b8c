/** '/'-separated relative paths as endpoints use them. */
import { InvalidPathError } from '../core/errors.js';

/** Reject anything that could escape an endpoint root: absolute, `..`, empty or `.` segments, NUL. */
export function assertSafeRelPath(path: string): void {
  if (path === '' || path.startsWith('/') || /^[A-Za-z]:/.test(path) || path.includes('\\') || path.includes('\0')) {
    throw new InvalidPathError(`Unsafe path: '${path}'`);
  }
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.' || seg === '..') throw new InvalidPathError(`Unsafe path: '${path}'`);
  }
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
