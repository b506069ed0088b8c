import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { RepoFs } from './repo-fs.js';

/** A unique temp file name in `dir`, so the final rename stays on one filesystem. */
export function tempPath(dir: string, prefix = 'tmp_'): string {
  return join(dir, `${prefix}${process.pid}_${randomBytes(6).toString('hex')}`);
}

/** Write `data` to a temp file beside `path`, fsync it, and rename it into place. */
export async function writeFileAtomic(fs: RepoFs, path: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  const tmp = tempPath(dirname(path));
  const fh = await fs.createWritable(tmp, mode);
  try {
    await fh.write(typeof data === 'string' ? Buffer.from(data, 'utf8') : data, 0);
    await fh.sync();
  } catch (err) {
    await fh.close();
    await fs.rm(tmp);
    throw err;
  }
  await fh.close();
  try {
    await fs.rename(tmp, path);
  } catch (err) {
    await fs.rm(tmp);
    throw err;
  }
}

export async function exists(fs: RepoFs, path: string): Promise<boolean> {
  try {
    await fs.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Read a file, or null when it does not exist. */
export async function readIfExists(fs: RepoFs, path: string): Promise<Buffer | null> {
  try {
    return await fs.readFile(path);
  } catch (err) {
    if (isErrno(err, 'ENOENT') || isErrno(err, 'ENOTDIR')) return null;
    throw err;
  }
}

export function isErrno(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as NodeJS.ErrnoException).code === code;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
