/**
 * One local file read for a write: a single open gives both the mode bits
 * (fstat follows links, as stat does) and, for a small file, its whole
 * content. The calls block, which for thousands of small files costs far
 * less than a thread-pool round trip for each of open, stat, read and close.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { IsADirectoryError } from './errors.js';

/** Files up to this size are read whole; bigger ones are left for streaming. */
export const WHOLE_READ_MAX = 1 << 20;

export interface LocalFile {
  executable: boolean;
  size: number;
  /** The content, when the file is at most `wholeMax` bytes. */
  data?: Buffer;
}

/** Non-blocking open: a FIFO must not hang the process (regular files are unaffected). */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

export function readLocalFileSync(path: string, wholeMax: number): LocalFile {
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EISDIR') throw new IsADirectoryError(path);
    throw err;
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new IsADirectoryError(path);
    const executable = (st.mode & 0o111) !== 0;
    if (st.size > wholeMax || !st.isFile()) return { executable, size: st.size };
    // One byte of room beyond the size reveals a file that grew since the stat.
    const buf = Buffer.allocUnsafe(st.size + 1);
    let done = 0;
    while (done < buf.length) {
      const n = readSync(fd, buf, done, buf.length - done, done);
      if (n === 0) break;
      done += n;
    }
    if (done !== st.size) throw new Error(`File changed while reading: ${path}`);
    return { executable, size: st.size, data: buf.subarray(0, st.size) };
  } finally {
    closeSync(fd);
  }
}
