/**
 * Source expansion shared by `rm` and `mv` (cli.md §8.2, §8.3): glob
 * expansion on the branch tip, existence checks with the spec's messages, and
 * the list of files beneath a directory.
 */
import type { FS } from '../../core/index.js';
import { CliError } from '../errors.js';

/** A `*` or `?` makes an argument a glob; `[...]` alone does not (cli.md §9.3). */
export function isGlobPattern(path: string, noGlob: boolean): boolean {
  return !noGlob && (path.includes('*') || path.includes('?'));
}

/** One existing source after expansion. */
export interface SourceEntry {
  path: string;
  isDir: boolean;
}

/** Expands a normalised source path: glob matches, or the literal path when it exists. */
export async function expandSource(fs: FS, path: string, noGlob: boolean): Promise<SourceEntry[]> {
  if (isGlobPattern(path, noGlob)) {
    const matches = await fs.glob(path);
    if (matches.length === 0) {
      throw new CliError(`No matches for pattern in repo: ${path}`, { code: 'NO_MATCH' });
    }
    return Promise.all(matches.map(async (m) => ({ path: m, isDir: await fs.isDir(m) })));
  }
  if (!(await existsSafe(fs, path))) throw new CliError(`File not found in repo: ${path}`, { code: 'ENOENT' });
  return [{ path, isDir: await fs.isDir(path) }];
}

async function existsSafe(fs: FS, path: string): Promise<boolean> {
  try {
    return await fs.exists(path);
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOTDIR') return false;
    throw err;
  }
}

/** The "needs -R" error for a directory source. */
export function directoryNeedsRecursive(path: string, verb: 'remove' | 'move'): CliError {
  return new CliError(`${path} is a directory — use -R to ${verb} recursively`, { code: 'EISDIR' });
}

/** Every file (non-tree entry) beneath `dir`, with mode and object id, in walk order. */
export async function filesBelow(fs: FS, dir: string): Promise<Array<{ path: string; mode: string; oid: string }>> {
  const out: Array<{ path: string; mode: string; oid: string }> = [];
  for await (const [dirpath, , files] of fs.walk(dir)) {
    for (const f of files) out.push({ path: dirpath === '' ? f.name : `${dirpath}/${f.name}`, mode: f.mode, oid: f.oid });
  }
  return out;
}
