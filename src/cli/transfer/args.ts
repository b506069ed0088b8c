/**
 * Command-line pieces shared by cp and sync: classifying arguments (local,
 * repo, plugin URL), the exclude flags, and printing per-file reports.
 */
import { readFileSync, existsSync } from 'node:fs';
import { ExcludeFilter } from '../../core/exclude.js';
import { UsageError } from '../errors.js';
import { parsePathArg, type RepoPathArg } from '../refpath.js';
import { schemeOf } from '../../plugins/registry.js';
import type { PlanMessage } from '../../transfer/types.js';

export type TransferArg =
  | { kind: 'local'; path: string; raw: string }
  | RepoPathArg
  | { kind: 'plugin'; spec: string; raw: string };

/** `scheme://…` belongs to a plugin; everything else follows cli.md §3.1. */
export function classifyArg(raw: string): TransferArg {
  if (schemeOf(raw) !== null) return { kind: 'plugin', spec: raw, raw };
  return parsePathArg(raw);
}

export interface ExcludeFlags {
  exclude?: string[];
  'exclude-from'?: string;
  gitignore?: boolean;
}

/** `--exclude` values first, then `--exclude-from` lines (trimmed, blanks and `#` skipped). */
export function buildExclude(flags: ExcludeFlags): ExcludeFilter | null {
  const from = flags['exclude-from'];
  if (from !== undefined && !existsSync(from)) {
    throw new UsageError(`Invalid value for '--exclude-from': Path '${from}' does not exist.`);
  }
  const patterns = [...(flags.exclude ?? [])];
  if (from !== undefined) {
    for (const line of readFileSync(from, 'utf8').split(/\r?\n/)) {
      const t = line.trim();
      if (t !== '' && !t.startsWith('#')) patterns.push(t);
    }
  }
  if (patterns.length === 0 && !flags.gitignore) return null;
  return new ExcludeFilter({ patterns, gitignore: !!flags.gitignore });
}

/** A negative --max-delete is a usage error, not a limit no plan can meet. */
export function checkMaxDelete(max: number | undefined): void {
  if (max !== undefined && max < 0) throw new UsageError("Invalid value for '--max-delete': must be >= 0");
}

export function hasReadFilters(flags: { ref?: string; path?: string; match?: string; before?: string; back?: number }): boolean {
  return flags.ref !== undefined || flags.path !== undefined || flags.match !== undefined || flags.before !== undefined || (flags.back ?? 0) !== 0;
}

export function reportLines(kind: 'ERROR' | 'WARNING', items: PlanMessage[]): string {
  return items.map((i) => `${kind}: ${i.path}: ${i.error}\n`).join('');
}
