/**
 * Options of `runWatch`, the engine behind `vost sync --watch`.
 *
 * Wiring expected in src/commands/sync.ts (after the usual sync validation of
 * cli.md §10.1, the repo auto-creation of §2.6, and `--debounce >= 100`):
 *
 * ```ts
 * import { runWatch } from '../transfer/watch/index.js';
 * await runWatch({
 *   repo: repoPathOnDisk,          // bare repository, already opened/created once by the command
 *   branch,                        // -b or the current branch
 *   direction: 'in',               // 'in' = disk → repo, 'out' = repo → disk
 *   local: localArgAsTyped,        // e.g. './site' (printed as typed)
 *   repoPath: destWithoutSlashes,  // '' = repo root
 *   debounceMs: flags.debounce,    // default 2000
 *   reconcileSeconds: flags.reconcile, // optional, default 300, 0 = never
 *   message: flags.message, checksum: flags.checksum, ignoreErrors: flags['ignore-errors'],
 *   exclude: flags.exclude, excludeFrom: flags['exclude-from'], gitignore: flags.gitignore,
 *   quiet: flags.quiet,
 * });
 * ```
 *
 * The promise resolves once SIGINT or SIGTERM arrived and the pending window
 * was committed; the command then simply returns (exit 0). It rejects only
 * when watching cannot start at all (e.g. the repository cannot be opened).
 */
export interface WatchOptions {
  /** Filesystem path of the bare repository. */
  repo: string;
  /** Branch written to ('in') or followed ('out'). */
  branch: string;
  direction: WatchDirection;
  /** The local directory, as typed on the command line. */
  local: string;
  /** Repo-side directory, normalised; '' is the root. */
  repoPath: string;
  /** Length of a change-grouping window in milliseconds (>= 100). */
  debounceMs: number;
  /** Period of the full reconcile that catches events the OS dropped; 0 disables it. Default 300. */
  reconcileSeconds?: number;
  /** Commit message template (cli.md §5). */
  message?: string;
  /** Hash every file instead of trusting the stat cache. */
  checksum?: boolean;
  /**
   * Watching always carries on past unreadable files; with this they are
   * reported as `ERROR: <path>: <message>` (cli.md §9.8) instead of `WARNING:`.
   */
  ignoreErrors?: boolean;
  exclude?: string[];
  excludeFrom?: string;
  gitignore?: boolean;
  /** Silence the per-cycle summary lines. */
  quiet?: boolean;
  /** Output streams; default process.stdout / process.stderr. */
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  /** Stop watching when aborted (in addition to SIGINT/SIGTERM). */
  signal?: AbortSignal;
  /** Install SIGINT/SIGTERM handlers (default true). */
  handleSignals?: boolean;
}

export type WatchDirection = 'in' | 'out';

export const DEFAULT_RECONCILE_SECONDS = 300;
