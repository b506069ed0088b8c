/**
 * Runs one planned transfer for the cp and sync commands: plan, then either
 * print the plan (dry run) or apply it, tag, and report per-file problems.
 * There is no separate dry-run path: the printed lines are the plan.
 */
import type { GitStore } from '../../core/gitstore.js';
import { CliError } from '../errors.js';
import { applyTag, checkTag, renderMessage, type TagOptions } from '../message.js';
import type { FS } from '../../core/fs.js';
import type { RefEndpoint } from '../../plugins/ref/endpoint.js';
import { applyPlan } from '../../transfer/apply.js';
import { planTransfer, type PlanOptions } from '../../transfer/plan.js';
import { planToReport } from '../../transfer/report.js';
import type { EndpointSet } from '../../transfer/resolve.js';
import type { PlanMessage, SourceRef, TransferPlan } from '../../transfer/types.js';
import { reportLines } from './args.js';
import { progressBar } from './progress.js';

export interface TransferIO {
  stdout(text: string): Promise<void>;
  stderr(text: string): void;
  verbose(line: string): void;
  quiet: boolean;
}

export interface RepoDestination {
  store: GitStore;
  branch: FS;
  endpoint: RefEndpoint;
}

export interface Job {
  set: EndpointSet;
  refs: SourceRef[];
  resolveErrors: PlanMessage[];
  destIndex: number;
  destBase: string;
  /** Present when the destination is a branch (commit, tag, message). */
  repo?: RepoDestination;
  plan: PlanOptions;
  dryRun: boolean;
  /** Lines printed for a dry run. */
  dryRunLines(plan: TransferPlan): string[];
  message?: string;
  parents: FS[];
  tag: TagOptions;
  maxDelete?: number;
  ignoreErrors: boolean;
  /** A single-file copy: under --ignore-errors its failure is reported as one ERROR line (cli.md §9.8). */
  singleFile?: boolean;
}

/** Exit status: 0, or 1 when files failed under --ignore-errors. */
export async function runJob(io: TransferIO, job: Job): Promise<number> {
  const plan = await planTransfer(job.set.list, job.refs, { endpoint: job.destIndex, base: job.destBase }, { ...job.plan, errors: job.resolveErrors });
  try {
    if (job.ignoreErrors && job.resolveErrors.length > 0 && job.refs.length === 0) allFailed(plan.errors);
    const deletes = plan.items.filter((i) => i.action === 'delete').length;
    if (job.maxDelete !== undefined && deletes > job.maxDelete) {
      throw new CliError(`Refusing to delete ${deletes} files (more than --max-delete ${job.maxDelete}); nothing was changed`, { code: 'MAX_DELETE' });
    }
    if (job.dryRun) {
      const lines = job.dryRunLines(plan);
      if (lines.length) await io.stdout(lines.map((l) => `${l}\n`).join(''));
      io.stderr(reportLines('WARNING', plan.warnings) + reportLines('ERROR', plan.errors));
      return plan.errors.length ? 1 : 0;
    }
    if (job.repo) await checkTag(job.repo.store, job.tag);
    const message = job.repo && job.message ? renderMessage(job.message, planToReport(plan, { fullPaths: true }), plan.op) : undefined;
    const bar = progressBar(process.stderr, !io.quiet);
    let errors: PlanMessage[] = [];
    try {
      const result = await applyPlan(plan, job.set.list, job.destIndex, {
        ignoreErrors: job.ignoreErrors,
        onProgress: bar.listener,
        writer: { message, operation: plan.op, parents: job.parents.map((p) => p.commitHash) },
      });
      errors = result.errors;
    } catch (e) {
      bar.stop();
      if ((e as Error).message !== 'All files failed to copy') throw e;
      const failed = [...plan.errors, ...((e as { errors?: PlanMessage[] }).errors ?? [])];
      if (!job.singleFile) allFailed(failed);
      io.stderr(reportLines('ERROR', failed));
      return 1;
    }
    bar.stop();
    if (job.repo) await applyTag(job.repo.store, job.tag, job.repo.endpoint.committed ?? job.repo.branch);
    const all = [...plan.errors, ...errors];
    io.stderr(reportLines('WARNING', plan.warnings) + reportLines('ERROR', all));
    return all.length ? 1 : 0;
  } finally {
    for (const ep of job.set.list) await ep.close?.();
  }
}

function allFailed(errors: PlanMessage[]): never {
  throw new CliError(`All files failed to copy\n${reportLines('ERROR', errors).replace(/\n$/, '')}`, { code: 'ALL_FAILED' });
}
