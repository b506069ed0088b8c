/**
 * Batch: stage many writes and removes, commit them once (spec/api.md §12).
 * Small batches write loose blobs; once a batch grows past a count or size
 * threshold its blobs go into one new packfile, as `git fast-import` does,
 * and the commit's new trees and the commit object join that pack.
 */
import { BatchClosedError, FileNotFoundError, IsADirectoryError, PermissionError } from './errors.js';
import * as nodeFs from 'node:fs';
import { MODE_BLOB, MODE_BLOB_EXEC, MODE_LINK, isTreeMode, resolveWriteMode, type FileType } from './modes.js';
import { normalizePath } from './paths.js';
import { hashObject } from './objects/index.js';
import { commitChanges } from './commit.js';
import { localFileMode, storeLocalFile } from './fs-write.js';
import { readLocalFileSync, WHOLE_READ_MAX } from './local-file.js';
import { FileObjectStore } from './store/object-store.js';
import { BatchWriter, type WriterMode } from './writers.js';
import type { StagedBlob } from './tree-build.js';
import type { FsModule } from './types.js';
import type { PackWriter } from './store/types.js';
import type { FS } from './fs.js';
import type { GitStore } from './gitstore.js';

export interface BatchOptions {
  message?: string;
  operation?: string;
  parents?: FS[];
}

/** Past either limit the batch switches from loose objects to one packfile. */
export const PACK_COUNT_THRESHOLD = 64;
export const PACK_BYTES_THRESHOLD = 8 * 1024 * 1024;

export class Batch {
  fs: FS | null = null;
  private readonly writes = new Map<string, StagedBlob>();
  private readonly removes = new Set<string>();
  private isClosed = false;
  private pending = new Map<string, Uint8Array>();
  private pendingBytes = 0;
  private looseCount = 0;
  private pack: PackWriter | null = null;

  constructor(
    private readonly base: FS,
    private readonly message?: string,
    private readonly operation?: string,
    private readonly parents?: FS[],
  ) {
    if (!base.writable) throw new PermissionError('Cannot batch on a read-only snapshot');
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** The store this batch commits to. */
  get _store(): GitStore {
    return this.base._store;
  }

  private open(): void {
    if (this.isClosed) throw new BatchClosedError('Batch is closed');
  }

  async write(path: string, data: Uint8Array, opts: { mode?: FileType | string } = {}): Promise<void> {
    await this._writeBlob(path, data, { mode: opts.mode, owned: false });
  }

  /**
   * `write` that resolves to the blob id; `owned: true` hands the buffer
   * over (the caller will not touch it again), which saves a copy.
   */
  async _writeBlob(path: string, data: Uint8Array, opts: { mode?: FileType | string; owned: boolean }): Promise<string> {
    this.open();
    const p = normalizePath(path);
    const mode = resolveWriteMode(opts.mode);
    const oid = await this.storeBlob(data, { owned: opts.owned });
    this.stage(p, { oid, mode });
    return oid;
  }

  async writeText(path: string, text: string, opts: { mode?: FileType | string } = {}): Promise<void> {
    return this.write(path, new TextEncoder().encode(text), opts);
  }

  async writeFromFile(path: string, localPath: string, opts: { mode?: FileType | string } = {}): Promise<void> {
    this.open();
    const p = normalizePath(path);
    if (this.base._store._fsModule === (nodeFs as unknown as FsModule)) return this.writeLocalFile(p, localPath, opts.mode);
    const mode = await localFileMode(this.base._store, localPath, opts.mode);
    let oid: string;
    if (this.pack) oid = (await this.pack.writeFromFile(localPath)).oid;
    else {
      oid = await storeLocalFile(this.base._store, localPath);
      this.looseCount += 1;
      if (this.overThreshold()) await this.startPack();
    }
    this.stage(p, { oid, mode });
  }

  /** A file on the real disk: small ones are read whole at once and queued like `write` data. */
  private async writeLocalFile(p: string, localPath: string, explicitMode: FileType | string | undefined): Promise<void> {
    const repo = await this.base._repo();
    const bigFile = repo.objects instanceof FileObjectStore ? repo.objects.bigFileThreshold : WHOLE_READ_MAX;
    const file = readLocalFileSync(localPath, Math.min(WHOLE_READ_MAX, bigFile));
    const mode = explicitMode !== undefined ? resolveWriteMode(explicitMode) : file.executable ? MODE_BLOB_EXEC : MODE_BLOB;
    let oid: string;
    if (file.data) oid = await this.storeBlob(file.data, { owned: true });
    else if (this.pack) oid = (await this.pack.writeFromFile(localPath)).oid;
    else {
      oid = (await repo.objects.writeFromFile(localPath)).oid;
      this.looseCount += 1;
      if (this.overThreshold()) await this.startPack();
    }
    this.stage(p, { oid, mode });
  }

  async writeSymlink(path: string, target: string): Promise<void> {
    this.open();
    const p = normalizePath(path);
    const oid = await this.storeBlob(Buffer.from(target, 'utf8'));
    this.stage(p, { oid, mode: MODE_LINK });
  }

  /** Stage an object that is already in the repository (tree operations reuse blob ids). */
  _stageExisting(path: string, oid: string, mode: string): void {
    this.open();
    this.stage(normalizePath(path), { oid, mode });
  }

  async remove(path: string): Promise<void> {
    this.open();
    const p = normalizePath(path);
    const repo = await this.base._repo();
    const hit = await repo.lookup(this.base.treeHash, p);
    const inBase = hit.kind === 'found';
    if (!inBase && !this.writes.has(p)) throw new FileNotFoundError(p);
    if (hit.kind === 'found' && isTreeMode(hit.mode)) throw new IsADirectoryError(p);
    this.writes.delete(p);
    if (inBase) this.removes.add(p);
  }

  /** Stage the removal of a path (file or directory) without the file-only checks of `remove`. */
  _stageRemove(path: string): void {
    this.open();
    const p = normalizePath(path);
    this.writes.delete(p);
    this.removes.add(p);
  }

  writer(path: string, mode: WriterMode = 'wb'): BatchWriter {
    this.open();
    return new BatchWriter(this, path, mode);
  }

  async commit(): Promise<FS> {
    if (this.isClosed) throw new BatchClosedError('Batch is already committed');
    this.isClosed = true;
    if (this.writes.size === 0 && this.removes.size === 0) {
      await this.discardObjects();
      this.fs = this.base;
      return this.base;
    }
    const pack = await this.flushObjects();
    const result = await commitChanges(
      this.base,
      { writes: this.writes, removes: this.removes, ...(pack ? { pack } : {}) },
      { message: this.message, operation: this.operation, parents: this.parents },
    );
    this.fs = result;
    return result;
  }

  /** Close without committing: a started pack is removed; loose blobs stay unreferenced until gc. */
  async abort(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    await this.discardObjects();
  }

  private stage(p: string, blob: StagedBlob): void {
    this.removes.delete(p);
    this.writes.delete(p);
    this.writes.set(p, blob);
  }

  /** Hash now (the id is needed for staging); store loose later, or into the pack once it exists. */
  private async storeBlob(data: Uint8Array, opts: { owned: boolean } = { owned: false }): Promise<string> {
    if (this.pack) return this.pack.write('blob', data);
    const oid = hashObject('blob', data);
    if (!this.pending.has(oid)) {
      // Copied unless ours: the caller may reuse its buffer before the blob is stored.
      this.pending.set(oid, opts.owned ? data : Buffer.from(data));
      this.pendingBytes += data.length;
    }
    if (this.overThreshold()) await this.startPack();
    return oid;
  }

  private overThreshold(): boolean {
    return this.pending.size + this.looseCount > PACK_COUNT_THRESHOLD || this.pendingBytes > PACK_BYTES_THRESHOLD;
  }

  private async startPack(): Promise<void> {
    const repo = await this.base._repo();
    this.pack = await repo.objects.packWriter();
    for (const data of this.pending.values()) await this.pack.write('blob', data);
    this.pending.clear();
    this.pendingBytes = 0;
  }

  /** Store the loose blobs; an open pack is handed over, for the commit to add its trees and finish it. */
  private async flushObjects(): Promise<PackWriter | null> {
    const repo = await this.base._repo();
    const pack = this.pack;
    this.pack = null;
    for (const data of this.pending.values()) await repo.objects.write('blob', data);
    this.pending.clear();
    return pack;
  }

  private async discardObjects(): Promise<void> {
    this.pending.clear();
    if (this.pack) await this.pack.abort();
    this.pack = null;
  }
}
