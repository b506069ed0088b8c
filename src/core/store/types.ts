/**
 * Contract between the storage layer (src/core/store, src/core/objects) and
 * the API layer above it (GitStore, FS, Batch, RefDict, notes). The API layer
 * only talks to storage through these interfaces.
 */
import type { Readable } from 'node:stream';

export type ObjectType = 'blob' | 'tree' | 'commit' | 'tag';

/** An object id: 40 lowercase hex characters (SHA-1). */
export type Oid = string;

export const ZERO_OID: Oid = '0'.repeat(40);

export interface ObjectHeader {
  type: ObjectType;
  /** Inflated size in bytes. */
  size: number;
}

export interface RawObject extends ObjectHeader {
  data: Buffer;
}

/** An object's zlib stream as stored, with the type and inflated size from its header. */
export interface DeflatedObject extends ObjectHeader {
  data: Buffer;
}

/** Options shared by every object writer. */
export interface WriteOptions {
  /** zlib level 0-9; defaults to the repo's core.compression (or zlib default). */
  compression?: number;
}

/**
 * A bulk write session: objects go into one new packfile (+ .idx) instead of
 * loose files. Objects become visible to readers only after `finish()` has
 * renamed the pack and index into place. `abort()` removes the temp files.
 */
export interface PackWriter {
  write(type: ObjectType, data: Uint8Array): Promise<Oid>;
  /** Stream a local file in as a blob without holding it in memory. */
  writeFromFile(path: string): Promise<{ oid: Oid; size: number }>;
  /** Number of objects written so far. */
  readonly count: number;
  finish(): Promise<void>;
  abort(): Promise<void>;
}

export interface ObjectStore {
  /** Read a whole object. Throws ObjectNotFoundError / CorruptObjectError. */
  read(oid: Oid): Promise<RawObject>;
  /** Type and size without inflating the body (packs: from the entry header / delta header). */
  readHeader(oid: Oid): Promise<ObjectHeader | null>;
  /** A byte range of a blob; only inflates as far as needed. */
  readRange(oid: Oid, offset: number, size?: number): Promise<Buffer>;
  /** Stream an object's body (for big blobs: memory does not grow with size). */
  stream(oid: Oid): Promise<{ header: ObjectHeader; stream: Readable }>;
  has(oid: Oid): Promise<boolean>;
  /** Object ids beginning with `prefix` (hex, any length), at most `limit` of them. */
  findByPrefix(prefix: string, limit?: number): Promise<Oid[]>;

  /** Write one loose object atomically (temp + rename). Returns its id. */
  write(type: ObjectType, data: Uint8Array, opts?: WriteOptions): Promise<Oid>;
  /** Hash + compress a local file as a stream into a loose blob. */
  writeFromFile(path: string, opts?: WriteOptions): Promise<{ oid: Oid; size: number }>;
  /** Write a blob from a stream of known or unknown length. */
  writeStream(source: AsyncIterable<Uint8Array>, opts?: WriteOptions): Promise<{ oid: Oid; size: number }>;
  /** Start a bulk pack write. */
  packWriter(opts?: WriteOptions): Promise<PackWriter>;

  /** Pack all loose objects into one pack; returns number of objects packed. */
  pack(): Promise<number>;
  /** Merge all packs and loose objects into one pack, pruning nothing; returns objects packed. */
  repack(): Promise<number>;
  /** Drop unreachable objects (from `roots`) and pack the rest; returns objects packed. */
  gc(roots: Oid[]): Promise<number>;
  /** Forget cached pack lists so packs added by other processes are seen. */
  refresh(): Promise<void>;
  close(): Promise<void>;
}

/** Hash a buffer as a git object without storing it. */
export type HashObject = (type: ObjectType, data: Uint8Array) => Oid;

export interface ReflogLine {
  oldSha: Oid;
  newSha: Oid;
  committer: string;
  timestamp: number;
  tz: string;
  message: string;
}

export interface RefUpdate {
  /** Full ref name, e.g. refs/heads/main. */
  ref: string;
  newOid: Oid;
  /** When given, the update fails with RefConflictError if the ref is not at this value (ZERO_OID = must not exist). */
  expectOld?: Oid;
  /** Reflog line to append; omitted = no reflog entry. */
  reflog?: { committer: string; message: string; timestamp?: number };
}

export interface RefStore {
  /** Value of a full ref name (loose first, then packed-refs); null if absent. Symbolic refs are followed. */
  resolve(ref: string): Promise<Oid | null>;
  /** Target of a symbolic ref (e.g. HEAD → refs/heads/main), or null if detached / missing. */
  readSymbolic(ref: string): Promise<string | null>;
  writeSymbolic(ref: string, target: string): Promise<void>;
  /** Move a ref through `<ref>.lock` + rename, appending the reflog line. */
  update(u: RefUpdate): Promise<void>;
  /** Delete from loose refs and packed-refs. Reflog is kept. */
  delete(ref: string): Promise<void>;
  /** All refs under a prefix (e.g. 'refs/heads/'), loose and packed merged, sorted by name. */
  list(prefix: string): Promise<Array<{ ref: string; oid: Oid }>>;
  readReflog(ref: string): Promise<ReflogLine[] | null>;
  /** For annotated tags in packed-refs: the peeled value if recorded. */
  peeled?(ref: string): Promise<Oid | null>;
}

/** Parsed tree entry. `mode` is the six-character git mode ('040000' for trees). */
export interface TreeEntry {
  name: string;
  mode: string;
  oid: Oid;
}

export interface CommitData {
  tree: Oid;
  parents: Oid[];
  author: { name: string; email: string; timestamp: number; tz: string };
  committer: { name: string; email: string; timestamp: number; tz: string };
  /** Extra headers in order (e.g. encoding, gpgsig) kept verbatim on read. */
  extraHeaders?: Array<[string, string]>;
  message: string;
}

export interface TagData {
  object: Oid;
  type: ObjectType;
  tag: string;
  tagger?: { name: string; email: string; timestamp: number; tz: string };
  /** Headers after the standard ones, in order, kept verbatim on read. */
  extraHeaders?: Array<[string, string]>;
  message: string;
}
