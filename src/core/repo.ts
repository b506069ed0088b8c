/**
 * The API layer's view of one repository: the storage layer's object and ref
 * stores plus caches of parsed trees and commits (objects are immutable, so
 * caching by id is always safe), and path lookup inside trees.
 */
import { compareTreeEntries, decodeCommit, decodeTag, decodeTree, encodeCommit, encodeTree, hashObject } from './objects/index.js';
import { openRepository } from './store/index.js';
import type { CommitData, ObjectStore, ObjectType, Oid, RefStore, TreeEntry } from './store/types.js';
import type { RepoFs } from './store/repo-fs.js';
import { FileNotFoundError, NotADirectoryError, ObjectNotFoundError } from './errors.js';
import { isTreeMode, MODE_TREE } from './modes.js';

export const EMPTY_TREE_OID = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

/** Result of looking a path up in a tree. */
export type Lookup =
  | { kind: 'found'; oid: Oid; mode: string }
  | { kind: 'missing' }
  /** An intermediate segment is a file; `prefix` is the path up to and including it. */
  | { kind: 'notdir'; prefix: string };

class LruMap<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: string, v: V): void {
    this.map.set(key, v);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
  }
  clear(): void {
    this.map.clear();
  }
}

export interface RepoOptions {
  compression?: number;
  bigFileThreshold?: number;
  /** The filesystem the repository lives on (default: Node's). */
  fs?: RepoFs;
}

/** Somewhere to queue new objects (an ObjectSink) instead of writing them at once. */
export interface ObjectWriter {
  write(type: ObjectType, data: Uint8Array): Promise<Oid>;
  /** Run `fn` once everything queued is stored (never, if the writer is abandoned). */
  whenStored(fn: () => void): void;
}

export class Repo {
  private readonly trees = new LruMap<readonly TreeEntry[]>(4096);
  private readonly indexes = new LruMap<Map<string, TreeEntry>>(1024);
  private readonly commits = new LruMap<CommitData>(4096);

  private constructor(
    readonly gitdir: string,
    readonly objects: ObjectStore,
    readonly refs: RefStore,
  ) {}

  static async open(gitdir: string, opts: RepoOptions = {}): Promise<Repo> {
    const r = await openRepository(gitdir, opts);
    return new Repo(gitdir, r.objects, r.refs);
  }

  /** Entries of a tree, modes normalised to six characters, in stored (git) order. */
  async readTree(oid: Oid): Promise<readonly TreeEntry[]> {
    const hit = this.trees.get(oid);
    if (hit) return hit;
    if (oid === EMPTY_TREE_OID) return [];
    const raw = await this.objects.read(oid);
    if (raw.type !== 'tree') throw new Error(`Object ${oid} is a ${raw.type}, not a tree`);
    // decodeTree already gives six-character modes.
    const entries = decodeTree(raw.data);
    this.trees.set(oid, entries);
    return entries;
  }

  /** The entries of a tree by name, for lookups in big directories. */
  async treeIndex(oid: Oid): Promise<Map<string, TreeEntry>> {
    const hit = this.indexes.get(oid);
    if (hit) return hit;
    const index = new Map((await this.readTree(oid)).map((e) => [e.name, e]));
    this.indexes.set(oid, index);
    return index;
  }

  async readCommit(oid: Oid): Promise<CommitData> {
    const hit = this.commits.get(oid);
    if (hit) return hit;
    const raw = await this.objects.read(oid);
    if (raw.type !== 'commit') throw new Error(`Object ${oid} is a ${raw.type}, not a commit`);
    const c = decodeCommit(raw.data);
    this.commits.set(oid, c);
    return c;
  }

  /**
   * Write a tree and cache its entries in git order, exactly as a later read
   * would return them. Through a `sink` the object is only queued, so it is
   * cached once the sink has stored it.
   */
  async writeTree(entries: TreeEntry[], sink?: ObjectWriter): Promise<Oid> {
    const sorted = [...entries].sort(compareTreeEntries);
    const data = encodeTree(sorted);
    if (sink) {
      const queued = await sink.write('tree', data);
      sink.whenStored(() => this.trees.set(queued, sorted));
      return queued;
    }
    const oid = hashObject('tree', data);
    if (!this.trees.get(oid)) {
      if (oid !== EMPTY_TREE_OID || !(await this.objects.has(oid))) await this.objects.write('tree', data);
      this.trees.set(oid, sorted);
    }
    return oid;
  }

  async writeCommit(c: CommitData, sink?: ObjectWriter): Promise<Oid> {
    if (sink) {
      const queued = await sink.write('commit', encodeCommit(c));
      sink.whenStored(() => this.commits.set(queued, c));
      return queued;
    }
    const oid = await this.objects.write('commit', encodeCommit(c));
    this.commits.set(oid, c);
    return oid;
  }

  /** Follow annotated tags down to the object they finally name; `null` if the id is unknown. */
  async peel(oid: Oid): Promise<{ oid: Oid; type: string } | null> {
    let cur = oid;
    for (let depth = 0; depth < 20; depth++) {
      const header = await this.objects.readHeader(cur);
      if (!header) return null;
      if (header.type !== 'tag') return { oid: cur, type: header.type };
      cur = decodeTag((await this.objects.read(cur)).data).object;
    }
    return null;
  }

  /** The entry at `path` (normalized, `''` = root) inside the tree `root`. */
  async lookup(root: Oid, path: string): Promise<Lookup> {
    if (path === '') return { kind: 'found', oid: root, mode: MODE_TREE };
    const segs = path.split('/');
    let tree = root;
    for (let i = 0; i < segs.length; i++) {
      const entry = (await this.treeIndex(tree)).get(segs[i]);
      if (!entry) return { kind: 'missing' };
      if (i === segs.length - 1) return { kind: 'found', oid: entry.oid, mode: entry.mode };
      if (!isTreeMode(entry.mode)) return { kind: 'notdir', prefix: segs.slice(0, i + 1).join('/') };
      tree = entry.oid;
    }
    return { kind: 'missing' };
  }

  /** Like lookup, but a missing path or a file used as a directory throws the spec's typed errors. */
  async entryOrThrow(root: Oid, path: string): Promise<{ oid: Oid; mode: string }> {
    const hit = await this.lookup(root, path);
    if (hit.kind === 'found') return hit;
    if (hit.kind === 'notdir') throw new NotADirectoryError(hit.prefix);
    throw new FileNotFoundError(path);
  }

  async readBlob(oid: Oid): Promise<Buffer> {
    const raw = await this.objects.read(oid);
    if (raw.type !== 'blob') throw new Error(`Object ${oid} is a ${raw.type}, not a blob`);
    return raw.data;
  }

  /** Bytes `[offset, offset + size)` of a blob, clamped like `Uint8Array.subarray`. */
  async readBlobRange(oid: Oid, opts: { offset?: number; size?: number }): Promise<Buffer> {
    const offset = opts.offset ?? 0;
    const size = opts.size;
    if (offset >= 0 && (size === undefined || size >= 0)) {
      const header = await this.objects.readHeader(oid);
      if (!header) throw new ObjectNotFoundError(oid);
      if (header.type !== 'blob') throw new Error(`Object ${oid} is a ${header.type}, not a blob`);
      if (offset >= header.size || size === 0) return Buffer.alloc(0);
      return this.objects.readRange(oid, offset, size === undefined ? undefined : Math.min(size, header.size - offset));
    }
    const all = await this.readBlob(oid);
    return all.subarray(offset, size === undefined ? undefined : offset + size);
  }

  async blobSize(oid: Oid): Promise<number> {
    const h = await this.objects.readHeader(oid);
    if (!h) throw new ObjectNotFoundError(oid);
    return h.size;
  }
}
