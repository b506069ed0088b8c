/**
 * Path and folder steps shared by the folder writers, over whichever
 * filesystem they write through (Node's fs/promises or a caller's fs module).
 */
import type { CommitResult } from '../contract.js';
import { dirnameRel } from '../paths.js';

/** `rel` is a checked '/'-separated relative path and `root` absolute, so concatenation is `join`. */
export function pathIn(root: string, rel: string): string {
  if (!rel) return root;
  return root.endsWith('/') ? root + rel : `${root}/${rel}`;
}

/** Is every segment of `rel` under `root` a real directory (never a link to one)? */
export async function isRealDirUnder(
  fs: { lstat(path: string): Promise<{ isDirectory(): boolean }> },
  root: string,
  rel: string,
): Promise<boolean> {
  let cur = '';
  for (const seg of rel ? rel.split('/') : []) {
    cur = cur ? `${cur}/${seg}` : seg;
    const st = await fs.lstat(pathIn(root, cur)).catch(() => null);
    if (!st?.isDirectory()) return false;
  }
  return true;
}

/** Remove the folders above `paths` that are empty now, deepest first; ones still holding something stay. */
export async function pruneEmptyDirs(fs: { rmdir(path: string): Promise<void> }, root: string, paths: string[]): Promise<void> {
  const dirs = new Set<string>();
  for (const p of paths) for (let d = dirnameRel(p); d; d = dirnameRel(d)) dirs.add(d);
  const deepestFirst = [...dirs].sort((a, b) => b.split('/').length - a.split('/').length);
  for (const d of deepestFirst) await fs.rmdir(pathIn(root, d)).catch(() => undefined);
}

/**
 * Remove each of `rels` (deepest first) that is still an empty folder,
 * reached through real directories only; anything else stays.
 */
export async function removeEmptyFolders(
  fs: { lstat(path: string): Promise<{ isDirectory(): boolean }>; rmdir(path: string): Promise<void> },
  root: string,
  rels: readonly string[],
): Promise<void> {
  for (const rel of rels) if (await isRealDirUnder(fs, root, rel)) await fs.rmdir(pathIn(root, rel)).catch(() => undefined);
}

/**
 * The files a folder writer's commit could not put in place. Under
 * WriterOptions.keepGoing each is recorded and the commit goes on; otherwise
 * the first failure is thrown as it came.
 */
export class PlaceFailures {
  private readonly failed: Array<{ path: string; error: string }> = [];

  constructor(
    private readonly root: string,
    private readonly keepGoing: boolean,
  ) {}

  /**
   * Record why `path` did not land, naming the destination rather than the
   * private staging path the OS error names ("EACCES: permission denied,
   * rename '<staging>' -> '<dest>'"); rethrows when not keeping going.
   */
  record(path: string, e: unknown): void {
    if (!this.keepGoing) throw e;
    const err = e as NodeJS.ErrnoException;
    const abs = pathIn(this.root, path);
    this.failed.push({ path, error: err.code ? `${err.message.split(',')[0]}: ${abs}` : err.message });
  }

  result(): CommitResult {
    return this.failed.length ? { commit: null, failed: this.failed } : { commit: null };
  }
}
