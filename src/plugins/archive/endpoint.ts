/**
 * zip and tar archives as endpoints (`zip://docs.zip`, `tar://vendor.tar.gz`,
 * `-` for stdin/stdout): listable and readable as a source; as a destination
 * the writer produces a whole new archive in a temp file, keeps the old
 * members that were neither replaced nor removed, and renames it into place
 * on commit, so the old archive stays intact until then.
 */
import { createReadStream, existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable, type Writable } from 'node:stream';
import { UnsafeArchiveError } from '../../core/errors.js';
import type { CommitResult, DirItem, Endpoint, EndpointWriter, Entry, EntryKind, ListOptions, PutMeta, ReadResult } from '../contract.js';
import { assertSafeRelPath, isUnder } from '../paths.js';
import { emptyIndex, openTarIndex, openZipIndex, type ArchiveIndex } from './archive-index.js';
import type { ArchiveFormat } from './format.js';
import type { ArchiveLimits } from './limits.js';
import { openArchiveOutput, type ArchiveOutput } from './output.js';
import { Spool } from './spool.js';

export interface ArchiveEndpointOptions {
  /** Absolute archive path, or null for stdin (reading) / stdout (writing). */
  file: string | null;
  format: ArchiveFormat;
  display: string;
  limits: ArchiveLimits;
  /** Where spool files go. */
  spoolDir: string;
  stdin?: AsyncIterable<Buffer>;
  stdout?: Writable;
  /** A destination: a missing file is an empty archive, and stdin is never read. */
  forWrite: boolean;
}

export class ArchiveEndpoint implements Endpoint {
  readonly display: string;
  private indexPromise: Promise<ArchiveIndex> | null = null;

  constructor(private readonly opts: ArchiveEndpointOptions) {
    this.display = opts.display;
  }

  private index(): Promise<ArchiveIndex> {
    this.indexPromise ??= this.openIndex();
    return this.indexPromise;
  }

  private async openIndex(): Promise<ArchiveIndex> {
    const { file, format } = this.opts;
    if (file === null && this.opts.forWrite) return emptyIndex();
    if (file !== null && !existsSync(file)) return emptyIndex();
    const source = file !== null ? { file } : { stream: this.opts.stdin ?? (process.stdin as AsyncIterable<Buffer>) };
    const src = { source, display: this.opts.display, limits: this.opts.limits, spoolDir: this.opts.spoolDir };
    return format.kind === 'zip' ? openZipIndex(src) : openTarIndex(src);
  }

  async stat(path: string): Promise<Entry | { path: string; kind: 'dir' } | null> {
    const index = await this.index();
    if (path === '' || index.dirs.has(path)) return { path, kind: 'dir' };
    return index.get(path) ?? null;
  }

  async *list(options: ListOptions = {}): AsyncIterable<Entry> {
    const index = await this.index();
    const prefix = options.prefix ?? '';
    const skipped = new Map<string, boolean>();
    const isSkipped = (path: string): boolean => {
      if (!options.skipDir) return false;
      for (let i = path.indexOf('/', prefix ? prefix.length + 1 : 0); i !== -1; i = path.indexOf('/', i + 1)) {
        const dir = path.slice(0, i);
        let hit = skipped.get(dir);
        if (hit === undefined) skipped.set(dir, (hit = options.skipDir(dir)));
        if (hit) return true;
      }
      return false;
    };
    for (const e of index.entries) {
      if (isUnder(e.path, prefix) && !isSkipped(e.path)) yield e;
    }
  }

  async read(path: string): Promise<ReadResult> {
    return (await this.index()).read(path);
  }

  async readdir(path: string): Promise<DirItem[]> {
    const index = await this.index();
    const names = new Map<string, boolean>();
    const base = path === '' ? '' : `${path}/`;
    for (const e of index.entries) {
      if (!e.path.startsWith(base)) continue;
      const rest = e.path.slice(base.length);
      const slash = rest.indexOf('/');
      const name = slash === -1 ? rest : rest.slice(0, slash);
      names.set(name, slash !== -1 || (names.get(name) ?? false));
    }
    return [...names].map(([name, isDir]) => ({ name, isDir }));
  }

  async writer(): Promise<EndpointWriter> {
    const old = await this.index();
    const target = this.opts.file !== null ? { file: this.opts.file } : { stream: this.opts.stdout ?? process.stdout };
    const output = await openArchiveOutput(target, this.opts.format);
    return new ArchiveWriter(output, old, await Spool.create(this.opts.spoolDir));
  }

  async close(): Promise<void> {
    if (this.indexPromise) await (await this.indexPromise.catch(() => emptyIndex())).close();
  }
}

class ArchiveWriter implements EndpointWriter {
  private chain: Promise<unknown> = Promise.resolve();
  private readonly written = new Set<string>();
  private readonly writtenDirs = new Set<string>();
  private readonly removed = new Set<string>();
  private done = false;

  constructor(private readonly output: ArchiveOutput, private readonly old: ArchiveIndex, private readonly spool: Spool) {}

  /** Archive bytes must not interleave: every step runs after the previous one. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  async put(path: string, kind: EntryKind, content: Uint8Array | Readable, meta: PutMeta = {}): Promise<void> {
    assertSafeRelPath(path);
    if (this.written.has(path)) throw new UnsafeArchiveError(`Duplicate entry in archive: ${path}`);
    this.written.add(path);
    // A stream is spooled first: its size must be known (tar), and a source
    // failing midway must not leave half an entry in the archive.
    let body: Uint8Array | { file: string; size: number };
    try {
      if (kind === 'symlink') body = Buffer.from(meta.target ?? Buffer.from(await toBuffer(content)).toString('utf8'), 'utf8');
      else if (content instanceof Uint8Array) body = content;
      else {
        const { path: file, size } = await this.spool.file(content);
        body = { file, size };
      }
    } catch (e) {
      // The old member (if any) stays: nothing replaced it.
      this.written.delete(path);
      throw e;
    }
    for (let i = path.indexOf('/'); i !== -1; i = path.indexOf('/', i + 1)) this.writtenDirs.add(path.slice(0, i));
    const mtimeMs = meta.mtimeMs ?? Date.now();
    await this.serial(async () => {
      if (body instanceof Uint8Array) {
        const target = kind === 'symlink' ? Buffer.from(body).toString('utf8') : undefined;
        await this.output.add({ path, kind, size: body.length, mtimeMs, ...(target !== undefined ? { target } : {}) }, body);
        return;
      }
      try {
        await this.output.add({ path, kind, size: body.size, mtimeMs }, createReadStream(body.file));
      } finally {
        await rm(body.file, { force: true });
      }
    });
  }

  async remove(path: string): Promise<void> {
    assertSafeRelPath(path);
    this.removed.add(path);
  }

  /** Old members survive unless removed, rewritten, or in the way of a rewritten path. */
  private keeps(path: string): boolean {
    if (this.written.has(path) || this.writtenDirs.has(path)) return false;
    for (let i = path.indexOf('/'); i !== -1; i = path.indexOf('/', i + 1)) {
      const dir = path.slice(0, i);
      if (this.written.has(dir) || this.removed.has(dir)) return false;
    }
    return !this.removed.has(path);
  }

  async commit(): Promise<CommitResult> {
    await this.serial(async () => {
      for (const e of this.old.entries) {
        if (!this.keeps(e.path)) continue;
        const { data } = await this.old.read(e.path);
        await this.output.add(
          { path: e.path, kind: e.kind, size: e.size, mtimeMs: e.mtimeMs ?? Date.now(), ...(e.target !== undefined ? { target: e.target } : {}) },
          e.kind === 'symlink' ? undefined : data,
        );
      }
      this.done = true;
      await this.output.finish();
    });
    await this.spool.dispose();
    return { commit: null };
  }

  async abort(): Promise<void> {
    await this.chain;
    if (!this.done) await this.output.abort();
    await this.spool.dispose();
  }
}

async function toBuffer(content: Uint8Array | Readable): Promise<Uint8Array> {
  if (content instanceof Uint8Array) return content;
  const chunks: Buffer[] = [];
  for await (const c of content) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}
