/**
 * Planning `vost rm` (cli.md §8.2): which files go, checked before anything
 * is committed so a failure leaves the branch untouched.
 */
import type { ChangeReport, FS } from '../../core/index.js';
import { directoryNeedsRecursive, expandSource, filesBelow, isGlobPattern } from './repo-sources.js';
import { compareCodePoints } from './listing.js';

/** One PATH argument of rm, already normalised (never the root). */
export interface RemoveSource {
  path: string;
  /** Written with a trailing `/`: a literal path then names a directory (needs -R); on a glob it is ignored (§9.3). */
  trailingSlash: boolean;
}

export interface RemoveOptions {
  recursive: boolean;
  noGlob: boolean;
}

export interface RemovedFile {
  path: string;
  mode: string;
}

/** The files removed by `rm`, de-duplicated and sorted by path. */
export async function planRemoval(fs: FS, sources: RemoveSource[], opts: RemoveOptions): Promise<RemovedFile[]> {
  const files = new Map<string, RemovedFile>();
  for (const src of sources) {
    const slashMeansDir = src.trailingSlash && !isGlobPattern(src.path, opts.noGlob);
    for (const entry of await expandSource(fs, src.path, opts.noGlob)) {
      if ((entry.isDir || slashMeansDir) && !opts.recursive) throw directoryNeedsRecursive(entry.path, 'remove');
      if (entry.isDir) {
        for (const f of await filesBelow(fs, entry.path)) files.set(f.path, { path: f.path, mode: f.mode });
      } else {
        const st = await fs.stat(entry.path);
        files.set(entry.path, { path: entry.path, mode: st.mode.toString(8).padStart(6, '0') });
      }
    }
  }
  return [...files.values()].sort((a, b) => compareCodePoints(a.path, b.path));
}

/** The change report of a removal, for the commit message. */
export function removalReport(files: RemovedFile[]): ChangeReport {
  return {
    add: [],
    update: [],
    delete: files.map((f) => ({ path: f.path, type: fileTypeOf(f.mode) })),
    errors: [],
    warnings: [],
  };
}

/** `- :<path>` lines of `rm -n`. */
export function renderRemovalDryRun(files: RemovedFile[]): string {
  return files.map((f) => `- :${f.path}\n`).join('');
}

export function fileTypeOf(mode: string): 'blob' | 'executable' | 'link' | 'tree' {
  if (mode === '100755') return 'executable';
  if (mode === '120000') return 'link';
  if (mode === '040000') return 'tree';
  return 'blob';
}
