/**
 * Validation of names and link targets coming out of an archive. Nothing an
 * archive says may place a file outside the destination root: no `..`, no
 * absolute paths or drive letters, no `.git` component (git fsck rejects it),
 * no symlink pointing out of the root, no entry below a file or symlink.
 */
import { InvalidPathError, UnsafeArchiveError } from '../../core/errors.js';

const DRIVE = /^[A-Za-z]:/;

/**
 * Normalise an archive member name to a repo-style path: backslashes become
 * `/`, leading `./` and `.` segments go, a trailing `/` is allowed (directory
 * members). Returns null for the root itself. Throws on anything unsafe.
 */
export function normalizeEntryPath(raw: string): string | null {
  if (raw.includes('\0')) throw new UnsafeArchiveError(`Unsafe path in archive: ${JSON.stringify(raw)} (NUL byte)`);
  const name = raw.replace(/\\/g, '/');
  if (name.startsWith('/') || DRIVE.test(name)) {
    throw new UnsafeArchiveError(`Unsafe path in archive: ${raw} (absolute path)`);
  }
  const parts = name.replace(/\/+$/, '').split('/');
  const kept: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part === '.') continue;
    if (part === '..') throw new InvalidPathError(`Invalid repo path: Invalid path segment: '..'`);
    if (part === '') {
      if (i === 0 && parts.length === 1) continue;
      throw new InvalidPathError(`Invalid repo path: Empty segment in path: '${name}'`);
    }
    if (part.toLowerCase() === '.git') throw new UnsafeArchiveError(`Unsafe path in archive: ${raw} (.git component)`);
    kept.push(part);
  }
  return kept.length === 0 ? null : kept.join('/');
}

/** Reject a symlink whose target is absolute or climbs out of the archive root. */
export function checkLinkTarget(path: string, target: string): void {
  if (target.includes('\0') || target === '') {
    throw new UnsafeArchiveError(`Unsafe symlink in archive: ${path} (empty or NUL in target)`);
  }
  const t = target.replace(/\\/g, '/');
  if (t.startsWith('/') || DRIVE.test(t)) {
    throw new UnsafeArchiveError(`Unsafe symlink in archive: ${path} -> ${target} (points outside the destination)`);
  }
  let depth = path.split('/').length - 1;
  for (const part of t.split('/')) {
    if (part === '..') depth--;
    else if (part !== '.' && part !== '') depth++;
    if (depth < 0) {
      throw new UnsafeArchiveError(`Unsafe symlink in archive: ${path} -> ${target} (points outside the destination)`);
    }
  }
}

/**
 * Tracks the names seen so far so that a second member with the same name,
 * or a member below a file (e.g. below a symlink), is refused rather than
 * silently replacing or writing through an earlier one.
 */
export class EntryNameSet {
  private readonly files = new Set<string>();
  private readonly dirs = new Set<string>();

  add(path: string): void {
    if (this.files.has(path)) throw new UnsafeArchiveError(`Duplicate entry in archive: ${path}`);
    if (this.dirs.has(path)) throw new UnsafeArchiveError(`Conflicting entries in archive: ${path} is both a file and a directory`);
    let slash = path.indexOf('/');
    while (slash !== -1) {
      const dir = path.slice(0, slash);
      if (this.files.has(dir)) {
        throw new UnsafeArchiveError(`Conflicting entries in archive: ${path} lies below the file or symlink ${dir}`);
      }
      this.dirs.add(dir);
      slash = path.indexOf('/', slash + 1);
    }
    this.files.add(path);
  }
}
