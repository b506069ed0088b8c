/**
 * `vost sync` (cli.md §10): `cp --delete` with the source in contents mode,
 * in any direction. A missing or non-directory source is an error (the
 * spec's recommendation), never an empty source that wipes the destination.
 */
import { CliError } from '../errors.js';
import { checkMessageTemplate, resolveParents } from '../message.js';
import { normalizeRepoPath, type RepoPathArg } from '../refpath.js';
import { checkPathConflicts, currentBranch, resolveWriteBranch } from '../snapshot.js';
import { RefEndpoint } from '../../plugins/ref/endpoint.js';
import { joinRel } from '../../plugins/paths.js';
import { EndpointSet, localSide, repoSide, resolveSources, type ResolvedSources } from '../../transfer/resolve.js';
import type { GitStore } from '../../core/gitstore.js';
import type { TransferPlan } from '../../transfer/types.js';
import { buildExclude, checkMaxDelete, classifyArg, hasReadFilters, type TransferArg } from './args.js';
import { typeFlag, type CpFlags, type TransferHost } from './cp.js';
import { localDest, pluginEndpoint, repoSourcePath, SnapshotCache } from './endpoints.js';
import { runJob, type RepoDestination } from './job.js';

export interface SyncFlags extends CpFlags {
  watch?: boolean;
  debounce?: number;
  reconcile?: number;
  quiet?: boolean;
}

/** What sync hands to the watcher (see src/transfer/watch/options.ts). */
export interface WatchRequest {
  repo: string;
  branch: string;
  direction: 'in' | 'out';
  local: string;
  repoPath: string;
}

const isRepo = (a: TransferArg): a is RepoPathArg => a.kind === 'repo';
const marks = { add: '+', update: '~', delete: '-' } as const;

function parseArgs(argv: string[]): { src: TransferArg; dest: TransferArg } {
  if (argv.length === 0 || argv.length > 2) throw new CliError('sync requires 1 or 2 arguments');
  if (argv.length === 1) {
    const src = classifyArg(argv[0]);
    if (isRepo(src)) throw new CliError('Single-argument sync must be a local path, not a repo path');
    return { src, dest: { kind: 'repo', ref: '', back: 0, path: '', raw: ':' } };
  }
  const src = classifyArg(argv[0]);
  const dest = classifyArg(argv[1]);
  if (src.kind === 'local' && dest.kind === 'local') throw new CliError("Neither argument is a repo path — prefix repo paths with ':'");
  return { src, dest };
}

function validate(src: TransferArg, dest: TransferArg, flags: SyncFlags): void {
  const inbound = !isRepo(src) && isRepo(dest);
  if (!isRepo(src) && hasReadFilters(flags)) throw new CliError('--ref/--path/--match/--before only apply when reading from repo');
  if (flags.tag !== undefined && !inbound) throw new CliError('--tag only applies when writing to repo (disk → repo)');
  if (flags.gitignore && !inbound) throw new CliError('--gitignore only applies when syncing from disk to repo');
  // Only a read side is checked (cli.md §10.1): an explicit ref on a disk → repo destination simply names the branch.
  if (isRepo(src)) checkPathConflicts([src, dest].filter(isRepo), flags);
  if (flags.watch && flags['dry-run']) throw new CliError('--watch and --dry-run are incompatible');
  if (flags.watch && !((src.kind === 'local' && isRepo(dest)) || (isRepo(src) && dest.kind === 'local'))) {
    throw new CliError('--watch only supports disk → repo (and repo → disk)');
  }
  if (flags.watch && (flags.debounce ?? 2000) < 100) throw new CliError('--debounce must be at least 100 ms');
}

/** Returns the exit status, or a watch request when --watch was given (the command starts the watcher). */
export async function runSync(host: TransferHost, argv: string[], flags: SyncFlags): Promise<number | WatchRequest> {
  const { src, dest } = parseArgs(argv);
  validate(src, dest, flags);
  checkMaxDelete(flags['max-delete']);
  checkMessageTemplate(flags.message);
  const exclude = buildExclude(flags);
  const dryRun = !!flags['dry-run'];
  const needsRepo = isRepo(src) || isRepo(dest);
  const inbound = !isRepo(src) && isRepo(dest);
  // repo → repo: --ignore-errors is accepted and changes nothing (cli.md §10.4).
  const ignoreErrors = !!flags['ignore-errors'] && !(isRepo(src) && isRepo(dest));
  const store = needsRepo ? await host.openStore({ create: inbound && !dryRun && !flags['no-create'], branch: flags.branch }) : null;
  const repoDir = store?._gitdir;
  const set = new EndpointSet();
  let repoDest: RepoDestination | undefined;
  if (isRepo(dest) && store) {
    const branch = await resolveWriteBranch(store, dest, { command: 'sync', branch: flags.branch });
    repoDest = { store, branch, endpoint: new RefEndpoint(branch, { display: `${dest.ref}:` }) };
  }
  if (flags.watch && store) {
    const branch = isRepo(dest) ? repoDest!.branch.refName! : (src as RepoPathArg).ref || flags.branch || (await currentBranch(store));
    const repoArg = (isRepo(dest) ? dest : src) as RepoPathArg;
    const localArg = (isRepo(dest) ? src : dest) as { path: string };
    return { repo: repoDir!, branch, direction: inbound ? 'in' : 'out', local: localArg.path, repoPath: normalizeRepoPath(repoArg.path, { allowRoot: true }) };
  }
  const resolved = await resolveSyncSource(host, src, set, store, flags);
  const { destIndex, destBase, lines, shown } = await syncDestination(host, dest, set, repoDest, repoDir);
  const code = await runJob(host, {
    set,
    refs: resolved.refs,
    resolveErrors: resolved.errors,
    destIndex,
    destBase,
    repo: repoDest,
    plan: {
      op: 'sync',
      delete: true,
      checksum: flags.checksum,
      exclude,
      type: typeFlag(flags),
      ignoreErrors,
      followSymlinks: flags['follow-symlinks'],
    },
    dryRun,
    dryRunLines: isRepo(src) && isRepo(dest) ? (plan) => repoToRepoLines(lines(plan)) : lines,
    message: flags.message,
    parents: store && repoDest && !dryRun ? await resolveParents(store, flags.parent) : [],
    tag: flags,
    maxDelete: flags['max-delete'],
    ignoreErrors,
  });
  if (!dryRun) host.verbose(`Synced -> ${shown}`);
  return code;
}

/** The source in contents mode; missing or non-directory sources fail (no "empty source" deletes). */
async function resolveSyncSource(host: TransferHost, src: TransferArg, set: EndpointSet, store: GitStore | null, flags: SyncFlags): Promise<ResolvedSources> {
  const opts = { noGlob: true, ignoreErrors: false };
  if (isRepo(src)) {
    const { fs, endpoint } = await new SnapshotCache(store!, flags, set).get(src);
    const path = repoSourcePath(src).replace(/\/+$/, '');
    return resolveSources(repoSide(fs, endpoint), [{ path: path === '' ? '' : `${path}/`, display: src.raw }], opts);
  }
  if (src.kind === 'plugin') {
    const endpoint = await pluginEndpoint(set, src.spec, host.cwd, false, store?._gitdir);
    return { refs: [{ endpoint, path: '', mode: 'contents', under: '', name: '', display: src.raw }], errors: [] };
  }
  const path = src.path.endsWith('/') ? src.path : `${src.path}/`;
  return resolveSources(localSide(set, host.cwd, store?._gitdir), [{ path, display: src.raw }], opts);
}

async function syncDestination(
  host: TransferHost,
  dest: TransferArg,
  set: EndpointSet,
  repoDest: RepoDestination | undefined,
  repoDir: string | undefined,
): Promise<{ destIndex: number; destBase: string; lines: (plan: TransferPlan) => string[]; shown: string }> {
  if (repoDest) {
    const destBase = normalizeRepoPath((dest as RepoPathArg).path, { allowRoot: true });
    return {
      destIndex: set.add(repoDest.endpoint),
      destBase,
      lines: (plan) => plan.items.map((i) => `${marks[i.action]} :${joinRel(plan.destBase, i.path)}`),
      shown: `:${destBase || '/'}`,
    };
  }
  const raw = dest.kind === 'plugin' ? dest.spec : (dest as { path: string }).path;
  const destIndex = dest.kind === 'plugin' ? await pluginEndpoint(set, raw, host.cwd, true, repoDir) : localDest(set, host.cwd, raw, repoDir);
  const prefix = raw.endsWith('/') ? raw : `${raw}/`;
  return { destIndex, destBase: '', lines: (plan) => plan.items.map((i) => `${marks[i.action]} ${prefix}${i.path}`), shown: raw };
}

/** cli.md §10.4: deletions, then additions, then updates, each sorted. */
function repoToRepoLines(lines: string[]): string[] {
  const order = (l: string): number => ('-+~'.indexOf(l[0]));
  return [...lines].sort((a, b) => order(a) - order(b));
}
