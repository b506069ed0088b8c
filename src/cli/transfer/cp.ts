/**
 * `vost cp` (cli.md §9): direction, validation order, single-file rules,
 * source resolution and dry-run line formats, then the shared job runner.
 */
import { lstat, stat } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import type { GitStore } from '../../core/gitstore.js';
import { CliError } from '../errors.js';
import { checkMessageTemplate, resolveParents, type TagOptions } from '../message.js';
import { normalizeRepoPath, type RepoPathArg } from '../refpath.js';
import { checkPathConflicts, resolveWriteBranch, type SnapshotFlags } from '../snapshot.js';
import { RefEndpoint } from '../../plugins/ref/endpoint.js';
import { basenameRel, dirnameRel, joinRel } from '../../plugins/paths.js';
import { EndpointSet, hasGlob, localSide, repoSide, resolveSources, splitPivot, type ResolvedSources } from '../../transfer/resolve.js';
import type { TransferPlan } from '../../transfer/types.js';
import { buildExclude, checkMaxDelete, classifyArg, hasReadFilters, type ExcludeFlags, type TransferArg } from './args.js';
import { repoToRepoOrder } from './order.js';
import { localDest, pluginEndpoint, repoSourcePath, SnapshotCache } from './endpoints.js';
import { runJob, type Job, type RepoDestination, type TransferIO } from './job.js';

export interface CpFlags extends SnapshotFlags, ExcludeFlags, TagOptions {
  message?: string;
  type?: string;
  mode?: string;
  'follow-symlinks'?: boolean;
  'dry-run'?: boolean;
  'ignore-existing'?: boolean;
  delete?: boolean;
  'ignore-errors'?: boolean;
  checksum?: boolean;
  'no-glob'?: boolean;
  'no-create'?: boolean;
  parent?: string[];
  'max-delete'?: number;
}

export interface TransferHost extends TransferIO {
  openStore(options: { create: boolean; branch?: string }): Promise<GitStore>;
  cwd: string;
}

type Direction = 'in' | 'out' | 'repo' | 'between';

const isRepo = (a: TransferArg): a is RepoPathArg => a.kind === 'repo';

function direction(srcs: TransferArg[], dest: TransferArg): Direction {
  const repoSrcs = srcs.filter(isRepo).length;
  const mixed = repoSrcs > 0 && repoSrcs < srcs.length;
  if (mixed) {
    throw new CliError(
      isRepo(dest) ? 'Mixed local and repo sources are not supported — use separate cp commands' : 'All source paths must be the same type (all repo or all local)',
    );
  }
  if (repoSrcs > 0) return isRepo(dest) ? 'repo' : 'out';
  if (isRepo(dest)) return 'in';
  if (srcs.every((a) => a.kind === 'local') && dest.kind === 'local') {
    throw new CliError("Neither sources nor DEST is a repo path — prefix repo paths with ':'");
  }
  return 'between';
}

export function typeFlag(flags: { type?: string; mode?: string }): 'file' | 'executable' | undefined {
  const t = flags.type ?? (flags.mode === '755' ? 'executable' : flags.mode === '644' ? 'blob' : undefined);
  return t === 'executable' ? 'executable' : t === 'blob' ? 'file' : undefined;
}

/** What the command line resolved to, before planning. */
interface CpContext {
  host: TransferHost;
  flags: CpFlags;
  dir: Direction;
  srcs: TransferArg[];
  dest: TransferArg;
  set: EndpointSet;
  repoDir?: string;
  snaps: SnapshotCache | null;
  single: boolean;
  ignoreErrors: boolean;
}

interface CpDestination {
  destIndex: number;
  destBase: string;
  lines: (plan: TransferPlan) => string[];
  /** The -v line after a real run (cli.md §9.11). */
  done: string;
}

const MARKS = { add: '+', update: '~', delete: '-' } as const;

export async function runCp(host: TransferHost, argv: string[], flags: CpFlags): Promise<number> {
  if (argv.length < 2) throw new CliError('cp requires at least two arguments (SRC... DEST)');
  const args = argv.map(classifyArg);
  const dest = args[args.length - 1];
  const srcs = args.slice(0, -1);
  const dir = direction(srcs, dest);
  checkPathConflicts(args.filter(isRepo), flags);
  if ((dir === 'in' || dir === 'between') && hasReadFilters(flags)) {
    throw new CliError('--ref/--path/--match/--before only apply when reading from repo');
  }
  if (flags.tag !== undefined && dir !== 'in') throw new CliError('--tag only applies when writing to repo (disk -> repo)');
  checkMaxDelete(flags['max-delete']);
  checkMessageTemplate(flags.message);
  const exclude = buildExclude(flags);
  const dryRun = !!flags['dry-run'];
  // repo → repo reads objects that exist by construction: the flag is accepted and changes nothing (cli.md §9.8).
  const ignoreErrors = !!flags['ignore-errors'] && dir !== 'repo';
  const store = dir === 'between' ? null : await host.openStore({ create: dir === 'in' && !dryRun && !flags['no-create'], branch: flags.branch });
  const set = new EndpointSet();
  const repoDest = isRepo(dest) && store ? await openRepoDest(store, dest, flags) : undefined;
  const snaps = store ? new SnapshotCache(store, flags, set) : null;
  const single = await singleFileSource(srcs, dir, snaps, flags);
  if (single && flags.delete) throw new CliError('Cannot use --delete with a single file source.');
  const ctx: CpContext = { host, flags, dir, srcs, dest, set, repoDir: store?._gitdir, snaps, single, ignoreErrors };
  const resolved = await resolveCpSources(ctx);
  const target = repoDest ? await repoDestination(ctx, repoDest, resolved) : await otherDestination(ctx, resolved);
  const job: Job = {
    set,
    refs: resolved.refs,
    resolveErrors: resolved.errors,
    destIndex: target.destIndex,
    destBase: target.destBase,
    repo: repoDest,
    plan: {
      op: 'cp',
      delete: flags.delete,
      ignoreExisting: flags['ignore-existing'],
      checksum: flags.checksum,
      followSymlinks: flags['follow-symlinks'],
      exclude,
      type: typeFlag(flags),
      ignoreErrors,
    },
    dryRun,
    dryRunLines: target.lines,
    message: flags.message,
    parents: store && repoDest && !dryRun ? await resolveParents(store, flags.parent) : [],
    tag: flags,
    maxDelete: flags['max-delete'],
    ignoreErrors,
    singleFile: single && resolved.refs.length === 1,
  };
  const code = await runJob(host, job);
  if (!dryRun) host.verbose(target.done);
  return code;
}

/** Repo sources resolve in their snapshots; local ones each get a folder endpoint; plugin URLs are poured in whole. */
async function resolveCpSources(ctx: CpContext): Promise<ResolvedSources> {
  const { flags } = ctx;
  const opts = { noGlob: flags['no-glob'], followSymlinks: flags['follow-symlinks'], ignoreErrors: ctx.ignoreErrors };
  const resolved: ResolvedSources = { refs: [], errors: [] };
  const add = (r: ResolvedSources): void => {
    resolved.refs.push(...r.refs);
    resolved.errors.push(...r.errors);
  };
  for (const a of ctx.srcs) {
    if (isRepo(a)) {
      const { fs, endpoint } = await ctx.snaps!.get(a);
      add(await resolveSources(repoSide(fs, endpoint), [{ path: repoSourcePath(a), display: a.raw }], opts));
    } else if (a.kind === 'plugin') {
      const endpoint = await pluginEndpoint(ctx.set, a.spec, ctx.host.cwd, false, ctx.repoDir);
      resolved.refs.push({ endpoint, path: '', mode: 'contents', under: '', name: '', display: a.raw });
    } else {
      add(await resolveSources(localSide(ctx.set, ctx.host.cwd, ctx.repoDir), [{ path: a.path, display: a.raw }], opts));
    }
  }
  return resolved;
}

async function repoDestination(ctx: CpContext, repoDest: RepoDestination, resolved: ResolvedSources): Promise<CpDestination> {
  const destIndex = ctx.set.add(repoDest.endpoint);
  const dest = ctx.dest as RepoPathArg;
  const base = normalizeRepoPath(dest.path, { allowRoot: true });
  if (ctx.single && resolved.refs.length === 1) {
    const target = await singleRepoTarget(repoDest, base, dest.path.endsWith('/'), resolved.refs[0].name);
    resolved.refs[0].name = basenameRel(target);
    const line = `${ctx.srcs[0].raw} -> :${target}`;
    return { destIndex, destBase: dirnameRel(target), lines: (plan) => (plan.items.length || plan.unchanged ? [line] : []), done: `Copied -> :${target}` };
  }
  // repo → repo lists deletions, then each source's files in tree-walk order (cli.md §9.10); the other directions interleave by path.
  const ordered = (plan: TransferPlan) => (ctx.dir === 'repo' ? repoToRepoOrder(plan.items, resolved.refs, !!ctx.flags.delete) : plan.items);
  return {
    destIndex,
    destBase: base,
    lines: (plan) => ordered(plan).map((i) => `${MARKS[i.action]} :${joinRel(plan.destBase, i.path)}`),
    done: `Copied -> :${base || '/'}`,
  };
}

async function otherDestination(ctx: CpContext, resolved: ResolvedSources): Promise<CpDestination> {
  const { dest, set, host, repoDir } = ctx;
  if (dest.kind === 'plugin') {
    const destIndex = await pluginEndpoint(set, dest.spec, host.cwd, true, repoDir);
    return { destIndex, destBase: '', lines: (plan) => plan.items.map((i) => `${MARKS[i.action]} ${dest.raw.replace(/\/+$/, '')}/${i.path}`), done: `Copied -> ${dest.raw}` };
  }
  const destPath = (dest as { path: string }).path;
  if (ctx.single && resolved.refs.length === 1) {
    const target = await singleLocalTarget(host.cwd, destPath, resolved.refs[0].name);
    resolved.refs[0].name = target.slice(target.lastIndexOf('/') + 1);
    const line = `:${normalizeRepoPath((ctx.srcs[0] as RepoPathArg).path)} -> ${target}`;
    const destIndex = localDest(set, host.cwd, dirnameLocal(target), repoDir);
    return { destIndex, destBase: '', lines: (plan) => (plan.items.length || plan.unchanged ? [line] : []), done: `Copied ${line}` };
  }
  const prefix = destPath.endsWith('/') ? destPath : `${destPath}/`;
  const destIndex = localDest(set, host.cwd, destPath, repoDir);
  return { destIndex, destBase: '', lines: (plan) => plan.items.map((i) => `${MARKS[i.action]} ${prefix}${i.path}`), done: `Copied -> ${dest.raw}` };
}

async function openRepoDest(store: GitStore, dest: RepoPathArg, flags: CpFlags): Promise<RepoDestination> {
  const branch = await resolveWriteBranch(store, dest, { command: 'cp', branch: flags.branch });
  return { store, branch, endpoint: new RefEndpoint(branch, { display: `${dest.ref}:` }) };
}

/** cli.md §9.4: one source, no glob, no trailing `/`, no pivot, and it is a file. */
async function singleFileSource(srcs: TransferArg[], dir: Direction, snaps: SnapshotCache | null, flags: CpFlags): Promise<boolean> {
  if (srcs.length !== 1 || dir === 'between') return false;
  const a = srcs[0];
  const p = a.kind === 'plugin' ? '' : a.path;
  if (a.kind === 'plugin' || p === '' || p.endsWith('/') || splitPivot(p) || (!flags['no-glob'] && hasGlob(p))) return false;
  if (a.kind === 'local') return stat(p).then((s) => s.isFile(), () => false);
  const normalized = normalizeRepoPath(p, { allowRoot: true });
  if (normalized === '') return false;
  const { fs } = await snaps!.get(a);
  const hit = await (await fs._repo()).lookup(fs.treeHash, normalized);
  return hit.kind !== 'found' || hit.mode !== '040000';
}

/** DEST empty → basename at the root; an existing directory or a trailing `/` → DEST/basename; else DEST itself. */
async function singleRepoTarget(dest: RepoDestination, base: string, slash: boolean, name: string): Promise<string> {
  if (base === '' || slash) return joinRel(base, name);
  const st = await dest.endpoint.stat(base);
  return st?.kind === 'dir' ? joinRel(base, name) : base;
}

async function singleLocalTarget(cwd: string, dest: string, name: string): Promise<string> {
  if (dest.endsWith('/')) return `${dest}${name}`;
  const st = await lstat(resolvePath(cwd, dest)).catch(() => null);
  return st?.isDirectory() ? `${dest}/${name}` : dest;
}

function dirnameLocal(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '.' : i === 0 ? '/' : p.slice(0, i);
}
