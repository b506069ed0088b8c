/** ChangeReport / MirrorDiff helpers (spec/api.md §7). */
import type { ChangeAction, ChangeReport, FileEntry, MirrorDiff } from './types.js';
import { fileTypeFromMode } from './modes.js';

export function emptyChangeReport(): ChangeReport {
  return { add: [], update: [], delete: [], errors: [], warnings: [] };
}

export function changeReportInSync(cr: ChangeReport): boolean {
  return cr.add.length === 0 && cr.update.length === 0 && cr.delete.length === 0;
}

export function changeReportTotal(cr: ChangeReport): number {
  return cr.add.length + cr.update.length + cr.delete.length;
}

/** One action per entry, adds then updates then deletes, stably sorted by path. */
export function changeReportActions(cr: ChangeReport): ChangeAction[] {
  const out: ChangeAction[] = [
    ...cr.add.map((e) => ({ path: e.path, action: 'add' as const })),
    ...cr.update.map((e) => ({ path: e.path, action: 'update' as const })),
    ...cr.delete.map((e) => ({ path: e.path, action: 'delete' as const })),
  ];
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

export function mirrorDiffInSync(md: MirrorDiff): boolean {
  return md.add.length === 0 && md.update.length === 0 && md.delete.length === 0;
}

export function mirrorDiffTotal(md: MirrorDiff): number {
  return md.add.length + md.update.length + md.delete.length;
}

/** `null` for a report with nothing in any of its five lists. */
export function finalizeChanges(cr: ChangeReport): ChangeReport | null {
  const empty = changeReportInSync(cr) && cr.errors.length === 0 && cr.warnings.length === 0;
  return empty ? null : cr;
}

export function fileEntryFromMode(path: string, mode: string, src?: string): FileEntry {
  return { path, type: fileTypeFromMode(mode), src };
}
