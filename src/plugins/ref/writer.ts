/**
 * Stages writes into one Batch and commits once: until `commit` the branch
 * does not move, and `abort` leaves nothing but unreferenced objects (which
 * `gc` drops). Entries whose blob id is known and already stored are staged
 * by id without reading their content (repo → repo copies read no data).
 */
import type { Readable } from 'node:stream';
import type { Batch } from '../../core/batch.js';
import { FS as FSClass, type FS } from '../../core/fs.js';
import { MODE_BLOB, MODE_BLOB_EXEC, MODE_LINK } from '../../core/modes.js';
import type { CommitResult, EndpointWriter, EntryKind, PutMeta, PutResult, WriterOptions } from '../contract.js';
import { blobIdOf, toBytes } from '../hash.js';
import { assertSafeRelPath } from '../paths.js';
import { readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';

/** Local files up to this size are read whole (and packed); bigger ones are streamed from disk. */
const WHOLE_FILE_LIMIT = 4 << 20;
const SYNC_READ_LIMIT = 1 << 20;

function modeOf(kind: EntryKind): string {
  return kind === 'symlink' ? MODE_LINK : kind === 'executable' ? MODE_BLOB_EXEC : MODE_BLOB;
}

export class RefWriter implements EndpointWriter {
  /** A snapshot's trees are built from paths at commit, whatever the order of puts. */
  readonly anyOrder = true;
  /** Batch staging is sequential; content is read concurrently before joining this queue. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly fs: FS,
    private readonly batch: Batch,
    private readonly onCommitted?: (result: FS) => void,
  ) {}

  /** `options.parents` are commit ids, resolved to snapshots for the batch. */
  static async create(fs: FS, opts: WriterOptions, onCommitted?: (result: FS) => void): Promise<RefWriter> {
    const parents = await Promise.all((opts.parents ?? []).map((oid) => FSClass._fromCommit(fs._store, oid, null, false)));
    return new RefWriter(fs, fs.batch({ message: opts.message || undefined, operation: opts.operation, parents }), onCommitted);
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  async put(path: string, kind: EntryKind, content: Uint8Array | Readable, meta: PutMeta = {}): Promise<PutResult> {
    assertSafeRelPath(path);
    const mode = modeOf(kind);
    if (meta.oid && (await this.has(meta.oid))) {
      const oid = meta.oid;
      await this.serial(async () => this.batch._stageExisting(path, oid, mode));
      return { oid };
    }
    if (kind === 'symlink') {
      const target = meta.target ?? Buffer.from(await toBytes(content)).toString('utf8');
      await this.serial(() => this.batch.writeSymlink(path, target));
      return { oid: blobIdOf(Buffer.from(target, 'utf8')) };
    }
    if (meta.localPath && !(content instanceof Uint8Array)) {
      content.destroy();
      const local = meta.localPath;
      if ((meta.size ?? (await stat(local)).size) > WHOLE_FILE_LIMIT) {
        await this.serial(() => this.batch.writeFromFile(path, local, { mode }));
        return {};
      }
      // Small files are read synchronously: cheaper than a thread-pool round trip per call.
      const data = (meta.size ?? Infinity) <= SYNC_READ_LIMIT ? readFileSync(local) : await readFile(local);
      return { oid: await this.serial(() => this.batch._writeBlob(path, data, { mode, owned: true })) };
    }
    const data = await toBytes(content);
    // The source may keep its buffer (a blob cache, a caller's array): the batch copies it.
    return { oid: await this.serial(() => this.batch._writeBlob(path, data, { mode, owned: false })) };
  }

  private async has(oid: string): Promise<boolean> {
    const repo = await this.fs._repo();
    return repo.objects.has(oid);
  }

  async remove(path: string): Promise<void> {
    assertSafeRelPath(path);
    await this.serial(async () => this.batch._stageRemove(path));
  }

  async commit(): Promise<CommitResult> {
    await this.queue;
    const result = await this.batch.commit();
    this.onCommitted?.(result);
    return { commit: result === this.fs ? null : result.commitHash };
  }

  async abort(): Promise<void> {
    await this.queue;
    if (!this.batch.closed) await this.batch.abort();
  }
}
