/**
 * `vost cat` output of one repo file (cli.md §7.2): small blobs are read
 * whole, big ones streamed from the object store so memory stays flat
 * whatever the file size.
 */
import type { FS } from '../../core/index.js';
import { CliError } from '../errors.js';
import { writeStdout } from './stdout.js';

/** Above this size a blob is streamed instead of read into memory. */
export const STREAM_THRESHOLD = 4 * 1024 * 1024;

/** Writes the bytes of the file (or link target) at `path` to stdout. */
export async function catFile(fs: FS, path: string): Promise<void> {
  const st = await statFile(fs, path);
  if (st.size <= STREAM_THRESHOLD) {
    await writeStdout(await fs.read(path));
    return;
  }
  const repo = await fs._repo();
  const { stream } = await repo.objects.stream(st.hash);
  for await (const chunk of stream) await writeStdout(chunk as Buffer);
}

async function statFile(fs: FS, path: string): Promise<{ size: number; hash: string }> {
  const st = await fs.stat(path).catch((err: { code?: string }) => {
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR') throw new CliError(`File not found: ${path}`, { code: 'ENOENT' });
    throw err;
  });
  if (st.fileType === 'tree') throw new CliError(`${path} is a directory, not a file`, { code: 'EISDIR' });
  return st;
}
