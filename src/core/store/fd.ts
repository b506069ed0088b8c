/**
 * Promise wrappers over node:fs's callback calls on plain numeric
 * descriptors, for pack reading and writing.
 *
 * Plain descriptors, not FileHandles: an abandoned FileHandle is closed by the
 * garbage collector with a warning on stderr, which would leak into CLI
 * output when a store is not closed. Written by hand rather than with
 * util.promisify: importing node:util from an ES module loads its whole
 * namespace (MIME parsing, parseArgs), a few milliseconds of every start.
 */
import fs from 'node:fs';

type Done<T> = (err: NodeJS.ErrnoException | null, value: T) => void;

function settle<T>(call: (done: Done<T>) => void): Promise<T> {
  return new Promise((resolve, reject) => call((err, value) => (err ? reject(err) : resolve(value))));
}

export const fd = {
  open: (path: string, flags: string, mode?: number) => settle<number>((done) => fs.open(path, flags, mode, done)),
  fstat: (fd: number) => settle<fs.Stats>((done) => fs.fstat(fd, done)),
  read: (fd: number, buf: Buffer, offset: number, length: number, position: number) =>
    settle<number>((done) => fs.read(fd, buf, offset, length, position, done)).then((bytesRead) => ({ bytesRead })),
  write: (fd: number, buf: Buffer, offset: number, length: number, position: number) =>
    settle<number>((done) => fs.write(fd, buf, offset, length, position, done)),
  writev: (fd: number, bufs: readonly NodeJS.ArrayBufferView[], position: number) =>
    settle<number>((done) => fs.writev(fd, bufs, position, done)),
  ftruncate: (fd: number, length: number) => settle<void>((done) => fs.ftruncate(fd, length, (err) => done(err, undefined))),
  fsync: (fd: number) => settle<void>((done) => fs.fsync(fd, (err) => done(err, undefined))),
  close: (fd: number) => settle<void>((done) => fs.close(fd, (err) => done(err, undefined))),
};
