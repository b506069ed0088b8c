/**
 * Step 2: compare the sources with the destination and classify every path
 * as add, update, delete or unchanged. Change detection is exact: object ids
 * are compared when both sides have them (repo entries, cached folder
 * stats); otherwise the side without one is hashed. Kinds (file,
 * executable, symlink) are compared too.
 */
import type { ExcludeFilter } from '../core/exclude.js';
import type { Endpoint, Entry, EntryKind } from '../plugins/contract.js';
import { blobIdOf, blobIdOfContent } from '../plugins/hash.js';
import { basenameRel, dirnameRel, joinRel } from '../plugins/paths.js';
import { RefEndpoint } from '../plugins/ref/endpoint.js';
import { enumerateSources, type SourceItem } from './enumerate.js';
import { listRepoDestination } from './repo-dest.js';
import { compareBytes } from '../core/objects/tree.js';
import { sourceTrees } from './tree-ids.js';
import type { PlanItem, PlanMessage, SourceRef, TransferPlan } from './types.js';

export interface PlanOptions {
  /** Operation name for commit messages ('cp', 'sync'). */
  op: string;
  /** Also delete destination files the sources do not produce (rsync --delete). */
  delete?: boolean;
  /** Never touch a path that exists at the destination. */
  ignoreExisting?: boolean;
  /** Ignore cached ids and hash every file that needs comparing. */
  checksum?: boolean;
  followSymlinks?: boolean;
  exclude?: ExcludeFilter | null;
  /** Force the kind of every regular file written (--type). */
  type?: 'file' | 'executable';
  ignoreErrors?: boolean;
  /** Carried into the plan's errors (source arguments that failed to resolve). */
  errors?: PlanMessage[];
  warnings?: PlanMessage[];
}

export interface Destination {
  endpoint: number;
  /** Folder inside the endpoint ('' = root). */
  base: string;
}

const HASH_CONCURRENCY = 8;
/** Up to this many source files a copy without --delete looks destination paths up one by one. */
const LOOKUP_MAX = 64;

/** Code-point order (UTF-8 byte order), as the spec sorts paths. */
export const comparePaths = compareBytes;

export async function oidOf(ep: Endpoint, entry: Entry): Promise<string> {
  if (entry.oid) return entry.oid;
  if (entry.kind === 'symlink' && entry.target !== undefined) return blobIdOf(Buffer.from(entry.target));
  if (ep.hash) return ep.hash(entry.path);
  const { data } = await ep.read(entry.path);
  return blobIdOfContent(data, entry.kind === 'symlink' ? undefined : entry.size);
}

/** The destination's files under `base`; its folders below `base` go into `folders` when given (for pruning). */
async function listDestination(ep: Endpoint, base: string, checksum: boolean, folders?: string[]): Promise<Map<string, Entry>> {
  const out = new Map<string, Entry>();
  const st = base === '' ? { kind: 'dir' as const } : await ep.stat(base);
  if (!st || st.kind !== 'dir') return out;
  const onEnterDir = folders ? async (dir: string) => {
    const rel = base === '' ? dir : dir.slice(base.length + 1);
    if (rel) folders.push(rel);
  } : undefined;
  for await (const e of ep.list({ prefix: base, checksum, onEnterDir })) {
    const rel = base === '' ? e.path : e.path.slice(base.length + 1);
    if (rel) out.set(rel, e);
  }
  return out;
}

/**
 * Without --delete only the paths the sources write matter. For a few of
 * them (a single-file copy, whose destination folder is the target's parent,
 * maybe a home folder) each is looked up instead of listing the whole folder.
 */
async function lookupDestination(ep: Endpoint, base: string, rels: Iterable<string>, checksum: boolean): Promise<{ files: Map<string, Entry>; dirs: Set<string> }> {
  const files = new Map<string, Entry>();
  const dirs = new Set<string>();
  for (const rel of rels) {
    const path = joinRel(base, rel);
    const st = await ep.stat(path);
    if (!st) continue;
    if (st.kind === 'dir') {
      dirs.add(rel);
      continue;
    }
    // A one-path listing carries what the endpoint knows for free (a cached blob id); stat does not.
    let entry: Entry = st;
    for await (const e of ep.list({ prefix: path, checksum })) if (e.path === path) entry = e;
    files.set(rel, entry);
  }
  return { files, dirs };
}

export async function planTransfer(endpoints: Endpoint[], sources: SourceRef[], dest: Destination, opts: PlanOptions): Promise<TransferPlan> {
  const errors: PlanMessage[] = [...(opts.errors ?? [])];
  const warnings: PlanMessage[] = [...(opts.warnings ?? [])];
  const srcMap = await enumerateSources(
    endpoints,
    sources,
    { firstWins: !!opts.delete, followSymlinks: opts.followSymlinks, checksum: opts.checksum, exclude: opts.exclude, ignoreErrors: opts.ignoreErrors },
    errors,
    warnings,
  );
  const destEp = endpoints[dest.endpoint];
  // Identical subtrees are skipped, which leaves destMap without them: only exact for plain comparisons.
  const trees = destEp instanceof RefEndpoint && !opts.ignoreExisting ? sourceTrees(srcMap, (s) => writtenKind(s.entry.kind, opts.type)) : null;
  let destMap: Map<string, Entry>;
  let foundDirs: Set<string> | null = null;
  // A mirror into a folder also removes the folders it leaves empty.
  const folders: string[] | null = opts.delete && !trees ? [] : null;
  if (trees) destMap = await listRepoDestination(destEp as RefEndpoint, dest.base, trees);
  else if (!opts.delete && srcMap.size <= LOOKUP_MAX) {
    const found = await lookupDestination(destEp, dest.base, srcMap.keys(), !!opts.checksum);
    destMap = found.files;
    foundDirs = found.dirs;
  } else destMap = await listDestination(destEp, dest.base, !!opts.checksum, folders ?? undefined);
  // Folders at the destination (for --ignore-existing), derived once from its files when first asked.
  const folderAt = (rel: string): boolean => (foundDirs ??= dirsOf(destMap.keys())).has(rel);

  const items: PlanItem[] = [];
  const toCompare: Array<[string, SourceItem, Entry, EntryKind]> = [];
  let unchanged = 0;
  const consider = (rel: string, s: SourceItem): void => {
    const d = destMap.get(rel);
    if (opts.ignoreExisting && (d || folderAt(rel))) return;
    if (!d) items.push(itemFor('add', rel, writtenKind(s.entry.kind, opts.type), s));
    else toCompare.push([rel, s, d, writtenKind(s.entry.kind, opts.type)]);
  };
  if (trees) {
    // Folders identical in the destination hold only unchanged files.
    for (const dir of trees.values()) {
      if (dir.same) unchanged += dir.items.length;
      else for (const rel of dir.items) consider(rel, srcMap.get(rel)!);
    }
  } else {
    for (const [rel, s] of srcMap) consider(rel, s);
  }
  // Most pairs carry ids on both sides (repo listings, cached stats): decide those without scheduling work.
  const needHash: typeof toCompare = [];
  for (const pair of toCompare) {
    const [rel, s, d, kind] = pair;
    const quick = quickDiffers(s.entry, d, kind);
    if (quick === undefined) needHash.push(pair);
    else if (quick) items.push(itemFor('update', rel, kind, s));
    else unchanged++;
  }
  await forEachLimit(needHash, HASH_CONCURRENCY, async ([rel, s, d, kind]) => {
    if (await differs(endpoints[s.source], s.entry, destEp, d, kind)) items.push(itemFor('update', rel, kind, s));
    else unchanged++;
  });
  if (opts.delete) items.push(...deletions(srcMap, destMap, items, opts.exclude));
  const prune = folders?.length ? emptiedFolders(folders, destMap, items, opts.exclude) : [];
  items.sort((a, b) => comparePaths(a.path, b.path));
  return { op: opts.op, destBase: dest.base, items, prune, unchanged, errors, warnings, sourceFiles: srcMap.size };
}

function dirsOf(paths: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const rel of paths) for (let d = dirnameRel(rel); d && !out.has(d); d = dirnameRel(d)) out.add(d);
  return out;
}

function writtenKind(kind: EntryKind, type?: 'file' | 'executable'): EntryKind {
  return type && kind !== 'symlink' ? type : kind;
}

function itemFor(action: 'add' | 'update', rel: string, kind: EntryKind, s: SourceItem): PlanItem {
  const e = s.entry;
  const from: NonNullable<PlanItem['from']> = { endpoint: s.source, path: e.path };
  if (e.oid) from.oid = e.oid;
  if (e.target !== undefined) from.target = e.target;
  if (e.mtimeMs !== undefined) from.mtimeMs = e.mtimeMs;
  return { action, path: rel, kind, size: e.size, from };
}

/** The answer when it needs no hashing, else undefined. */
function quickDiffers(s: Entry, d: Entry, kind: EntryKind): boolean | undefined {
  if (kind !== d.kind) return true;
  if (kind === 'symlink' && s.target !== undefined && d.target !== undefined) return s.target !== d.target;
  if (s.oid && d.oid) return s.oid !== d.oid;
  return undefined;
}

async function differs(srcEp: Endpoint, s: Entry, destEp: Endpoint, d: Entry, kind: EntryKind): Promise<boolean> {
  if (kind !== d.kind) return true;
  if (kind === 'symlink' && s.target !== undefined && d.target !== undefined) return s.target !== d.target;
  try {
    const [a, b] = await Promise.all([oidOf(srcEp, s), oidOf(destEp, d)]);
    return a !== b;
  } catch {
    return true;
  }
}

/** Destination files no source produced, minus excluded ones and those a write replaces anyway. */
function deletions(srcMap: Map<string, SourceItem>, destMap: Map<string, Entry>, writes: PlanItem[], exclude?: ExcludeFilter | null): PlanItem[] {
  if (destMap.size === 0) return [];
  const writeDirs = new Set<string>();
  const writePaths = new Set<string>();
  for (const w of writes) {
    writePaths.add(w.path);
    for (let d = dirnameRel(w.path); d; d = dirnameRel(d)) writeDirs.add(d);
  }
  const out: PlanItem[] = [];
  for (const [rel, d] of destMap) {
    if (srcMap.has(rel)) continue;
    if (exclude?.active && isProtected(rel, exclude)) continue;
    if (writeDirs.has(rel)) continue;
    if (ancestors(rel).some((a) => writePaths.has(a))) continue;
    out.push({ action: 'delete', path: rel, kind: d.kind, size: d.size });
  }
  return out;
}

function ancestors(rel: string): string[] {
  const out: string[] = [];
  for (let d = dirnameRel(rel); d; d = dirnameRel(d)) out.push(d);
  return out;
}

/** rsync/git semantics: a file is protected when it or any folder above it is excluded. */
function isProtected(rel: string, exclude: ExcludeFilter): boolean {
  // --gitignore leaves `.gitignore` files out of the copy without protecting them: the destination's go (cli.md §10.3).
  const own = exclude.gitignore && basenameRel(rel) === '.gitignore' ? exclude.isExcluded(rel) : exclude.isExcludedInWalk(rel, false);
  if (own) return true;
  return ancestors(rel).some((a) => exclude.isExcludedInWalk(a, true));
}

async function forEachLimit<T>(items: T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Of the destination's `folders` (relative to DEST, without DEST itself),
 * those holding no file once `items` are applied, deepest first (cli.md
 * §9.7: a mirror into a folder prunes the folders it leaves empty). Folders
 * the excludes protect, themselves or through a parent, stay, as their
 * files would under --delete.
 */
function emptiedFolders(folders: readonly string[], destFiles: Map<string, Entry>, items: readonly PlanItem[], exclude?: ExcludeFilter | null): string[] {
  const deleted = new Set(items.filter((i) => i.action === 'delete').map((i) => i.path));
  const kept = [...destFiles.keys()].filter((rel) => !deleted.has(rel));
  const held = dirsOf([...kept, ...items.filter((i) => i.action !== 'delete').map((i) => i.path)]);
  const guard = exclude?.active ? exclude : null;
  const guarded = (dir: string): boolean => !!guard && [dir, ...ancestors(dir)].some((d) => guard.isExcludedInWalk(d, true));
  return folders
    .filter((d) => !held.has(d) && !guarded(d))
    .sort((a, b) => b.split('/').length - a.split('/').length);
}
