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
