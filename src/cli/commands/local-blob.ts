/**
 * Git blob ids of local files, for `vost cmp` (cli.md §11.3): regular files
 * are hashed as a stream (memory does not grow with file size); a symlink is
 * hashed by its target text, like git stores it.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readlink, stat } from 'node:fs/promises';
import { CliError } from '../errors.js';

/** The blob id of the local file at `path`; `File not found` / `Is a directory` errors name `path` as typed. */
export async function localBlobId(path: string): Promise<string> {
  const link = await lstat(path).catch(() => null);
  if (!link) throw notFound(path);
  if (link.isSymbolicLink()) {
    // A dangling link counts as missing, but a live one is compared by its target text.
    if (!(await stat(path).catch(() => null))) throw notFound(path);
    // The raw bytes, as git stores them: a target that is not UTF-8 would not survive a decode.
    return blobIdOf(await readlink(path, { encoding: 'buffer' }));
  }
  if (link.isDirectory()) throw new CliError(`Is a directory: ${path}`, { code: 'EISDIR' });
  const hash = createHash('sha1');
  hash.update(`blob ${link.size}\0`);
  let seen = 0;
  for await (const chunk of createReadStream(path)) {
    seen += (chunk as Buffer).length;
    hash.update(chunk as Buffer);
  }
  if (seen !== link.size) throw new CliError(`File changed while reading: ${path}`, { code: 'CHANGED' });
  return hash.digest('hex');
}

function blobIdOf(data: Buffer): string {
  return createHash('sha1').update(`blob ${data.length}\0`).update(data).digest('hex');
}

function notFound(path: string): CliError {
  return new CliError(`File not found: ${path}`, { code: 'ENOENT' });
}
