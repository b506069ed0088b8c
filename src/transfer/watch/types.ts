/** What a watch cycle asks of the side that does the actual transfer. */
export interface Syncer {
  /**
   * Bring the destination in line with the source against a fresh snapshot.
   * `scope.paths` are source-relative paths reported by the watcher ('all'
   * for a full reconcile); `scope.hold` are paths still being written, which
   * must be left exactly as they are on the destination this time.
   */
  sync(scope: SyncScope): Promise<SyncOutcome>;
}

export interface SyncScope {
  paths: readonly string[] | 'all';
  hold: ReadonlySet<string>;
}

export interface FileProblem {
  level: 'warning' | 'error';
  path: string;
  message: string;
}

export interface SyncOutcome {
  /** The commit written (disk → repo) or brought to disk (repo → disk); null when nothing changed. */
  commit: string | null;
  add: number;
  update: number;
  delete: number;
  problems: FileProblem[];
  /** Paths that could not be settled this time (e.g. vanished mid-read) and deserve another look. */
  retry: string[];
  /** Nothing the user cares about was involved (every path excluded, ref unchanged): print no summary. */
  quiet?: boolean;
}

export function emptyOutcome(): SyncOutcome {
  return { commit: null, add: 0, update: 0, delete: 0, problems: [], retry: [] };
}

/** Decides whether a changed path has stopped changing, so it is safe to commit. */
export interface Settler {
  observe(relPath: string): void;
  partition(relPaths: readonly string[], mode: SettleMode): Promise<{ settled: string[]; unsettled: string[] }>;
}

export type SettleMode = 'window' | 'final';

/**
 * The watched folder is gone (deleted, unmounted). The folder watcher has
 * already said so once; cycles park quietly until it is back.
 */
export class SourceMissingError extends Error {
  constructor(readonly local: string) {
    super(`Local folder not found: ${local}`);
  }
}
