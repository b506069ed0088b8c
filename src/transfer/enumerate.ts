/**
 * List every source into one map: destination-relative path → entry.
 * Excludes are matched relative to each source's own root (cli.md §9.9);
 * excluded folders are never entered.
 */
import { sep } from 'node:path';
import type { ExcludeFilter } from '../core/exclude.js';
import { TransferError } from '../core/errors.js';
import type { Endpoint, Entry } from '../plugins/contract.js';
import { DirEndpoint, localPathOf } from '../plugins/dir/endpoint.js';
import { ModuleDirEndpoint } from '../plugins/dir/module-endpoint.js';
import { basenameRel, joinRel } from '../plugins/paths.js';
import type { PlanMessage, SourceRef } from './types.js';

export interface SourceItem {
  /** Index of the source's endpoint. */
  source: number;
  entry: Entry;
}

export interface EnumerateOptions {
  /** With --delete the first source wins an overlap (with a warning); otherwise the last one does. */
  firstWins: boolean;
  followSymlinks?: boolean;
  checksum?: boolean;
  exclude?: ExcludeFilter | null;
  ignoreErrors?: boolean;
}

/** Where a source item is shown in messages: the local path for folders, `<display>:<path>` otherwise. */
export function describe(ep: Endpoint, path: string): string {
  if (ep instanceof DirEndpoint || ep instanceof ModuleDirEndpoint) return joinDisplay(ep.display, path);
  return path ? `:${path}` : ep.display;
}

function joinDisplay(base: string, rel: string): string {
  if (!rel) return base;
  if (base === '.' || base === '') return rel;
  return base.endsWith('/') ? base + rel : `${base}/${rel}`;
}

/**
 * Folder endpoints report skipped items by absolute path; messages name
 * local files the way the ERROR lines do, under the source as typed (cli.md §9.8).
 */
function shownLocalPath(ep: Endpoint, path: string): string {
  if (!(ep instanceof DirEndpoint || ep instanceof ModuleDirEndpoint)) return path;
  const root = ep.root.endsWith(sep) ? ep.root.slice(0, -1) : ep.root;
  if (path === root) return describe(ep, '');
  if (!path.startsWith(root + sep)) return path;
  return describe(ep, path.slice(root.length + 1).split(sep).join('/'));
}

function stripPrefix(path: string, prefix: string): string {
  return prefix === '' ? path : path === prefix ? '' : path.slice(prefix.length + 1);
}

export async function enumerateSources(
  endpoints: Endpoint[],
  sources: SourceRef[],
  opts: EnumerateOptions,
  errors: PlanMessage[],
  warnings: PlanMessage[],
): Promise<Map<string, SourceItem>> {
  const out = new Map<string, SourceItem>();
  const place = (rel: string, item: SourceItem, display: () => string): void => {
    if (rel.includes('\n') || rel.includes('\r')) {
      const err = `Invalid file name (contains a newline): ${JSON.stringify(rel)}`;
      if (!opts.ignoreErrors) throw new TransferError(err, rel);
      errors.push({ path: display(), error: err });
      return;
    }
    if (opts.firstWins && out.has(rel)) {
      warnings.push({ path: display(), error: `Overlapping destination '${rel}': skipping (kept earlier source)` });
      return;
    }
    out.set(rel, item);
  };
  for (const src of sources) {
    const ep = endpoints[src.endpoint];
    try {
      await enumerateOne(ep, src, opts, { warnings, errors }, place);
    } catch (e) {
      if (!opts.ignoreErrors || e instanceof TransferError) throw e;
      errors.push({ path: src.display, error: (e as Error).message });
    }
  }
  return out;
}

async function enumerateOne(
  ep: Endpoint,
  src: SourceRef,
  opts: EnumerateOptions,
  { warnings, errors }: { warnings: PlanMessage[]; errors: PlanMessage[] },
  place: (rel: string, item: SourceItem, display: () => string) => void,
): Promise<void> {
  const exclude = opts.exclude?.active ? opts.exclude : null;
  const onWarning = (path: string, message: string): void => {
    warnings.push({ path: shownLocalPath(ep, path), error: message });
  };
  // Under --ignore-errors an item that cannot be listed costs only itself, not its whole source.
  const onError = opts.ignoreErrors ? (path: string, message: string): void => {
    errors.push({ path: shownLocalPath(ep, path), error: message });
  } : undefined;
  if (src.mode === 'file') {
    if (exclude?.isExcluded(basenameRel(src.path) || src.name)) return;
    let found = false;
    for await (const entry of ep.list({ prefix: src.path, followSymlinks: opts.followSymlinks, checksum: opts.checksum, onWarning, onError })) {
      if (entry.path !== src.path) continue;
      found = true;
      place(joinRel(src.under, src.name), { source: src.endpoint, entry }, () => src.display);
    }
    if (!found) {
      const st = await ep.stat(src.path);
      if (st && st.kind !== 'dir') place(joinRel(src.under, src.name), { source: src.endpoint, entry: st }, () => src.display);
    }
    return;
  }
  const destDir = joinRel(src.under, src.mode === 'dir' ? src.name : '');
  const enterDir = exclude?.gitignore && ep instanceof DirEndpoint
    ? (rel: string) => exclude.enterDirectory(localPathOf(ep.root, rel), stripPrefix(rel, src.path))
    : undefined;
  const listOptions = {
    prefix: src.path,
    followSymlinks: opts.followSymlinks,
    checksum: opts.checksum,
    onWarning,
    onError,
    skipDir: exclude ? (rel: string) => exclude.isExcludedInWalk(stripPrefix(rel, src.path), true) : undefined,
    onEnterDir: enterDir,
  };
  const take = (entry: Entry): void => {
    const rel = stripPrefix(entry.path, src.path);
    if (rel === '') return;
    if (exclude?.isExcludedInWalk(rel, false)) return;
    place(joinRel(destDir, rel), { source: src.endpoint, entry }, () => describe(ep, entry.path));
  };
  // A folder's files come in one step where the endpoint can: per-file async steps would dominate a scan of a big tree.
  if (ep.listBatches) {
    for await (const batch of ep.listBatches(listOptions)) for (const entry of batch) take(entry);
  } else {
    for await (const entry of ep.list(listOptions)) take(entry);
  }
}
