/**
 * FS: an immutable snapshot of one commit (spec/api.md §10). Reads and
 * queries live here; writes, history and tree operations are delegated to
 * their own modules and always return new snapshots.
 */
import { FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError } from './errors.js';
import { FileType, fileTypeFromMode, isTreeMode, MODE_LINK, MODE_TREE, modeToInt } from './modes.js';
import { normalizeOrRoot, normalizePath } from './paths.js';
import { globWalk, patternSegments, type GlobSource } from './glob.js';
import type { ChangeReport, CommitInfo, StatResult, WalkEntry, WriteEntry } from './types.js';
import type { CommitData, Oid } from './store/types.js';
import type { GitStore } from './gitstore.js';
import type { Repo } from './repo.js';
import { Batch, type BatchOptions } from './batch.js';
import { FsWriter, type WriterMode } from './writers.js';
import * as writes from './fs-write.js';
import { buildChanges, commitChanges, requireWritable } from './commit.js';
import type { StagedBlob } from './tree-build.js';
import * as history from './history.js';
import * as ops from './ops.js';
import { transferOps, type CopyInOptions, type CopyOutOptions, type SyncInOptions, type SyncOutOptions } from './transfer-hook.js';

export interface WriteOptions {
  message?: string;
  mode?: FileType | string;
  parents?: FS[];
}

function byName<T extends { name: string }>(a: T, b: T): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export class FS {
  _changes: ChangeReport | null;
  private commitCache: CommitData | null = null;

  constructor(
    readonly _store: GitStore,
    readonly _commitOid: Oid,
    readonly _treeOid: Oid,
    readonly _refName: string | null,
    readonly _writable: boolean = _refName !== null,
    changes: ChangeReport | null = null,
  ) {
    this._changes = changes;
  }

  /** Snapshot of a commit; reads the commit for its tree id. */
  static async _fromCommit(store: GitStore, commitOid: Oid, refName: string | null, writable?: boolean): Promise<FS> {
    const repo = await store._open();
    const c = await repo.readCommit(commitOid);
    return new FS(store, commitOid, c.tree, refName, writable ?? refName !== null);
  }

  /** Snapshot of a commit the caller has already read (history walks): its data is not read again. */
  static _fromCommitData(store: GitStore, commitOid: Oid, commit: CommitData, refName: string | null, writable: boolean): FS {
    const fs = new FS(store, commitOid, commit.tree, refName, writable);
    fs.commitCache = commit;
    return fs;
  }

  get commitHash(): string {
    return this._commitOid;
  }
  get refName(): string | null {
    return this._refName;
  }
  get writable(): boolean {
    return this._writable;
  }
  get treeHash(): string {
    return this._treeOid;
  }
  get changes(): ChangeReport | null {
    return this._changes;
  }
  set changes(value: ChangeReport | null) {
    this._changes = value;
  }

  toString(): string {
    const parts: string[] = [];
    if (this._refName !== null) parts.push(`refName='${this._refName}'`);
    parts.push(`commit=${this._commitOid.slice(0, 7)}`);
    if (!this._writable) parts.push('readonly');
    return `FS(${parts.join(', ')})`;
  }

  async _repo(): Promise<Repo> {
    return this._store._open();
  }

  async _commit(): Promise<CommitData> {
    if (!this.commitCache) this.commitCache = await (await this._repo()).readCommit(this._commitOid);
    return this.commitCache;
  }

  /** Committer time of this snapshot's commit, in POSIX seconds. */
  async _getCommitTime(): Promise<number> {
    return (await this._commit()).committer.timestamp;
  }

  // ---- commit metadata ------------------------------------------------

  async getCommitInfo(): Promise<CommitInfo> {
    const c = await this._commit();
    return {
      message: c.message.endsWith('\n') ? c.message.slice(0, -1) : c.message,
      time: new Date(c.author.timestamp * 1000),
      authorName: c.author.name,
      authorEmail: c.author.email,
    };
  }
  async getMessage(): Promise<string> {
    return (await this.getCommitInfo()).message;
  }
  async getTime(): Promise<Date> {
    return (await this.getCommitInfo()).time;
  }
  async getAuthorName(): Promise<string> {
    return (await this._commit()).author.name;
  }
  async getAuthorEmail(): Promise<string> {
    return (await this._commit()).author.email;
  }

  // ---- reading --------------------------------------------------------

  async read(path: string, opts: { offset?: number; size?: number } = {}): Promise<Uint8Array> {
    const p = normalizePath(path);
    const repo = await this._repo();
    const entry = await repo.entryOrThrow(this._treeOid, p);
    if (isTreeMode(entry.mode)) throw new IsADirectoryError(p);
    if (opts.offset === undefined && opts.size === undefined) return repo.readBlob(entry.oid);
    return repo.readBlobRange(entry.oid, opts);
  }

  async readText(path: string, encoding = 'utf-8'): Promise<string> {
    return new TextDecoder(encoding).decode(await this.read(path));
  }

  async readByHash(hash: string, opts: { offset?: number; size?: number } = {}): Promise<Uint8Array> {
    return this._store.readByHash(hash, opts);
  }

  async readlink(path: string): Promise<string> {
    const p = normalizePath(path);
    const entry = await this.entry(p);
    if (entry.mode !== MODE_LINK) throw new Error(`Not a symlink: ${p}`);
    return (await (await this._repo()).readBlob(entry.oid)).toString('utf8');
  }

  /** The entry at a normalized path; any miss is FileNotFoundError. */
  private async entry(p: string): Promise<{ oid: Oid; mode: string }> {
    const hit = await (await this._repo()).lookup(this._treeOid, p);
    if (hit.kind !== 'found') throw new FileNotFoundError(p);
    return hit;
  }

  // ---- querying -------------------------------------------------------

  async exists(path: string): Promise<boolean> {
    const p = normalizePath(path);
    return (await (await this._repo()).lookup(this._treeOid, p)).kind === 'found';
  }

  async isDir(path: string): Promise<boolean> {
    const p = normalizePath(path);
    const hit = await (await this._repo()).lookup(this._treeOid, p);
    return hit.kind === 'found' && isTreeMode(hit.mode);
  }

  async fileType(path: string): Promise<FileType> {
    return fileTypeFromMode((await this.entry(normalizePath(path))).mode);
  }

  async size(path: string): Promise<number> {
    const p = normalizePath(path);
    const entry = await this.entry(p);
    if (isTreeMode(entry.mode)) throw new IsADirectoryError(p);
    return (await this._repo()).blobSize(entry.oid);
  }

  async objectHash(path: string): Promise<string> {
    return (await this.entry(normalizePath(path))).oid;
  }

  async stat(path?: string | null): Promise<StatResult> {
    const p = normalizeOrRoot(path);
    const entry = p === '' ? { oid: this._treeOid, mode: MODE_TREE } : await this.entry(p);
    const repo = await this._repo();
    const mtime = await this._getCommitTime();
    if (isTreeMode(entry.mode)) {
      const subdirs = (await repo.readTree(entry.oid)).filter((e) => isTreeMode(e.mode)).length;
      return { mode: 0o40000, fileType: FileType.TREE, size: 0, hash: entry.oid, nlink: 2 + subdirs, mtime };
    }
    return {
      mode: modeToInt(entry.mode),
      fileType: fileTypeFromMode(entry.mode),
      size: await repo.blobSize(entry.oid),
      hash: entry.oid,
      nlink: 1,
      mtime,
    };
  }

  // ---- listing --------------------------------------------------------

  /** Sorted entries of a directory (normalized path, `''` = root). */
  async _dirEntries(p: string): Promise<WalkEntry[]> {
    const repo = await this._repo();
    const hit = await repo.lookup(this._treeOid, p);
    if (hit.kind !== 'found') throw new FileNotFoundError(p);
    if (!isTreeMode(hit.mode)) throw new NotADirectoryError(p);
    return (await repo.readTree(hit.oid)).map((e) => ({ name: e.name, oid: e.oid, mode: e.mode })).sort(byName);
  }

  async ls(path?: string | null, opts: { recursive?: boolean } = {}): Promise<string[]> {
    const p = normalizeOrRoot(path);
    if (!opts.recursive) return (await this._dirEntries(p)).map((e) => e.name);
    const out: string[] = [];
    for await (const [dir, , files] of this.walk(p)) {
      for (const f of files) out.push(dir === '' ? f.name : `${dir}/${f.name}`);
    }
    return out;
  }

  async listdir(path?: string | null): Promise<WalkEntry[]> {
    return this._dirEntries(normalizeOrRoot(path));
  }

  async *walk(path?: string | null): AsyncGenerator<[string, string[], WalkEntry[]]> {
    const start = normalizeOrRoot(path);
    const entries = await this._dirEntries(start);
    yield* this.walkFrom(start, entries);
  }

  private async *walkFrom(dir: string, entries: WalkEntry[]): AsyncGenerator<[string, string[], WalkEntry[]]> {
    const dirs = new Map(entries.filter((e) => isTreeMode(e.mode)).map((e) => [e.name, e]));
    const dirnames = [...dirs.keys()];
    yield [dir, dirnames, entries.filter((e) => !isTreeMode(e.mode))];
    const repo = await this._repo();
    // Callers may prune `dirnames` in place, as with os.walk.
    for (const name of dirnames) {
      const sub = dirs.get(name);
      if (!sub) continue;
      const subEntries = (await repo.readTree(sub.oid)).map((e) => ({ name: e.name, oid: e.oid, mode: e.mode })).sort(byName);
      yield* this.walkFrom(dir === '' ? name : `${dir}/${name}`, subEntries);
    }
  }

  // ---- glob -----------------------------------------------------------

  async glob(pattern: string): Promise<string[]> {
    const out: string[] = [];
    for await (const p of this.iglob(pattern)) out.push(p);
    return out.sort();
  }

  async *iglob(pattern: string): AsyncGenerator<string> {
    const trimmed = pattern.replace(/^\/+|\/+$/g, '');
    const pivot = trimmed.indexOf('/./');
    const baseSegs = pivot > 0 ? patternSegments(trimmed.slice(0, pivot)).filter((seg) => seg !== '.') : [];
    // `.` segments name the current directory in repo paths, as in normalizePath.
    const segs = (pivot > 0 ? [...baseSegs, ...patternSegments(trimmed.slice(pivot + 3))] : patternSegments(trimmed)).filter(
      (seg) => seg !== '.',
    );
    if (segs.length === 0) return;
    const seen = new Set<string>();
    for await (const hit of globWalk(this.globSource(), '', segs)) {
      if (seen.has(hit)) continue;
      seen.add(hit);
      if (pivot <= 0) yield hit;
      else {
        const parts = hit.split('/');
        yield `${parts.slice(0, baseSegs.length).join('/')}/./${parts.slice(baseSegs.length).join('/')}`;
      }
    }
  }

  private globSource(): GlobSource {
    const lookup = async (p: string) => (await this._repo()).lookup(this._treeOid, p);
    return {
      join: (base, name) => (base === '' ? name : `${base}/${name}`),
      list: async (dir) => {
        const hit = await lookup(dir);
        if (hit.kind !== 'found' || !isTreeMode(hit.mode)) return [];
        return (await (await this._repo()).readTree(hit.oid)).map((e) => {
          const dir = isTreeMode(e.mode);
          return { name: e.name, isDir: async () => dir };
        });
      },
      exists: async (p) => (await lookup(p)).kind === 'found',
      isDir: async (p) => {
        const hit = await lookup(p);
        return hit.kind === 'found' && isTreeMode(hit.mode);
      },
    };
  }

  // ---- writing --------------------------------------------------------

  write(path: string, data: Uint8Array, opts: WriteOptions = {}): Promise<FS> {
    return writes.writeBytes(this, path, data, opts);
  }
  writeText(path: string, text: string, opts: WriteOptions = {}): Promise<FS> {
    return writes.writeBytes(this, path, new TextEncoder().encode(text), opts);
  }
  writeFromFile(path: string, localPath: string, opts: WriteOptions = {}): Promise<FS> {
    return writes.writeFromFile(this, path, localPath, opts);
  }
  writeSymlink(path: string, target: string, opts: { message?: string; parents?: FS[] } = {}): Promise<FS> {
    return writes.writeSymlink(this, path, target, opts);
  }
  apply(
    writesArg?: Record<string, WriteEntry | Uint8Array | string> | null,
    removes?: string | string[] | Set<string> | null,
    opts: { message?: string; operation?: string; parents?: FS[] } = {},
  ): Promise<FS> {
    return writes.apply(this, writesArg, removes, opts);
  }

  batch(opts: BatchOptions = {}): Batch {
    if (!this._writable) throw new PermissionError('Cannot batch on a read-only snapshot');
    return new Batch(this, opts.message, opts.operation, opts.parents);
  }

  writer(path: string, mode: WriterMode = 'wb'): FsWriter {
    requireWritable(this);
    return new FsWriter(this, path, mode);
  }

  // ---- copy / sync (transfer layer) and tree operations ---------------

  copyIn(sources: string | string[], dest: string, opts: CopyInOptions = {}): Promise<FS> {
    return transferOps('copyIn').copyIn(this, sources, dest, opts);
  }
  copyOut(sources: string | string[], dest: string, opts: CopyOutOptions = {}): Promise<FS> {
    return transferOps('copyOut').copyOut(this, sources, dest, opts);
  }
  syncIn(localPath: string, repoPath: string, opts: SyncInOptions = {}): Promise<FS> {
    return transferOps('syncIn').syncIn(this, localPath, repoPath, opts);
  }
  syncOut(repoPath: string, localPath: string, opts: SyncOutOptions = {}): Promise<FS> {
    return transferOps('syncOut').syncOut(this, repoPath, localPath, opts);
  }
  remove(sources: string | string[], opts: ops.RemoveOptions = {}): Promise<FS> {
    return ops.remove(this, sources, opts);
  }
  move(sources: string | string[], dest: string, opts: ops.MoveOptions = {}): Promise<FS> {
    return ops.move(this, sources, dest, opts);
  }
  copyFromRef(source: FS | string, sources?: string | string[], dest?: string, opts: ops.CopyFromRefOptions = {}): Promise<FS> {
    return ops.copyFromRef(this, source, sources, dest, opts);
  }

  // ---- history --------------------------------------------------------

  getParent(): Promise<FS | null> {
    return history.getParent(this);
  }
  /** Alias of getParent (the name the docs use). */
  parent(): Promise<FS | null> {
    return history.getParent(this);
  }
  back(n = 1): Promise<FS> {
    return history.back(this, n);
  }
  log(opts: history.LogOptions = {}): AsyncGenerator<FS> {
    return history.log(this, opts);
  }
  undo(steps = 1): Promise<FS> {
    return history.undo(this, steps);
  }
  redo(steps = 1): Promise<FS> {
    return history.redo(this, steps);
  }
  squash(opts: { parent?: FS; message?: string } = {}): Promise<FS> {
    return history.squash(this, opts);
  }

  /** Change report staged writes/removes would produce against this snapshot (spec §26 internal surface). */
  async _buildChanges(writesMap: Map<string, StagedBlob>, removes: Set<string>): Promise<ChangeReport> {
    return buildChanges(await this._repo(), this._treeOid, { writes: writesMap, removes });
  }

  /** Commit staged blob ids and removals on top of this snapshot (spec §26 internal surface). */
  _commitChanges(
    writesMap: Map<string, StagedBlob>,
    removes: Set<string>,
    message?: string,
    operation?: string,
    parents?: FS[],
  ): Promise<FS> {
    return commitChanges(this, { writes: writesMap, removes }, { message, operation, parents });
  }

  /** Drop cached commit data; the snapshot stays usable. */
  close(): void {
    this.commitCache = null;
  }
}
