/**
 * The order of repo → repo `cp` dry-run lines (cli.md §9.10): deletions
 * sorted first, then one line per copied file in source order, each
 * source's files in tree-walk order (a folder's files sorted, then its
 * subfolders). The plan itself stays sorted by path.
 */
import { comparePaths } from '../../transfer/plan.js';
import type { PlanItem, SourceRef } from '../../transfer/types.js';

/** Folder by folder: at the first differing segment a file (last segment) comes before a folder. */
export function compareTreeWalk(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] === y[i]) continue;
    const xFile = i === x.length - 1;
    const yFile = i === y.length - 1;
    if (xFile !== yFile) return xFile ? -1 : 1;
    return comparePaths(x[i], y[i]);
  }
  return x.length - y.length;
}

/** Index of the source that produced an item: the one whose copy stands (the first with --delete, else the last). */
function sourceIndex(item: PlanItem, refs: SourceRef[], firstWins: boolean): number {
  let found = -1;
  refs.forEach((ref, i) => {
    if (!item.from || ref.endpoint !== item.from.endpoint || (firstWins && found >= 0)) return;
    const p = item.from.path;
    const covers = ref.mode === 'file' ? p === ref.path : ref.path === '' || p === ref.path || p.startsWith(`${ref.path}/`);
    if (covers) found = i;
  });
  return found;
}

export function repoToRepoOrder(items: PlanItem[], refs: SourceRef[], firstWins: boolean): PlanItem[] {
  const deletes = items.filter((i) => i.action === 'delete');
  const writes = items
    .filter((i) => i.action !== 'delete')
    .map((item) => ({ item, source: sourceIndex(item, refs, firstWins) }))
    .sort((a, b) => a.source - b.source || compareTreeWalk(a.item.path, b.item.path))
    .map((w) => w.item);
  return [...deletes, ...writes];
}
