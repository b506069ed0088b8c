/**
 * The built-in `ref` endpoint: a snapshot (branch, tag or commit) of a vost
 * repository, rooted at the repository root. Listings carry blob ids for
 * free; sizes are not looked up (0) because that would cost an object header
 * read per file. Its writer stages everything into one Batch: one commit.
 */
import { Readable } from 'node:stream';
import { FileNotFoundError, IsADirectoryError } from '../../core/errors.js';
import type { FS } from '../../core/fs.js';
import { MODE_BLOB_EXEC, MODE_GITLINK, MODE_LINK, isTreeMode } from '../../core/modes.js';
import { FileObjectStore } from '../../core/store/object-store.js';
import type { PackFile } from '../../core/store/pack-file.js';
import type { Repo } from '../../core/repo.js';
import { inflateVerified } from '../../core/store/deflated.js';
import type { WalkEntry } from '../../core/types.js';
import type { DirItem, Endpoint, EndpointWriter, Entry, EntryKind, ListOptions, ReadHint, ReadResult, WriterOptions } from '../contract.js';
import { RefWriter } from './writer.js';

/** Blobs up to this size are read whole; bigger ones are streamed. */
const WHOLE_READ_LIMIT = 1 << 20;
/** Read-order keys are pack number × this + offset: exact for packs under 1 TiB and the first 8,192 packs. */
const PACK_KEY_STRIDE = 2 ** 40;

/**
 * Submodules hold no files of this repository (their id is a commit of
 * another one, which is not here to read), so transfers pass over them, as
 * `git checkout` leaves an uninitialised submodule's folder empty.
 */
const SUBMODULE_SKIPPED = 'Skipping submodule (its commit belongs to another repository)';

export function kindOfMode(mode: string): EntryKind {
  return mode === MODE_LINK ? 'symlink' : mode === MODE_BLOB_EXEC ? 'executable' : 'file';
}

export interface RefEndpointOptions {
  display?: string;
}

export class RefEndpoint implements Endpoint {
  readonly display: string;
  private commitMs: number | null = null;
  /** The repository once an async method has opened it (readNow cannot wait for it). */
  private repo: Repo | null = null;
  /** The snapshot produced by the last successful writer commit (the same FS when nothing changed). */
  committed: FS | null = null;

  constructor(readonly fs: FS, opts: RefEndpointOptions = {}) {
    this.display = opts.display ?? (fs.refName ? `${fs.refName}:` : `${fs.commitHash.slice(0, 7)}:`);
  }

  private async openRepo(): Promise<Repo> {
    this.repo ??= await this.fs._repo();
    return this.repo;
  }

  private async mtimeMs(): Promise<number> {
    if (this.commitMs === null) this.commitMs = (await this.fs._getCommitTime()) * 1000;
    return this.commitMs;
  }

  private async lookup(path: string): Promise<{ oid: string; mode: string } | null> {
    if (path === '') return { oid: this.fs.treeHash, mode: '040000' };
    const repo = await this.openRepo();
    const hit = await repo.lookup(this.fs.treeHash, path);
    return hit.kind === 'found' ? { oid: hit.oid, mode: hit.mode } : null;
  }

  async stat(path: string): Promise<Entry | { path: string; kind: 'dir' } | null> {
    const hit = await this.lookup(path);
    if (!hit || hit.mode === MODE_GITLINK) return null;
    if (isTreeMode(hit.mode)) return { path, kind: 'dir' };
    const repo = await this.openRepo();
    const kind = kindOfMode(hit.mode);
    const entry: Entry = { path, kind, size: await repo.blobSize(hit.oid), oid: hit.oid, mtimeMs: await this.mtimeMs() };
    if (kind === 'symlink') entry.target = (await repo.readBlob(hit.oid)).toString('utf8');
    return entry;
  }

  async readdir(path: string): Promise<DirItem[]> {
    const entries = await this.fs.listdir(path);
    return entries.map((e) => ({ name: e.name, isDir: isTreeMode(e.mode) }));
  }

  async *list(options: ListOptions = {}): AsyncIterable<Entry> {
    for await (const batch of this.listBatches(options)) yield* batch;
  }

  /** The snapshot's files one tree at a time (a tree's files, then its subtrees, depth first). */
  async *listBatches(options: ListOptions = {}): AsyncIterable<Entry[]> {
    const prefix = options.prefix ?? '';
    const hit = await this.lookup(prefix);
    if (!hit) return;
    const mtimeMs = await this.mtimeMs();
    const entryOf = (path: string, e: WalkEntry): Entry => ({ path, kind: kindOfMode(e.mode), size: 0, oid: e.oid, mtimeMs });
    if (hit.mode === MODE_GITLINK) {
      options.onWarning?.(prefix, SUBMODULE_SKIPPED);
      return;
    }
    if (!isTreeMode(hit.mode)) {
      yield [entryOf(prefix, { name: prefix, oid: hit.oid, mode: hit.mode })];
      return;
    }
    const repo = await this.openRepo();
    const stack: Array<[string, string]> = [[prefix, hit.oid]];
    while (stack.length) {
      const [dir, oid] = stack.pop()!;
      const subdirs: Array<[string, string]> = [];
      const files: Entry[] = [];
      for (const e of await repo.readTree(oid)) {
        const path = dir ? `${dir}/${e.name}` : e.name;
        if (isTreeMode(e.mode)) {
          if (!options.skipDir?.(path)) subdirs.push([path, e.oid]);
        } else if (e.mode === MODE_GITLINK) options.onWarning?.(path, SUBMODULE_SKIPPED);
        else files.push(entryOf(path, e));
      }
      if (files.length) yield files;
      for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]);
    }
  }

  async read(path: string, hint: ReadHint = {}): Promise<ReadResult> {
    // The snapshot never changes, so the id it listed for the path is still the path's content.
    const oid = hint.oid ?? (await this.fileOid(path));
    const repo = await this.openRepo();
    const now = this.readNow(path, { ...hint, oid });
    // A copy: readNow's data is a view that the next read overwrites.
    if (now) return { data: Buffer.from(now.data) };
    const header = await repo.objects.readHeader(oid);
    if (!header || header.size <= WHOLE_READ_LIMIT) return { data: await repo.readBlob(oid) };
    return {
      data: Readable.from(
        (async function* () {
          const { stream } = await repo.objects.stream(oid);
          for await (const chunk of stream) yield chunk as Buffer;
        })(),
        { objectMode: false },
      ),
    };
  }

  /**
   * A small packed blob read by its listed id without waiting, once its
   * pack is open; verified, and a view that the next read overwrites.
   */
  readNow(_path: string, hint: ReadHint): (ReadResult & { data: Uint8Array }) | undefined {
    const objects = this.repo?.objects;
    if (!hint.oid || !(objects instanceof FileObjectStore)) return undefined;
    const packed = objects.readDeflatedNow(hint.oid, WHOLE_READ_LIMIT);
    if (packed) return packed.type === 'blob' ? { data: inflateVerified(packed.data, { size: packed.size, oid: hint.oid }) } : undefined;
    // Not a whole entry: a delta (git's packs are mostly deltas), rebuilt here when small.
    const rebuilt = objects.readSmallNow(hint.oid, WHOLE_READ_LIMIT);
    return rebuilt?.type === 'blob' ? { data: rebuilt.data } : undefined;
  }

  /** Pack order: blobs are then read in one forward pass, their neighbours served from the pack's read-ahead. */
  async readOrder(entries: ReadonlyArray<{ path: string; hint: ReadHint }>): Promise<number[]> {
    const repo = await this.openRepo();
    const objects = repo.objects;
    if (!(objects instanceof FileObjectStore)) return entries.map(() => 0);
    const packNumbers = new Map<PackFile, number>();
    const keys: number[] = [];
    for (const { hint } of entries) {
      // Without waiting once the packs are indexed (the first lookup indexes them).
      const loc = hint.oid ? (objects.packs.locateSync(hint.oid) ?? (await objects.packs.locate(hint.oid))) : null;
      if (!loc) {
        keys.push(Infinity);
        continue;
      }
      let n = packNumbers.get(loc.pack);
      if (n === undefined) packNumbers.set(loc.pack, (n = packNumbers.size));
      keys.push(n * PACK_KEY_STRIDE + loc.offset);
    }
    return keys;
  }

  private async fileOid(path: string): Promise<string> {
    const hit = await this.lookup(path);
    if (!hit) throw new FileNotFoundError(path);
    if (isTreeMode(hit.mode)) throw new IsADirectoryError(path);
    return hit.oid;
  }

  async hash(path: string): Promise<string> {
    const hit = await this.lookup(path);
    if (!hit) throw new FileNotFoundError(path);
    return hit.oid;
  }

  async writer(options: WriterOptions = {}): Promise<EndpointWriter> {
    return RefWriter.create(this.fs, options, (fs) => {
      this.committed = fs;
    });
  }
}
