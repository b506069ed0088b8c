/**
 * Step 1: turn source arguments into SourceRefs (cli.md §9.2-9.3): file /
 * dir / contents (trailing `/`) modes, globs with the dotfile rules, the
 * `/./` pivot, several sources. Local and repo sides differ only in a small
 * `SourceSide` adapter, so the rules are written once.
 */
import { lstatSync, statSync, type Stats } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import { diskGlob } from '../core/disk-glob.js';
import { TransferError } from '../core/errors.js';
import type { FS } from '../core/fs.js';
import { isTreeMode } from '../core/modes.js';
import type { FsModule } from '../core/types.js';
import type { Endpoint } from '../plugins/contract.js';
import { DirEndpoint } from '../plugins/dir/endpoint.js';
import { ModuleDirEndpoint } from '../plugins/dir/module-endpoint.js';
import { basenameRel, dirnameRel } from '../plugins/paths.js';
import type { PlanMessage, SourceMode, SourceRef } from './types.js';

/** What a source path is, as far as placement cares. */
export type ItemKind = 'file' | 'dir' | 'link-to-dir' | null;

export interface SourceSide {
  glob(pattern: string): Promise<string[]>;
  kindOf(path: string): Promise<ItemKind>;
  /** The endpoint (index) and the path inside it for an item copied in `mode`. */
  open(path: string, mode: SourceMode): { endpoint: number; path: string };
  notFound(path: string): Error;
  notDir(path: string): Error;
  noMatches(pattern: string): Error;
}

export function hasGlob(s: string): boolean {
  return s.includes('*') || s.includes('?');
}

/** Splits at the first `/./` after position 0 (a leading `./` is an ordinary relative path). */
export function splitPivot(s: string): { base: string; rest: string } | null {
  const i = s.indexOf('/./', 1);
  return i > 0 ? { base: s.slice(0, i), rest: s.slice(i + 3) } : null;
}

function stripTrailing(s: string): string {
  let t = s;
  while (t.length > 1 && t.endsWith('/')) t = t.slice(0, -1);
  return t;
}

/** Endpoints shared by the sources of one command; the caller appends the destination after. */
export class EndpointSet {
  readonly list: Endpoint[] = [];
  private byKey = new Map<string, number>();

  add(ep: Endpoint, key?: string): number {
    if (key !== undefined) {
      const hit = this.byKey.get(key);
      if (hit !== undefined) return hit;
      this.byKey.set(key, this.list.length);
    }
    this.list.push(ep);
    return this.list.length - 1;
  }
}

export interface ResolveOptions {
  noGlob?: boolean;
  followSymlinks?: boolean;
  ignoreErrors?: boolean;
}

export interface ResolvedSources {
  refs: SourceRef[];
  errors: PlanMessage[];
}

export async function resolveSources(side: SourceSide, args: Array<{ path: string; display: string }>, opts: ResolveOptions = {}): Promise<ResolvedSources> {
  const refs: SourceRef[] = [];
  const errors: PlanMessage[] = [];
  for (const arg of args) {
    try {
      for (const path of await expand(side, arg.path, opts)) refs.push(await resolveOne(side, path, arg.display, opts));
    } catch (e) {
      if (!opts.ignoreErrors) throw e;
      errors.push({ path: arg.display, error: (e as Error).message });
    }
  }
  return { refs, errors };
}

async function expand(side: SourceSide, path: string, opts: ResolveOptions): Promise<string[]> {
  if (opts.noGlob || !hasGlob(path)) return [path];
  const pivot = splitPivot(path);
  if (pivot && hasGlob(pivot.base)) {
    const matches = await side.glob(pivot.base);
    if (matches.length === 0) throw side.noMatches(path);
    return matches.map((m) => `${m}/./${pivot.rest}`);
  }
  if (pivot) return [path];
  const matches = await side.glob(path.replace(/\/+$/, ''));
  if (matches.length === 0) throw side.noMatches(path);
  return matches;
}

async function resolveOne(side: SourceSide, raw: string, display: string, opts: ResolveOptions): Promise<SourceRef> {
  const contents = raw.endsWith('/') && stripTrailing(raw) !== '/';
  const pivot = splitPivot(raw);
  let full: string;
  let under = '';
  let name: string;
  if (pivot) {
    const rest = stripTrailing(pivot.rest).replace(/^\/+/, '');
    full = rest ? `${pivot.base}/${rest}` : pivot.base;
    under = dirnameRel(rest);
    name = basenameRel(rest);
  } else {
    full = stripTrailing(raw);
    name = basenameRel(full);
  }
  const kind = await side.kindOf(full);
  if (kind === null) throw side.notFound(stripTrailing(raw));
  const isRootLike = name === '' || name === '.' || name === '..' || full === '/';
  if (contents || isRootLike) {
    if (kind === 'file') throw side.notDir(stripTrailing(raw));
    return { ...side.open(full, 'contents'), mode: 'contents', under, name: '', display };
  }
  if (kind === 'dir' || (kind === 'link-to-dir' && opts.followSymlinks)) {
    return { ...side.open(full, 'dir'), mode: 'dir', under, name, display };
  }
  return { ...side.open(full, 'file'), mode: 'file', under, name, display };
}

function statOrNull(call: (path: string) => Stats, path: string): Stats | null {
  try {
    return call(path);
  } catch {
    return null;
  }
}

export interface LocalOptions {
  /**
   * A non-Node fs module the local side lives in (a store opened with a
   * custom `fs`, spec/api.md §20); absent = Node's own fs and the disk endpoint.
   */
  fs?: FsModule;
}

/** The folder endpoint for an absolute root: through the caller's fs module when there is one. */
export function localFolder(root: string, display: string, repoPath: string | undefined, opts: LocalOptions = {}): Endpoint {
  return opts.fs ? new ModuleDirEndpoint(opts.fs, root, { repoPath, display }) : new DirEndpoint(root, { repoPath, display });
}

/** What a local path is, through the module's promise API (stat follows links). */
async function moduleKindOf(fsm: FsModule, abs: string): Promise<ItemKind> {
  const l = await fsm.promises.lstat(abs).catch(() => null);
  if (!l) return null;
  if (l.isDirectory()) return 'dir';
  if (l.isSymbolicLink()) return (await fsm.promises.stat(abs).catch(() => null))?.isDirectory() ? 'link-to-dir' : 'file';
  return 'file';
}

/** Blocking stats: one each, where a thread-pool trip would cost more. */
async function diskKindOf(abs: string): Promise<ItemKind> {
  const l = statOrNull(lstatSync, abs);
  if (!l) return null;
  if (l.isDirectory()) return 'dir';
  if (l.isSymbolicLink()) return statOrNull(statSync, abs)?.isDirectory() ? 'link-to-dir' : 'file';
  return 'file';
}

/** Local sources: each item gets a folder endpoint rooted at itself (dir/contents) or its folder (file). */
export function localSide(set: EndpointSet, cwd: string, repoPath: string | undefined, opts: LocalOptions = {}): SourceSide {
  const fsm = opts.fs;
  const endpointFor = (root: string, display: string): number => set.add(localFolder(root, display, repoPath, opts), `dir:${root}`);
  return {
    glob: (pattern) => (fsm ? diskGlob(fsm, pattern) : diskGlob(pattern)),
    kindOf: (p) => (fsm ? moduleKindOf(fsm, resolvePath(cwd, p)) : diskKindOf(resolvePath(cwd, p))),
    open: (p, mode) => {
      const abs = resolvePath(cwd, p);
      if (mode === 'file') return { endpoint: endpointFor(dirname(abs), dirname(p)), path: basenameRel(abs) };
      return { endpoint: endpointFor(abs, p), path: '' };
    },
    notFound: (p) => new TransferError(`Local file not found: ${p}`, p),
    notDir: (p) => new TransferError(`Not a directory: ${p}`, p),
    noMatches: (p) => new TransferError(`No matches for pattern: ${p}`, p),
  };
}

/** Repo sources: one endpoint for the snapshot, paths inside it. */
export function repoSide(fs: FS, endpoint: number): SourceSide {
  const norm = (p: string): string => p.replace(/^\/+|\/+$/g, '').split('/').filter((s) => s !== '' && s !== '.').join('/');
  return {
    glob: (pattern) => fs.glob(pattern),
    kindOf: async (p) => {
      const path = norm(p);
      if (path === '') return 'dir';
      const hit = await (await fs._repo()).lookup(fs.treeHash, path);
      if (hit.kind !== 'found') return null;
      return isTreeMode(hit.mode) ? 'dir' : 'file';
    },
    open: (p) => ({ endpoint, path: norm(p) }),
    notFound: (p) => new TransferError(`File not found in repo: ${norm(p)}`, p),
    notDir: (p) => new TransferError(`Not a directory in repo: ${norm(p)}`, p),
    noMatches: (p) => new TransferError(`No matches for pattern in repo: ${p}`, p),
  };
}
