/**
 * Folders a mirror leaves empty (cli.md §9.7: after a repo → folder copy
 * with --delete, "empty directories under DEST (not DEST itself) are
 * pruned"). Decided at planning time from the destination's listing, so the
 * plan says everything that will change; the writer removes them only if
 * they are still empty then.
 */
import type { ExcludeFilter } from '../core/exclude.js';
import type { Entry } from '../plugins/contract.js';
import { dirnameRel } from '../plugins/paths.js';
import type { PlanItem } from './types.js';

/**
 * Of the destination's `folders` (relative to DEST, without DEST itself),
 * those holding no file once `items` are applied, deepest first. Folders
 * the excludes protect (themselves or through a parent) stay, as their
 * files would under --delete.
 */
export function emptiedFolders(folders: readonly string[], destFiles: Map<string, Entry>, items: readonly PlanItem[], exclude?: ExcludeFilter | null): string[] {
  const held = new Set<string>();
  const hold = (rel: string): void => {
    for (let d = dirnameRel(rel); d && !held.has(d); d = dirnameRel(d)) held.add(d);
  };
  const deleted = new Set<string>();
  for (const item of items) {
    if (item.action === 'delete') deleted.add(item.path);
    else hold(item.path);
  }
  for (const rel of destFiles.keys()) if (!deleted.has(rel)) hold(rel);
  const guarded = exclude?.active ? exclude : null;
  return folders
    .filter((d) => !held.has(d) && !(guarded && isGuarded(d, guarded)))
    .sort((a, b) => depth(b) - depth(a));
}

function isGuarded(dir: string, exclude: ExcludeFilter): boolean {
  for (let d = dir; d; d = dirnameRel(d)) if (exclude.isExcludedInWalk(d, true)) return true;
  return false;
}

function depth(rel: string): number {
  let n = 0;
  for (let i = rel.indexOf('/'); i >= 0; i = rel.indexOf('/', i + 1)) n++;
  return n;
}
