/** Plans rendered as the library's ChangeReport and as dry-run lines. */
import type { ChangeReport, FileEntry } from '../core/types.js';
import type { FileType } from '../core/modes.js';
import type { EntryKind } from '../plugins/contract.js';
import { joinRel } from '../plugins/paths.js';
import type { PlanItem, TransferPlan } from './types.js';

export function fileTypeOfKind(kind: EntryKind): FileType {
  return kind === 'file' ? 'blob' : kind === 'symlink' ? 'link' : 'executable';
}

export interface ReportOptions {
  /** Prefix report paths with the destination folder (full repo paths). */
  fullPaths?: boolean;
  /** The `src` of add/update entries for an item (e.g. the local path). */
  srcOf?(item: PlanItem): string | undefined;
}

export function planToReport(plan: TransferPlan, opts: ReportOptions = {}): ChangeReport {
  const report: ChangeReport = { add: [], update: [], delete: [], errors: [...plan.errors], warnings: [...plan.warnings] };
  for (const item of plan.items) {
    const path = opts.fullPaths ? joinRel(plan.destBase, item.path) : item.path;
    const entry: FileEntry = { path, type: fileTypeOfKind(item.kind) };
    const src = opts.srcOf?.(item);
    if (src !== undefined) entry.src = src;
    report[item.action].push(entry);
  }
  return report;
}

/**
 * Dry-run lines (cli.md §9.10): `<c> <prefix><path>` sorted by path, where
 * `prefix` is e.g. `:docs/` for repo destinations or `./out/` for folders.
 */
export function planLines(plan: TransferPlan, prefix: string): string[] {
  const mark = { add: '+', update: '~', delete: '-' } as const;
  return plan.items.map((i) => `${mark[i.action]} ${prefix}${i.path}`);
}

/** `+2 ~1 -3` style counts (zero counts omitted). */
export function planCounts(plan: TransferPlan): { add: number; update: number; delete: number } {
  const c = { add: 0, update: 0, delete: 0 };
  for (const i of plan.items) c[i.action]++;
  return c;
}
