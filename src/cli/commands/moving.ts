/**
 * Planning `vost mv` (cli.md §8.3) with POSIX rename rules: a single source
 * onto a DEST that is not a directory is a rename, anything else moves the
 * sources into DEST. The plan pairs every source file with its destination
 * and keeps object ids and modes, so the commit never re-reads file content.
 */
import { commitChanges } from '../../core/commit.js';
import type { ChangeReport, FS } from '../../core/index.js';
import { CliError } from '../errors.js';
import { compareCodePoints } from './listing.js';
import { fileTypeOf } from './removal.js';
import { directoryNeedsRecursive, expandSource, filesBelow, type SourceEntry } from './repo-sources.js';

export interface MoveOptions {
  recursive: boolean;
  noGlob: boolean;
}

/** DEST after normalisation: `''` is the root. */
export interface MoveDest {
  path: string;
  trailingSlash: boolean;
}

export interface MovePair {
  from: string;
  to: string;
  mode: string;
  oid: string;
}

export interface MovePlan {
  pairs: MovePair[];
  /** Source paths that disappear (a source that is also a destination stays). */
  removes: string[];
}

/** Computes the move; throws the spec's errors before anything is written. */
export async function planMove(fs: FS, sources: string[], dest: MoveDest, opts: MoveOptions): Promise<MovePlan> {
  const expanded: SourceEntry[] = [];
  for (const s of sources) expanded.push(...(await expandSource(fs, s, opts.noGlob)));
  const destIsDir = dest.path === '' || (await fs.isDir(dest.path));
  const rename = expanded.length === 1 && !dest.trailingSlash && !destIsDir;
  if (!rename && !destIsDir && (await fs.exists(dest.path))) {
    throw new CliError(`Not a directory: ${dest.path}`, { code: 'ENOTDIR' });
  }
  const pairs = new Map<string, MovePair>();
  for (const src of expanded) {
    if (src.isDir && !opts.recursive) throw directoryNeedsRecursive(src.path, 'move');
    const base = rename ? dest.path : join(dest.path, basename(src.path));
    for (const file of await sourceFiles(fs, src)) {
      const to = src.isDir ? join(base, file.path.slice(src.path.length + 1)) : renameTarget(base, src.path, rename);
      if (to === file.path) throw new CliError(`Source and destination are the same: ${to}`, { code: 'SAME_PATH' });
      pairs.set(file.path, { from: file.path, to, mode: file.mode, oid: file.oid });
    }
  }
  const targets = new Set([...pairs.values()].map((p) => p.to));
  const removes = [...pairs.keys()].filter((p) => !targets.has(p));
  return { pairs: [...pairs.values()], removes };
}

function renameTarget(base: string, src: string, rename: boolean): string {
  // Renaming a file onto the root keeps its name at the top level.
  if (rename && base === '') return basename(src);
  return base;
}

async function sourceFiles(fs: FS, src: SourceEntry): Promise<Array<{ path: string; mode: string; oid: string }>> {
  if (src.isDir) return filesBelow(fs, src.path);
  const st = await fs.stat(src.path);
  return [{ path: src.path, mode: st.mode.toString(8).padStart(6, '0'), oid: st.hash }];
}

/** The change report (against the tip) for the commit message and `-v`. */
export async function moveReport(fs: FS, plan: MovePlan): Promise<ChangeReport> {
  const report: ChangeReport = { add: [], update: [], delete: [], errors: [], warnings: [] };
  for (const p of plan.pairs) {
    const existing = await existingEntry(fs, p.to);
    const entry = { path: p.to, type: fileTypeOf(p.mode) };
    if (!existing) report.add.push(entry);
    else if (existing.oid !== p.oid || existing.mode !== p.mode) report.update.push(entry);
  }
  const modes = new Map(plan.pairs.map((p) => [p.from, p.mode]));
  for (const r of plan.removes) report.delete.push({ path: r, type: fileTypeOf(modes.get(r) ?? '100644') });
  return report;
}

async function existingEntry(fs: FS, path: string): Promise<{ oid: string; mode: string } | null> {
  try {
    const st = await fs.stat(path);
    return { oid: st.hash, mode: st.mode.toString(8).padStart(6, '0') };
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw err;
  }
}

/** `+ :<dest>` and `- :<src>` lines of `mv -n`, merged and sorted by path. */
export function renderMoveDryRun(plan: MovePlan): string {
  const lines = [
    ...plan.pairs.map((p) => ({ path: p.to, line: `+ :${p.to}\n` })),
    ...plan.removes.map((r) => ({ path: r, line: `- :${r}\n` })),
  ];
  return lines.sort((a, b) => compareCodePoints(a.path, b.path)).map((l) => l.line).join('');
}

function basename(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? path : path.slice(i + 1);
}

function join(dir: string, rest: string): string {
  if (dir === '') return rest;
  if (rest === '') return dir;
  return `${dir}/${rest}`;
}

/**
 * Commits the plan in one commit: destinations are staged with the sources'
 * object ids and modes (no content is read or rewritten), then sources go.
 */
export function commitMove(fs: FS, plan: MovePlan, opts: { message: string; parents: FS[] }): Promise<FS> {
  const writes = new Map(plan.pairs.map((p) => [p.to, { oid: p.oid, mode: p.mode }]));
  return commitChanges(fs, { writes, removes: new Set(plan.removes) }, { message: opts.message, operation: 'mv', parents: opts.parents });
}
