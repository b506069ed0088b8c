/**
 * The endpoint plugin contract. Every endpoint, built-in (dir, ref, zip, tar)
 * or third-party, implements exactly this; the transfer planner knows nothing
 * else about them. Third-party packages import these types from 'vost/plugin'
 * (re-exported by src/plugins/index.ts).
 */
import type { Readable } from 'node:stream';

export type EntryKind = 'file' | 'executable' | 'symlink';

/** One non-directory item of an endpoint, addressed by a '/'-separated relative path. */
export interface Entry {
  /** Relative to the listed root, '/'-separated, never starting with '/' and never containing '..'. */
  path: string;
  kind: EntryKind;
  /** Byte size (symlinks: length of the target string). */
  size: number;
  /** Modification time in ms since the epoch, when the endpoint knows it. */
  mtimeMs?: number;
  /** Git blob id when the endpoint has it for free (repo, bundle) or cached (dir's stat cache). */
  oid?: string;
  /** Symlink target (only for kind 'symlink'). */
  target?: string;
}

export interface ListOptions {
  /** Only list below this relative directory ('' = the whole endpoint); a file path lists just that file. */
  prefix?: string;
  /** Descend into symlinked directories instead of listing them as symlinks (dir endpoint). */
  followSymlinks?: boolean;
  /** Called with each directory's relative path; return true to prune it. */
  skipDir?(relPath: string): boolean;
  /** Hash every file even when a cache says it is unchanged. */
  checksum?: boolean;
  /** Told about items that are skipped rather than listed (FIFOs, sockets, devices). */
  onWarning?(path: string, message: string): void;
  /**
   * Told about an item that cannot be listed (a dangling symlink to follow),
   * which is then skipped; without it the listing fails with that error.
   */
  onError?(path: string, message: string): void;
  /** Awaited before a directory's children are listed (lets a walker load that folder's .gitignore). */
  onEnterDir?(relPath: string): Promise<void>;
}

export interface ReadResult {
  /** Either the whole content or a stream of it. Symlinks yield their target string as bytes. */
  data: Uint8Array | Readable;
  /**
   * The same content as a local file (dir endpoint), so a writer may read it
   * directly (e.g. stream it into a pack) instead of consuming `data`.
   */
  localPath?: string;
}

/** What the caller already knows about an entry it reads (endpoints may ignore it). */
export interface ReadHint {
  /** The id this endpoint listed for the path: a repo endpoint reads by it instead of resolving the path again. */
  oid?: string;
}

/** What a writer learned while storing one entry. */
export interface PutResult {
  /** Git blob id of the stored content, when the writer computed it. */
  oid?: string;
}

/** One directory item, for glob expansion. */
export interface DirItem {
  name: string;
  isDir: boolean;
}

export interface WriterOptions {
  /** Commit message template (repo endpoints); '' / undefined = automatic. */
  message?: string;
  /** Operation name for automatic messages ('cp', 'sync', 'ar', ...). */
  operation?: string;
  /** Extra commit parents (repo endpoints). */
  parents?: string[];
  /**
   * A file that cannot be put in place at commit (e.g. permission denied)
   * is reported in CommitResult.failed and the rest still lands, instead of
   * the commit failing there (--ignore-errors).
   */
  keepGoing?: boolean;
}

/**
 * Stages changes and makes them visible all at once in `commit`. Until then
 * the destination must look exactly as before; `abort` discards the staging.
 */
export interface EndpointWriter {
  /**
   * What this writer makes does not depend on the order of `put` calls
   * (files in a folder, objects in a snapshot): the caller may then put
   * entries in whatever order its sources read fastest. Absent: plan order,
   * which keeps archives and other ordered outputs deterministic.
   */
  readonly anyOrder?: boolean;
  /**
   * Store one entry. `meta.oid` is the git blob id when known (a repo writer
   * may then reuse the object without reading `content`); `meta.localPath`
   * mirrors ReadResult.localPath.
   */
  put(path: string, kind: EntryKind, content: Uint8Array | Readable, meta?: PutMeta): Promise<void | PutResult>;
  /**
   * {@link put} of whole content when it needs no waiting (e.g. a small file
   * queued into a batch); false when the caller must use `put` instead.
   * Keeps a copy of what it needs: `content` may be reused on return.
   */
  putNow?(path: string, kind: EntryKind, content: Uint8Array, meta: PutMeta): boolean;
  remove(path: string): Promise<void>;
  /**
   * Remove this folder at commit if it is empty then (a mirror pruning the
   * folders it emptied); a folder that is not empty, or gone, stays as it is.
   */
  removeEmptyDir?(path: string): Promise<void>;
  /** Returns an endpoint-specific summary (repo: the new commit id, or null when nothing changed). */
  commit(): Promise<CommitResult>;
  abort(): Promise<void>;
}

export interface PutMeta {
  target?: string;
  oid?: string;
  mtimeMs?: number;
  localPath?: string;
  /** Content size when the source listed it (lets writers skip a stat). */
  size?: number;
}

export interface CommitResult {
  /** New commit id for repo-like endpoints; null when nothing changed or not applicable. */
  commit: string | null;
  /** With `keepGoing`: the files that did not land (paths as given to `put`), with why. */
  failed?: Array<{ path: string; error: string }>;
}

export interface Endpoint {
  /** Human-readable form for messages, e.g. 'zip://docs.zip' or './out'. */
  readonly display: string;
  /** What kind of entry sits at a relative path, or null when nothing does. */
  stat(path: string): Promise<Entry | { path: string; kind: 'dir' } | null>;
  list(options?: ListOptions): AsyncIterable<Entry>;
  /**
   * `list` in groups (e.g. a folder's files at once): the same entries in the
   * same order, for callers that would otherwise pay an async step per file.
   */
  listBatches?(options?: ListOptions): AsyncIterable<Entry[]>;
  read(path: string, hint?: ReadHint): Promise<ReadResult>;
  /**
   * {@link read} when it needs no waiting (e.g. a small blob in an open
   * pack), else undefined: the caller then uses `read`. The data is whole
   * (never a stream) and may be a view that this endpoint's next read
   * overwrites, or a buffer it caches: use it before anything else is
   * read, and never modify it.
   */
  readNow?(path: string, hint: ReadHint): (ReadResult & { data: Uint8Array }) | undefined;
  /** Absent for read-only endpoints. */
  writer?(options?: WriterOptions): Promise<EndpointWriter>;
  close?(): Promise<void>;
  /** Direct children of a directory (for globs); when absent, derived from `list`. */
  readdir?(path: string): Promise<DirItem[]>;
  /** Git blob id of one entry, hashing it if needed (when absent the planner hashes `read`). */
  hash?(path: string): Promise<string>;
  /**
   * Sort keys, one per entry, for reading many of them cheaply: the caller
   * reads in ascending key order (e.g. a repository's pack offsets, which
   * turn scattered reads into one forward pass). Absent: plan order.
   */
  readOrder?(entries: ReadonlyArray<{ path: string; hint: ReadHint }>): Promise<number[]>;
  /**
   * Blob ids the planner learned for entries this endpoint listed (e.g. after
   * a writer stored them); lets the dir endpoint fill its stat cache.
   */
  learn?(oids: ReadonlyArray<{ path: string; oid: string }>): void;
}

export interface ResolveContext {
  /** Absolute path of the repository, when one is selected. */
  repoPath?: string;
  cwd: string;
  /** Whether the endpoint will be written to (so archives may be created). */
  forWrite: boolean;
  env: NodeJS.ProcessEnv;
}

export interface EndpointPlugin {
  /** Short unique name: 'dir', 'ref', 'zip', 'tar', 'mem', ... */
  name: string;
  /** URL scheme this plugin owns ('zip' for zip://...). Built-in dir/ref have none. */
  scheme?: string;
  /** Does this spec belong to me? Only consulted for specs the registry cannot route by scheme. */
  claims?(spec: string, ctx: ResolveContext): boolean;
  open(spec: string, ctx: ResolveContext): Promise<Endpoint>;
}
