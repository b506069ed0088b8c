/**
 * Data shared by the three transfer steps. A plan is plain data (JSON
 * serialisable): endpoints are referred to by index into the arrays the
 * caller keeps, never embedded.
 */
import type { EntryKind } from '../plugins/contract.js';

/** How a source is placed under the destination (cli.md §9.2). */
export type SourceMode = 'file' | 'dir' | 'contents';

/** One resolved source: an item of an endpoint and where it lands. */
export interface SourceRef {
  /** Index into the caller's endpoint array. */
  endpoint: number;
  /** Path of the item inside its endpoint ('' = the endpoint root). */
  path: string;
  mode: SourceMode;
  /** Destination-relative folder the item is placed under ('' = DEST itself; pivot prefixes go here). */
  under: string;
  /** Name the item gets under `under` in file and dir mode (basename, or the exact target in single-file mode). */
  name: string;
  /** The argument as typed, for messages. */
  display: string;
}

export type PlanAction = 'add' | 'update' | 'delete';

export interface PlanItem {
  action: PlanAction;
  /** Relative to the destination folder. */
  path: string;
  /** Kind written (add/update) or removed (delete). */
  kind: EntryKind;
  size: number;
  /** Where the content comes from (add/update). */
  from?: { endpoint: number; path: string; oid?: string; target?: string; mtimeMs?: number };
}

export interface PlanMessage {
  path: string;
  error: string;
}

export interface TransferPlan {
  /** Operation name for commit messages ('cp', 'sync'). */
  op: string;
  /** Destination folder inside the destination endpoint ('' = its root). */
  destBase: string;
  /** Sorted by path. */
  items: PlanItem[];
  /**
   * Destination folders (relative to `destBase`) the mirror leaves empty,
   * removed after the writes if still empty; deepest first. Only for
   * destinations that list their folders (local folders) under --delete.
   */
  prune?: string[];
  unchanged: number;
  errors: PlanMessage[];
  warnings: PlanMessage[];
  /** Number of files the sources produced (after excludes). */
  sourceFiles: number;
}

export interface ProgressEvent {
  phase: 'apply' | 'commit' | 'done';
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
}

export type ProgressListener = (e: ProgressEvent) => void;
