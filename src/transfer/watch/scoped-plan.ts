import type { Endpoint, Entry } from '../../plugins/contract.js';
import { joinRel } from '../../plugins/paths.js';
import { oidOf } from '../plan.js';
import { ancestorsOf } from './dirty-set.js';
import type { FileProblem } from './types.js';

/** Which source-relative paths a sync may copy, and which destination files it may delete. */
export interface PathRules {
  /** Excluded from the copy; on the destination such files are kept (rsync delete protection). */
  excluded(relPath: string, isDir: boolean): boolean;
  /** Awaited before a directory's children are judged (loads that folder's .gitignore). */
  enterDir(relPath: string): Promise<void>;
  /** Excluded but still deleted from the destination (`.gitignore` files under --gitignore, cli.md §10.3). */
  deletable(relPath: string): boolean;
}

/** One side of a sync: an endpoint and the folder inside it that is synced ('' = its root). */
export interface Side {
  ep: Endpoint;
  base: string;
}

export interface PlannedPut {
  /** Source entry, path relative to the synced folder. */
  entry: Entry;
  /** Absent on the destination (an add), rather than different (an update). */
  isNew: boolean;
}

export interface ScopedPlan {
  put: PlannedPut[];
  add: number;
  update: number;
  /** Destination entries to delete, paths relative to the synced folder. */
  remove: Entry[];
  problems: FileProblem[];
  /** Paths that vanished while being read: looked at again next window. */
  retry: string[];
  /** Prefixes that were not excluded, i.e. actually compared. */
  considered: number;
}

export interface PlanInput {
  source: Side;
  dest: Side;
  /** Collapsed relative paths ('' = everything). */
  prefixes: readonly string[];
  /** Paths being written right now: left as they are on the destination. */
  hold: ReadonlySet<string>;
  rules: PathRules;
  checksum: boolean;
  /** Formats a relative path for messages (e.g. joined onto the local folder as typed). */
  display: (relPath: string) => string;
  /** Report unreadable files as `ERROR:` lines, as cp/sync --ignore-errors do (cli.md §9.8); default `WARNING:`. */
  ignoreErrors?: boolean;
}

const HASH_CONCURRENCY = 8;

function strip(base: string, full: string): string {
  return base === '' ? full : full === base ? '' : full.slice(base.length + 1);
}

function isHeld(relPath: string, hold: ReadonlySet<string>): boolean {
  return hold.size > 0 && (hold.has(relPath) || ancestorsOf(relPath).some((a) => hold.has(a)));
}

/** True when the path or one of its ancestor directories is excluded (git semantics). */
async function excludedWithAncestors(relPath: string, source: Side, rules: PathRules): Promise<boolean> {
  await rules.enterDir('');
  for (const a of ancestorsOf(relPath)) {
    if (rules.excluded(a, true)) return true;
    await rules.enterDir(a);
  }
  const here = await source.ep.stat(joinRel(source.base, relPath)).catch(() => null);
  return rules.excluded(relPath, here?.kind === 'dir');
}

async function collect(side: Side, prefix: string, input: PlanInput, isSource: boolean, problems: FileProblem[]): Promise<Map<string, Entry>> {
  const out = new Map<string, Entry>();
  const { rules } = input;
  const listing = side.ep.list({
    prefix: joinRel(side.base, prefix),
    checksum: input.checksum,
    onWarning: (path, message) => problems.push({ level: 'warning', path, message }),
    ...(isSource
      ? {
          skipDir: (full: string) => {
            const rel = strip(side.base, full);
            return rules.excluded(rel, true) || isHeld(rel, input.hold);
          },
          onEnterDir: (full: string) => rules.enterDir(strip(side.base, full)),
        }
      : {}),
  });
  for await (const e of listing) {
    const rel = strip(side.base, e.path);
    if (rel !== '') out.set(rel, { ...e, path: rel });
  }
  return out;
}

/**
 * Plan a sync of only the given prefixes: list each prefix on both sides
 * (a file prefix lists that file; a missing one lists nothing) and classify
 * every path as put (add/update) or remove, exactly as a full sync would for
 * that part of the tree. A prefix that cannot be listed (vanished mid-walk,
 * permission denied) is skipped with one warning, so a listing error can
 * never turn into deletions.
 */
export async function planScoped(input: PlanInput): Promise<ScopedPlan> {
  const plan: ScopedPlan = { put: [], add: 0, update: 0, remove: [], problems: [], retry: [], considered: 0 };
  for (const prefix of input.prefixes) {
    if (prefix !== '' && (await excludedWithAncestors(prefix, input.source, input.rules))) continue;
    plan.considered++;
    let src: Map<string, Entry>;
    let dst: Map<string, Entry>;
    try {
      [src, dst] = await Promise.all([
        collect(input.source, prefix, input, true, plan.problems),
        collect(input.dest, prefix, input, false, plan.problems),
      ]);
    } catch (err) {
      fileProblem(plan, input, prefix, err);
      continue;
    }
    await refreshRulesFor(dst, src, input.rules);
    await classify(src, dst, input, plan);
  }
  sortProblems(plan);
  return plan;
}

/** Concurrent work finishes in any order; problems are reported in path order. */
export function sortProblems(plan: Pick<ScopedPlan, 'problems'>): void {
  plan.problems.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Destination-only files are judged by the .gitignore files of their local
 * folders, which may be gone by now: entering those folders again drops
 * rules of folders that no longer exist, instead of protecting their files.
 */
async function refreshRulesFor(dst: Map<string, Entry>, src: Map<string, Entry>, rules: PathRules): Promise<void> {
  const dirs = new Set<string>();
  for (const path of dst.keys()) if (!src.has(path)) for (const a of ancestorsOf(path)) dirs.add(a);
  for (const dir of [...dirs].sort()) await rules.enterDir(dir);
}

async function classify(src: Map<string, Entry>, dst: Map<string, Entry>, input: PlanInput, plan: ScopedPlan): Promise<void> {
  const { rules, hold } = input;
  const compare: Array<[Entry, Entry]> = [];
  for (const [path, s] of src) {
    if (rules.excluded(path, false) || isHeld(path, hold)) continue;
    const d = dst.get(path);
    if (d && d.kind === s.kind) compare.push([s, d]);
    else put(plan, s, !d);
  }
  // Hashing (stat-cache misses) is I/O bound: a few files at a time.
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < compare.length) {
      const [s, d] = compare[next++];
      if (!(await sameContent(s, d, input, plan))) put(plan, s, false);
    }
  };
  await Promise.all(Array.from({ length: Math.min(HASH_CONCURRENCY, compare.length) }, worker));
  for (const [path, d] of dst) {
    if (isHeld(path, hold)) continue;
    const keep = rules.excluded(path, false) ? !rules.deletable(path) : src.has(path);
    if (!keep) plan.remove.push(d);
  }
}

function put(plan: ScopedPlan, entry: Entry, isNew: boolean): void {
  if (isNew) plan.add++;
  else plan.update++;
  plan.put.push({ entry, isNew });
}

/**
 * Record a per-file failure. A file that vanished is looked at again next
 * window (it is then a deletion); anything else (permission denied) waits
 * for its next change or the next reconcile, so it is reported once, not
 * once per window.
 */
export function fileProblem(
  plan: Pick<ScopedPlan, 'problems' | 'retry'>,
  input: Pick<PlanInput, 'display' | 'ignoreErrors'>,
  path: string,
  err: unknown,
): void {
  const e = err as NodeJS.ErrnoException;
  const vanished = e?.code === 'ENOENT' || e?.code === 'ENOTDIR';
  const message = vanished ? 'vanished while reading' : (e?.message ?? String(err));
  plan.problems.push({ level: !vanished && input.ignoreErrors ? 'error' : 'warning', path: input.display(path), message });
  if (vanished) plan.retry.push(path);
}

/** Unreadable source content counts as "same", so the destination keeps its version. */
async function sameContent(s: Entry, d: Entry, input: PlanInput, plan: ScopedPlan): Promise<boolean> {
  if (s.kind === 'symlink' && s.target !== undefined && d.target !== undefined) return s.target === d.target;
  const theirs = await oidOf(input.dest.ep, { ...d, path: joinRel(input.dest.base, d.path) });
  try {
    const mine = await oidOf(input.source.ep, { ...s, path: joinRel(input.source.base, s.path) });
    return mine === theirs;
  } catch (err) {
    fileProblem(plan, input, s.path, err);
    return true;
  }
}
