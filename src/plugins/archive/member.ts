/** What the archive readers hand out: validated members, in archive order. */
import type { Readable } from 'node:stream';
import type { EntryKind } from '../contract.js';

/** A file, executable or symlink member; `path` is already validated. */
export interface FileMember {
  type: 'file';
  path: string;
  kind: EntryKind;
  /** Content length (symlinks: byte length of the target). */
  size: number;
  mtimeMs?: number;
  target?: string;
}

/** A tar hard link: same content as the earlier member `linkTo`. */
export interface HardLinkMember {
  type: 'hardlink';
  path: string;
  linkTo: string;
  mtimeMs?: number;
}

/** A member plus its content, valid only until the next member is requested. */
export type StreamedMember =
  | (FileMember & { content: Readable })
  | HardLinkMember;

/** Longest symlink target we accept: targets are read into memory. */
export const MAX_LINK_TARGET = 4096;

export function modeToKind(mode: number): EntryKind | 'dir' | 'other' {
  const type = mode & 0o170000;
  if (type === 0o120000) return 'symlink';
  if (type === 0o040000) return 'dir';
  if (type !== 0 && type !== 0o100000) return 'other';
  return (mode & 0o111) !== 0 ? 'executable' : 'file';
}
