/** The write methods of FS (spec/api.md §11.3), all funnelled into commitChanges. */
import * as nodeFs from 'node:fs';
import { IsADirectoryError } from './errors.js';
import { MODE_BLOB, MODE_BLOB_EXEC, MODE_LINK, resolveWriteMode } from './modes.js';
import { normalizePath } from './paths.js';
import { commitChanges, requireWritable, type CommitOptions, type StagedChanges } from './commit.js';
import type { StagedBlob } from './tree-build.js';
import type { FsModule, WriteEntry } from './types.js';
import type { FS, WriteOptions } from './fs.js';
import type { GitStore } from './gitstore.js';

function single(path: string, blob: StagedBlob): StagedChanges {
  return { writes: new Map([[path, blob]]), removes: new Set() };
}

function commitOpts(opts: { message?: string; parents?: FS[] }): CommitOptions {
  return { message: opts.message, parents: opts.parents };
}

export async function writeBytes(fs: FS, path: string, data: Uint8Array, opts: WriteOptions): Promise<FS> {
  const p = normalizePath(path);
  if (!(data instanceof Uint8Array)) throw new TypeError('write() data must be a Uint8Array (use writeText for strings)');
  const mode = resolveWriteMode(opts.mode);
  requireWritable(fs);
  const repo = await fs._repo();
  const oid = await repo.objects.write('blob', data);
  return commitChanges(fs, single(p, { oid, mode }), commitOpts(opts));
}

export async function writeSymlink(fs: FS, path: string, target: string, opts: { message?: string; parents?: FS[] }): Promise<FS> {
  const p = normalizePath(path);
  requireWritable(fs);
  const repo = await fs._repo();
  const oid = await repo.objects.write('blob', Buffer.from(target, 'utf8'));
  return commitChanges(fs, single(p, { oid, mode: MODE_LINK }), commitOpts(opts));
}

/** Mode of a local file: explicit option, else executable when any x bit is set (stat follows links). */
export async function localFileMode(store: GitStore, localPath: string, mode: string | undefined): Promise<string> {
  const st = await store._fsModule.promises.stat(localPath);
  if (st.isDirectory()) throw new IsADirectoryError(localPath);
  if (mode !== undefined) return resolveWriteMode(mode);
  return st.mode & 0o111 ? MODE_BLOB_EXEC : MODE_BLOB;
}

/** Store a local file as a blob: streamed with node:fs, read whole through a custom fs module. */
export async function storeLocalFile(store: GitStore, localPath: string): Promise<string> {
  const repo = await store._open();
  if (store._fsModule === (nodeFs as unknown as FsModule)) return (await repo.objects.writeFromFile(localPath)).oid;
  const data = await store._fsModule.promises.readFile(localPath);
  return repo.objects.write('blob', typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
}

export async function writeFromFile(fs: FS, path: string, localPath: string, opts: WriteOptions): Promise<FS> {
  const p = normalizePath(path);
  const mode = await localFileMode(fs._store, localPath, opts.mode);
  requireWritable(fs);
  const oid = await storeLocalFile(fs._store, localPath);
  return commitChanges(fs, single(p, { oid, mode }), commitOpts(opts));
}

type ApplyValue = WriteEntry | Uint8Array | string;

interface PreparedWrite {
  path: string;
  data: Uint8Array;
  mode: string;
}

/** Validate one `apply` value the way the Python original does. */
function prepare(path: string, value: ApplyValue): PreparedWrite {
  if (typeof value === 'string') return { path, data: Buffer.from(value, 'utf8'), mode: MODE_BLOB };
  if (value instanceof Uint8Array) return { path, data: value, mode: MODE_BLOB };
  if (value === null || typeof value !== 'object') {
    throw new TypeError(`apply(): unsupported value for '${path}': expected Uint8Array, string or WriteEntry`);
  }
  const hasData = value.data !== undefined && value.data !== null;
  const hasTarget = value.target !== undefined && value.target !== null;
  if (hasData && hasTarget) throw new TypeError(`WriteEntry for '${path}' cannot have both data and target`);
  if (!hasData && !hasTarget) throw new TypeError(`WriteEntry for '${path}' must have data or target`);
  if (hasTarget) {
    if (value.mode !== undefined && value.mode !== null) throw new TypeError(`WriteEntry for '${path}': mode cannot be combined with target`);
    return { path, data: Buffer.from(value.target as string, 'utf8'), mode: MODE_LINK };
  }
  const data = typeof value.data === 'string' ? Buffer.from(value.data, 'utf8') : (value.data as Uint8Array);
  return { path, data, mode: resolveWriteMode(value.mode) };
}

function removeList(removes: string | string[] | Set<string> | null | undefined): string[] {
  if (removes === null || removes === undefined) return [];
  if (typeof removes === 'string') return [removes];
  return [...removes];
}

export async function apply(
  fs: FS,
  writes: Record<string, ApplyValue> | null | undefined,
  removes: string | string[] | Set<string> | null | undefined,
  opts: { message?: string; operation?: string; parents?: FS[] },
): Promise<FS> {
  const prepared = new Map<string, PreparedWrite>();
  for (const [key, value] of Object.entries(writes ?? {})) {
    const p = normalizePath(key);
    prepared.delete(p);
    prepared.set(p, prepare(p, value));
  }
  // Removals run before writes, so removing a path that is also written is a no-op: leave it out of the report.
  const removeSet = new Set(removeList(removes).map((r) => normalizePath(r)).filter((r) => !prepared.has(r)));
  requireWritable(fs);
  const repo = await fs._repo();
  const staged: StagedChanges = { writes: new Map(), removes: removeSet };
  for (const w of prepared.values()) {
    staged.writes.set(w.path, { oid: await repo.objects.write('blob', w.data), mode: w.mode });
  }
  return commitChanges(fs, staged, { message: opts.message, operation: opts.operation, parents: opts.parents });
}
