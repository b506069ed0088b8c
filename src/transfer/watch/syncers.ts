import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { ExcludeFilter } from '../../core/exclude.js';
import { formatCommitMessage, type ChangeReport, type FS, type GitStore } from '../../core/index.js';
import type { Entry } from '../../plugins/contract.js';
import type { DirEndpoint } from '../../plugins/dir/endpoint.js';
import { joinRel } from '../../plugins/paths.js';
import { RefEndpoint } from '../../plugins/ref/endpoint.js';
import { fileTypeOfKind } from '../report.js';
import { applyScoped } from './apply.js';
import { collapsePaths, isWithin } from './dirty-set.js';
import { planScoped, type PathRules, type ScopedPlan, type Side } from './scoped-plan.js';
import { changedPaths } from './tree-diff.js';
import { SourceMissingError, emptyOutcome, type SyncOutcome, type SyncScope, type Syncer } from './types.js';

export interface SyncerContext {
  store: GitStore;
  branch: string;
  /** The local folder, long-lived so its stat cache stays warm. */
  dir: DirEndpoint;
  /** Local folder as typed, for messages. */
  local: string;
  repoPath: string;
  rules: SessionRules;
  checksum: boolean;
  ignoreErrors: boolean;
  /** `-m` template (cli.md §5.2), rendered per commit from what the window changed. */
  message?: string;
}

/** The change report a `-m` template is rendered from: full repository paths, as a one-shot sync has. */
function reportOf(plan: ScopedPlan, repoPath: string): ChangeReport {
  const entry = (e: Entry) => ({ path: joinRel(repoPath, e.path), type: fileTypeOfKind(e.kind) });
  return {
    add: plan.put.filter((p) => p.isNew).map((p) => entry(p.entry)),
    update: plan.put.filter((p) => !p.isNew).map((p) => entry(p.entry)),
    delete: plan.remove.map(entry),
    errors: [],
    warnings: [],
  };
}

function display(ctx: SyncerContext): (rel: string) => string {
  return (rel) => (rel === '' ? ctx.local : path.join(ctx.local, rel));
}

export interface SessionRules extends PathRules {
  /**
   * What the folder watcher may skip for good: the repository and explicit
   * --exclude patterns. Not .gitignore rules, which can change while watching.
   */
  watchIgnored(relPath: string, isDir: boolean): boolean;
}

/**
 * Rules for one session: the user's excludes and .gitignore files (disk →
 * repo only), plus the repository itself when it lives inside the folder,
 * which is never copied and never deleted.
 */
export function pathRules(opts: { root: string; repoAbs: string; filter: ExcludeFilter | null }): SessionRules {
  const repoRel = path.relative(opts.root, opts.repoAbs).split(path.sep).join('/');
  const repoInside = repoRel !== '' && !repoRel.startsWith('..') && !path.isAbsolute(repoRel);
  const filter = opts.filter;
  const isRepo = (rel: string) => repoInside && isWithin(rel, repoRel);
  return {
    watchIgnored: (rel, isDir) => isRepo(rel) || (filter !== null && filter.isExcluded(rel, isDir)),
    excluded: (rel, isDir) => isRepo(rel) || (filter !== null && filter.isExcludedInWalk(rel, isDir)),
    enterDir: async (rel) => {
      if (filter?.gitignore) await filter.enterDirectory(rel === '' ? opts.root : path.join(opts.root, rel), rel);
    },
    deletable: (rel) =>
      filter !== null && filter.gitignore && path.posix.basename(rel) === '.gitignore' && !filter.isExcluded(rel, false) && !isRepo(rel),
  };
}

/** disk → repo: each window re-plans the reported paths against a fresh branch tip and commits once. */
export class DiskToRepoSyncer implements Syncer {
  constructor(private readonly ctx: SyncerContext) {}

  async sync(scope: SyncScope): Promise<SyncOutcome> {
    const ctx = this.ctx;
    const rootOk = await stat(ctx.dir.root).then((s) => s.isDirectory(), () => false);
    if (!rootOk) throw new SourceMissingError(ctx.local);
    const tip = await ctx.store.branches.get(ctx.branch);
    const source: Side = { ep: ctx.dir, base: '' };
    const dest: Side = { ep: new RefEndpoint(tip), base: ctx.repoPath };
    const show = display(ctx);
    const prefixes = scope.paths === 'all' ? [''] : scope.paths;
    const common = { source, dest, display: show, ignoreErrors: ctx.ignoreErrors };
    const plan = await planScoped({ ...common, prefixes, hold: scope.hold, rules: ctx.rules, checksum: ctx.checksum });
    const message = ctx.message ? formatCommitMessage(ctx.message, reportOf(plan, ctx.repoPath), 'sync') : undefined;
    const commit = await applyScoped(plan, { ...common, message });
    // Keep the stat cache on disk after full passes, so a restart hashes nothing it already knows.
    if (scope.paths === 'all') await ctx.dir.close();
    return {
      commit,
      add: plan.add,
      update: plan.update,
      delete: plan.remove.length,
      problems: plan.problems,
      retry: plan.retry,
      quiet: plan.considered === 0,
    };
  }
}

/**
 * repo → disk: follow the branch. A ref move re-plans only the paths the new
 * commit changed under the synced folder (a tree diff against the commit
 * last brought to disk); full passes (start, reconcile) re-plan everything,
 * which also repairs local edits. The DirWriter puts each file in place
 * with one rename.
 */
export class RepoToDiskSyncer implements Syncer {
  /** The snapshot the folder was last brought in line with, completely. */
  private applied: FS | null = null;

  constructor(private readonly ctx: SyncerContext) {}

  async sync(scope: SyncScope): Promise<SyncOutcome> {
    const ctx = this.ctx;
    const tip = await ctx.store.branches.get(ctx.branch);
    const full = scope.paths === 'all' || this.applied === null;
    if (!full && tip.commitHash === this.applied!.commitHash) {
      return { ...emptyOutcome(), quiet: true };
    }
    const prefixes = full ? [''] : collapsePaths(await changedPaths(this.applied!, tip, ctx.repoPath));
    const source: Side = { ep: new RefEndpoint(tip), base: ctx.repoPath };
    const dest: Side = { ep: ctx.dir, base: '' };
    const common = { source, dest, display: display(ctx), ignoreErrors: ctx.ignoreErrors };
    const plan = await planScoped({ ...common, prefixes, hold: new Set(), rules: ctx.rules, checksum: ctx.checksum });
    await applyScoped(plan, common);
    if (full) await ctx.dir.close();
    // After a partial failure the old base stays, so the next move or reconcile retries those paths.
    if (plan.problems.length === 0) this.applied = tip;
    const changed = plan.add + plan.update + plan.remove.length > 0;
    return {
      commit: changed ? tip.commitHash : null,
      add: plan.add,
      update: plan.update,
      delete: plan.remove.length,
      problems: plan.problems,
      retry: [],
      quiet: !changed && !full,
    };
  }
}
