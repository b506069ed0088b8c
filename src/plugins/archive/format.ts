/**
 * Archive formats: naming them from a file extension or a `--format` value,
 * and recognising a tar stream's compression from its first bytes.
 */
import { ArchiveFormatError } from '../../core/errors.js';

export type Compression = 'none' | 'gzip' | 'bzip2' | 'xz';

export type ArchiveFormat =
  | { kind: 'zip' }
  | { kind: 'tar'; compression: Compression };

const TAR_SUFFIXES: ReadonlyArray<[string, Compression]> = [
  ['.tar.gz', 'gzip'],
  ['.tgz', 'gzip'],
  ['.tar.bz2', 'bzip2'],
  ['.tbz2', 'bzip2'],
  ['.tbz', 'bzip2'],
  ['.tar.xz', 'xz'],
  ['.txz', 'xz'],
  ['.tar', 'none'],
];

/** The format named by a file's extension (case-insensitive), or null. */
export function formatFromName(name: string): ArchiveFormat | null {
  const lower = name.toLowerCase();
  if (lower.endsWith('.zip')) return { kind: 'zip' };
  for (const [suffix, compression] of TAR_SUFFIXES) {
    if (lower.endsWith(suffix)) return { kind: 'tar', compression };
  }
  return null;
}

/** Tar compression implied by a file name; 'none' when the name says nothing. */
export function tarCompressionFromName(name: string): Compression {
  const format = formatFromName(name);
  return format?.kind === 'tar' ? format.compression : 'none';
}

/**
 * Resolve the format for writing FILE: `--format` wins for the container, the
 * extension still picks tar compression; stdout (`-`) is never compressed.
 */
export function resolveOutputFormat(file: string, flag: 'zip' | 'tar' | undefined): ArchiveFormat {
  if (flag === 'zip') return { kind: 'zip' };
  if (flag === 'tar') return { kind: 'tar', compression: file === '-' ? 'none' : tarCompressionFromName(file) };
  const format = formatFromName(file);
  if (!format) {
    throw new ArchiveFormatError(
      `Cannot detect archive format from extension: ${file}\nUse --format zip or --format tar`,
    );
  }
  return format;
}

/** Compression recognised from a stream's magic bytes. */
export function sniffCompression(head: Uint8Array): Compression {
  const b = head;
  if (b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b) return 'gzip';
  if (b.length >= 3 && b[0] === 0x42 && b[1] === 0x5a && b[2] === 0x68) return 'bzip2';
  if (b.length >= 6 && b[0] === 0xfd && b[1] === 0x37 && b[2] === 0x7a && b[3] === 0x58 && b[4] === 0x5a && b[5] === 0x00) {
    return 'xz';
  }
  return 'none';
}

/** Does a stream start like a zip (local header, or the empty-archive end record)? */
export function looksLikeZip(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b
    && ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6));
}
