/**
 * FS.copyIn / copyOut / syncIn / syncOut (spec/api.md §16.2-16.5) as thin
 * calls into the planner. Registered with core through the transfer hook
 * when the package entry is imported.
 */
import { lstat } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { finalizeChanges } from '../core/changes.js';
import { FileNotFoundError, GitStoreError, NotADirectoryError } from '../core/errors.js';
import type { FS } from '../core/fs.js';
import { normalizeOrRoot } from '../core/paths.js';
import { registerTransferOps, type CopyInOptions, type CopyOutOptions, type SyncInOptions, type SyncOutOptions } from '../core/transfer-hook.js';
import { repoFsFor } from '../core/store/repo-fs-module.js';
import type { ChangeReport } from '../core/types.js';
import { joinRel } from '../plugins/paths.js';
import { RefEndpoint } from '../plugins/ref/endpoint.js';
import { applyPlan } from './apply.js';
import { describe } from './enumerate.js';
import { planTransfer } from './plan.js';
import { planToReport } from './report.js';
import { EndpointSet, localFolder, localSide, repoSide, resolveSources, type LocalOptions, type SourceSide } from './resolve.js';
import type { TransferPlan } from './types.js';

function asList(sources: string | string[]): string[] {
  return typeof sources === 'string' ? [sources] : sources;
}

function modeType(mode: string | undefined): 'file' | 'executable' | undefined {
  if (mode === undefined) return undefined;
  if (mode === '100755' || mode === 'executable') return 'executable';
  if (mode === '100644' || mode === 'blob') return 'file';
  throw new GitStoreError(`Invalid mode for copy: ${mode}`);
}

/** The library's error types for source resolution (api.md §16.1), instead of the CLI texts. */
function libraryErrors(side: SourceSide): SourceSide {
  return {
    ...side,
    notFound: (p) => new FileNotFoundError(p),
    notDir: (p) => new NotADirectoryError(p),
    noMatches: (p) => new FileNotFoundError(p),
  };
}

/**
 * The local side goes through the store's fs module (spec/api.md §20)
 * unless that is Node's own, which keeps the disk endpoint's fast paths.
 */
function localOptions(fs: FS): LocalOptions {
  const fsModule = fs._store._fsModule;
  return repoFsFor(fsModule).native ? {} : { fs: fsModule };
}

function allFailed(report: ChangeReport): Error {
  return new Error(`All files failed to copy: ${report.errors.map((e) => `${e.path}: ${e.error}`).join('; ')}`);
}

async function copyIn(fs: FS, sources: string | string[], dest: string, opts: CopyInOptions): Promise<FS> {
  const list = asList(sources);
  const set = new EndpointSet();
  const side = libraryErrors(localSide(set, process.cwd(), fs._store._gitdir, localOptions(fs)));
  const resolved = await resolveSources(side, list.map((p) => ({ path: p, display: p })), {
    followSymlinks: opts.followSymlinks,
    ignoreErrors: opts.ignoreErrors,
  });
  if (opts.ignoreErrors && list.length > 0 && resolved.refs.length === 0) {
    throw allFailed({ add: [], update: [], delete: [], errors: resolved.errors, warnings: [] });
  }
  const destEp = new RefEndpoint(fs);
  const destIndex = set.add(destEp);
  const base = normalizeOrRoot(dest);
  const plan = await planTransfer(set.list, resolved.refs, { endpoint: destIndex, base }, {
    op: opts.operation ?? 'cp',
    delete: opts.delete,
    ignoreExisting: opts.ignoreExisting,
    checksum: opts.checksum === false ? false : opts.checksum,
    followSymlinks: opts.followSymlinks,
    exclude: opts.exclude,
    type: modeType(opts.mode),
    ignoreErrors: opts.ignoreErrors,
    errors: resolved.errors,
  });
  return finishIn(fs, set, destEp, destIndex, plan, opts);
}

async function finishIn(fs: FS, set: EndpointSet, destEp: RefEndpoint, destIndex: number, plan: TransferPlan, opts: CopyInOptions): Promise<FS> {
  const srcOf = (item: TransferPlan['items'][number]): string | undefined =>
    item.action === 'delete' ? joinRel(plan.destBase, item.path) : item.from ? describe(set.list[item.from.endpoint], item.from.path) : undefined;
  const report = planToReport(plan, { srcOf });
  if (opts.dryRun || plan.items.length === 0) {
    fs.changes = finalizeChanges(report);
    await closeAll(set);
    return fs;
  }
  try {
    const result = await applyPlan(plan, set.list, destIndex, {
      ignoreErrors: opts.ignoreErrors,
      writer: { message: opts.message, operation: plan.op || undefined, parents: (opts.parents ?? []).map((p) => p.commitHash) },
    });
    report.errors.push(...result.errors);
  } catch (e) {
    if ((e as Error).message === 'All files failed to copy') throw allFailed(report);
    throw e;
  } finally {
    await closeAll(set);
  }
  const out = destEp.committed ?? fs;
  out.changes = finalizeChanges(report);
  return out;
}

async function closeAll(set: EndpointSet): Promise<void> {
  for (const ep of set.list) await ep.close?.();
}

async function copyOut(fs: FS, sources: string | string[], dest: string, opts: CopyOutOptions): Promise<FS> {
  const list = asList(sources);
  const set = new EndpointSet();
  const srcIndex = set.add(new RefEndpoint(fs));
  const side = libraryErrors(repoSide(fs, srcIndex));
  const resolved = await resolveSources(side, list.map((p) => ({ path: p === '/' ? '' : p, display: p })), { ignoreErrors: opts.ignoreErrors });
  const destIndex = set.add(localFolder(resolvePath(dest), dest, fs._store._gitdir, localOptions(fs)));
  const plan = await planTransfer(set.list, resolved.refs, { endpoint: destIndex, base: '' }, {
    op: '',
    delete: opts.delete,
    ignoreExisting: opts.ignoreExisting,
    checksum: opts.checksum,
    ignoreErrors: opts.ignoreErrors,
    errors: resolved.errors,
  });
  return finishOut(fs, set, destIndex, plan, opts);
}

async function finishOut(fs: FS, set: EndpointSet, destIndex: number, plan: TransferPlan, opts: CopyOutOptions): Promise<FS> {
  const report = planToReport(plan, { srcOf: (i) => (i.action === 'delete' ? undefined : i.from?.path) });
  for (const d of report.delete) d.type = 'blob';
  try {
    if (!opts.dryRun) {
      const result = await applyPlan(plan, set.list, destIndex, { ignoreErrors: opts.ignoreErrors });
      report.errors.push(...result.errors);
    }
  } finally {
    await closeAll(set);
  }
  fs.changes = finalizeChanges(report);
  return fs;
}

async function isLocalDir(path: string, local: LocalOptions): Promise<boolean> {
  return (local.fs ? local.fs.promises.lstat(path) : lstat(path)).then((s) => s.isDirectory(), () => false);
}

async function syncIn(fs: FS, localPath: string, repoPath: string, opts: SyncInOptions): Promise<FS> {
  if (await isLocalDir(localPath, localOptions(fs))) {
    return copyIn(fs, [localPath.endsWith('/') ? localPath : `${localPath}/`], repoPath, { ...opts, delete: true, operation: 'sync' });
  }
  // Reference behaviour (api.md §16.4): a missing source is an empty one, so everything under repoPath goes.
  const set = new EndpointSet();
  const destEp = new RefEndpoint(fs);
  const destIndex = set.add(destEp);
  const base = normalizeOrRoot(repoPath);
  const st = await destEp.stat(base);
  if (!st) {
    fs.changes = null;
    return fs;
  }
  const wholeDir = st.kind === 'dir';
  const plan = await planTransfer(set.list, [], { endpoint: destIndex, base: wholeDir ? base : '' }, { op: wholeDir ? '' : 'sync', delete: true });
  if (!wholeDir) plan.items = plan.items.filter((i) => i.path === base);
  return finishIn(fs, set, destEp, destIndex, plan, { ...opts, operation: plan.op });
}

async function syncOut(fs: FS, repoPath: string, localPath: string, opts: SyncOutOptions): Promise<FS> {
  const base = normalizeOrRoot(repoPath);
  const ref = new RefEndpoint(fs);
  const st = await ref.stat(base);
  if (st?.kind === 'dir') return copyOut(fs, [base === '' ? '' : `${base}/`], localPath, { ...opts, delete: true });
  // Reference behaviour (api.md §16.5): a missing or non-directory repo path empties the folder.
  const set = new EndpointSet();
  const destIndex = set.add(localFolder(resolvePath(localPath), localPath, fs._store._gitdir, localOptions(fs)));
  const plan = await planTransfer(set.list, [], { endpoint: destIndex, base: '' }, { op: '', delete: true });
  if (plan.items.length === 0) {
    fs.changes = null;
    return fs;
  }
  return finishOut(fs, set, destIndex, plan, opts);
}

registerTransferOps({ copyIn, copyOut, syncIn, syncOut });
