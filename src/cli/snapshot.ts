/**
 * Selecting a snapshot (cli.md §4): the filter flags, ref resolution, the
 * order of application, the conflict checks of §4.4, and the writability
 * rules of §3.4.
 */
import { Flags } from './declare.js';
import type { FS, GitStore } from '../core/index.js';
import { parseBeforeDate } from './dates.js';
import { CliError } from './errors.js';
import { intFlag } from './flags.js';
import { normalizeRepoPath, parsePathArg, RefSpecArg, RepoPathArg } from './refpath.js';
import { wildcardMatch } from './wildcard.js';

/** `-b/--branch` alone (commands that take a branch but no filters). */
export const branchFlag = Flags.string({ char: 'b', description: 'Branch to operate on (default: the current branch).' });

/** The snapshot filter flags of cli.md §4.2, to spread into a command's `flags`. */
export const snapshotFlags = {
  branch: branchFlag,
  ref: Flags.string({ description: 'Start from this branch, tag or commit instead of the branch.' }),
  path: Flags.string({ description: 'Select the newest commit that changed PATH.' }),
  match: Flags.string({ description: 'Select the newest commit whose message matches PATTERN (wildcards).' }),
  before: Flags.string({ description: 'Select the newest commit at or before DATE (ISO 8601).' }),
  back: intFlag({ description: 'Step back N first-parent commits.', default: 0 }),
};

/** The filter flags without `--ref`/`-b` (`branch hash`). */
export const historyFilterFlags = {
  path: snapshotFlags.path,
  match: snapshotFlags.match,
  before: snapshotFlags.before,
  back: snapshotFlags.back,
};

/** Parsed values of the snapshot flags (any subset). */
export interface SnapshotFlags {
  branch?: string;
  ref?: string;
  path?: string;
  match?: string;
  before?: string;
  back?: number;
}

/** The `--path`/`--match`/`--before` selection, validated. */
export interface Criteria {
  path?: string;
  match?: string;
  before?: Date;
}

/** Validates the filter flags into criteria (date parsing, path normalisation). */
export function criteriaFromFlags(flags: SnapshotFlags): Criteria {
  const criteria: Criteria = {};
  if (flags.path !== undefined) {
    const parsed = parsePathArg(flags.path);
    const path = normalizeRepoPath(parsed.path, { allowRoot: true });
    if (path !== '') criteria.path = path;
  }
  if (flags.match !== undefined) criteria.match = flags.match;
  if (flags.before !== undefined) criteria.before = parseBeforeDate(flags.before);
  return criteria;
}

export function hasCriteria(c: Criteria): boolean {
  return c.path !== undefined || c.match !== undefined || c.before !== undefined;
}

/** `--back` as given; negative values are refused. */
export function backOf(flags: SnapshotFlags): number {
  const back = flags.back ?? 0;
  if (back < 0) throw new CliError('--back must be >= 0', { code: 'BAD_BACK' });
  return back;
}

/** The current branch name (cli.md §2.6): HEAD's branch if it exists, else `main`. */
export async function currentBranch(store: GitStore): Promise<string> {
  const name = await store.branches.getCurrentName();
  if (name && (await store.branches.has(name))) return name;
  return 'main';
}

/** The tip of branch `name`, or `Branch not found: <name>`. */
export async function branchSnapshot(store: GitStore, name: string): Promise<FS> {
  if (!(await store.branches.has(name))) throw branchNotFound(name);
  return store.branches.get(name);
}

export function branchNotFound(name: string): CliError {
  return new CliError(`Branch not found: ${name}`, { code: 'BRANCH_NOT_FOUND' });
}

/**
 * Resolves a ref string (cli.md §4.1): branch, then tag, then a commit id or
 * unique prefix.
 */
export async function resolveRef(store: GitStore, ref: string): Promise<FS> {
  if (ref !== '' && (await store.branches.has(ref))) return store.branches.get(ref);
  if (ref !== '' && (await store.tags.has(ref))) return store.tags.get(ref);
  if (/^[0-9a-fA-F]{1,40}$/.test(ref)) return resolveCommitId(store, ref);
  throw new CliError(`Unknown ref: ${ref}`, { code: 'UNKNOWN_REF' });
}

async function resolveCommitId(store: GitStore, ref: string): Promise<FS> {
  const repo = await store._open();
  const prefix = ref.toLowerCase();
  const matches = prefix.length === 40 ? [prefix] : await repo.objects.findByPrefix(prefix, 2);
  if (matches.length > 1) {
    const [a, b] = matches.map((m) => m.slice(0, 12));
    throw new CliError(`Ambiguous short hash '${ref}': matches ${a} and ${b}`, { code: 'AMBIGUOUS_REF' });
  }
  const peeled = matches.length === 1 ? await repo.peel(matches[0]) : null;
  if (peeled === null) throw new CliError(`Unknown ref: ${ref}`, { code: 'UNKNOWN_REF' });
  if (peeled.type !== 'commit') throw new CliError(`Object ${ref} is not a commit`, { code: 'NOT_A_COMMIT' });
  return store.fs(peeled.oid);
}

/** Steps `n` first parents back with the CLI's error text. */
export async function stepBack(fs: FS, n: number): Promise<FS> {
  if (n === 0) return fs;
  let cur = fs;
  for (let i = 0; i < n; i++) {
    const parent = await cur.getParent();
    if (parent === null) {
      throw new CliError(`Cannot go back ${n} commits — history too short`, { code: 'HISTORY_TOO_SHORT' });
    }
    cur = parent;
  }
  return cur;
}

/**
 * Every commit from `fs` backwards (first parents) that satisfies all
 * criteria, checked in the order time, path, message. `--before` compares the
 * commit (committer) time; once a commit at or before the cut-off is reached,
 * time is not checked again (cli.md §4.2).
 */
export async function* walkMatching(fs: FS, criteria: Criteria): AsyncGenerator<FS> {
  const cutoff = criteria.before?.getTime();
  let reached = cutoff === undefined;
  // Packed reads never wait on I/O, so a long stretch without a match would keep timers (output flushes) from running.
  let breatheAt = performance.now() + 50;
  for await (const snap of fs.log()) {
    if (performance.now() >= breatheAt) {
      await new Promise((resolve) => setImmediate(resolve));
      breatheAt = performance.now() + 50;
    }
    const commit = await snap._commit();
    if (!reached) {
      if (commit.committer.timestamp * 1000 > (cutoff as number)) continue;
      reached = true;
    }
    if (criteria.path !== undefined && !(await changesPath(snap, commit.parents[0], criteria.path))) continue;
    if (criteria.match !== undefined && !wildcardMatch(criteria.match, await snap.getMessage())) continue;
    yield snap;
  }
}

/** Whether the entry at `path` (id and mode, or absence) differs from the first parent's. */
async function changesPath(snap: FS, parent: string | undefined, path: string): Promise<boolean> {
  const repo = await snap._repo();
  const entry = async (tree: string) => {
    const hit = await repo.lookup(tree, path);
    return hit.kind === 'found' ? `${hit.mode} ${hit.oid}` : '';
  };
  const mine = await entry(snap.treeHash);
  const theirs = parent === undefined ? '' : await entry((await repo.readCommit(parent)).tree);
  return mine !== theirs;
}

/** The newest commit from `fs` satisfying the criteria (`fs` itself when there are none). */
export async function selectMatching(fs: FS, criteria: Criteria): Promise<FS> {
  if (!hasCriteria(criteria)) return fs;
  for await (const snap of walkMatching(fs, criteria)) return snap;
  throw new CliError('No matching commits found', { code: 'NO_MATCH' });
}

/** Where a snapshot starts: an explicit ref beats `--ref`, which beats the branch. */
export async function startingSnapshot(store: GitStore, flags: SnapshotFlags, explicitRef = ''): Promise<FS> {
  if (explicitRef !== '') return resolveRef(store, explicitRef);
  if (flags.ref !== undefined) return resolveRef(store, flags.ref);
  return branchSnapshot(store, flags.branch ?? (await currentBranch(store)));
}

/**
 * The full resolution of cli.md §4.3: start, the path argument's `~N`,
 * `--path`/`--match`/`--before`, then `--back` (plus `extraBack`, the
 * positional `~N` of hash/diff, which counts like `--back`).
 */
export async function resolveSnapshot(
  store: GitStore,
  flags: SnapshotFlags,
  target: { ref?: string; back?: number; extraBack?: number } = {},
): Promise<FS> {
  const criteria = criteriaFromFlags(flags);
  const back = backOf(flags) + (target.extraBack ?? 0);
  let fs = await startingSnapshot(store, flags, target.ref ?? '');
  fs = await stepBack(fs, target.back ?? 0);
  fs = await selectMatching(fs, criteria);
  return stepBack(fs, back);
}

function conflict(message: string): CliError {
  return new CliError(message, { code: 'FLAG_CONFLICT' });
}

/** The §4.4 checks for repo path arguments (ls, cat, cmp, cp, sync). */
export function checkPathConflicts(args: readonly RepoPathArg[], flags: SnapshotFlags): void {
  const explicit = args.filter((a) => a.ref !== '');
  if (explicit.length > 0 && flags.ref !== undefined) throw conflict('Cannot use --ref with explicit ref: in path');
  if (explicit.length > 0 && flags.branch !== undefined) {
    throw conflict('Cannot use -b/--branch with explicit ref: in path');
  }
  if (args.some((a) => a.back > 0) && (flags.back ?? 0) !== 0) throw conflict('Cannot use --back with ~N in path');
  const distinct = new Set(explicit.map((a) => a.ref));
  const filtered = (flags.back ?? 0) !== 0 || flags.before !== undefined || flags.path !== undefined || flags.match !== undefined;
  if (distinct.size > 1 && filtered) throw conflict('Cannot use snapshot filters with paths targeting different refs');
}

/** The §4.4 checks for the positional TARGET (hash, log) or BASELINE (diff). */
export function checkTargetConflicts(
  target: RefSpecArg & { path: string },
  flags: SnapshotFlags,
  noun: 'target' | 'baseline',
): void {
  if (target.ref !== '' && flags.ref !== undefined) throw conflict('Cannot specify both positional ref and --ref');
  if (target.ref !== '' && flags.branch !== undefined) {
    throw conflict(`Cannot use -b/--branch with explicit ref in ${noun}`);
  }
  if (target.back > 0 && (flags.back ?? 0) !== 0) throw conflict('Cannot specify both positional ~N and --back');
  if (target.path !== '' && flags.path !== undefined) throw conflict('Cannot specify both positional path and --path');
}

/** Which command is writing: it decides the wording of the §3.4 errors. */
export type WriteCommand = 'cp' | 'sync' | 'write' | 'rm' | 'mv';

/**
 * The writable branch snapshot for a write destination (cli.md §3.4):
 * `:path` → the default branch, `dev:path` → branch `dev`; tags, commits,
 * unknown names and `~N` are refused with the command's wording.
 */
export async function resolveWriteBranch(
  store: GitStore,
  dest: { ref: string; back: number },
  options: { command: WriteCommand; branch?: string },
): Promise<FS> {
  const { command } = options;
  if (dest.back > 0) {
    const text =
      command === 'mv'
        ? 'Cannot move to/from a historical commit (remove ~N)'
        : command === 'cp' || command === 'sync'
          ? 'Cannot write to a historical commit (remove ~N from destination)'
          : 'Cannot write to a historical commit (remove ~N)';
    throw new CliError(text, { code: 'HISTORICAL_TARGET' });
  }
  const name = dest.ref !== '' ? dest.ref : (options.branch ?? (await currentBranch(store)));
  if (await store.branches.has(name)) return store.branches.get(name);
  if (await store.tags.has(name)) {
    const verb = command === 'rm' ? 'remove in' : command === 'mv' ? 'move in' : 'write to';
    throw new CliError(`Cannot ${verb} tag '${name}' — use a branch`, { code: 'TAG_NOT_WRITABLE' });
  }
  throw branchNotFound(name);
}
