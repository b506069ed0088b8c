import { StaleSnapshotError } from '../../core/errors.js';
import { DirtySet, collapsePaths } from './dirty-set.js';
import type { WatchReporter } from './report.js';
import { SourceMissingError, type SettleMode, type Settler, type SyncOutcome, type SyncScope, type Syncer } from './types.js';

export interface EngineOptions {
  syncer: Syncer;
  reporter: WatchReporter;
  debounceMs: number;
  /** Period of the full reconcile; 0 = never. */
  reconcileMs: number;
  /** Absent: every path counts as settled (e.g. repo → disk, where we are the only writer). */
  settler?: Settler;
}

type CycleKind = 'initial' | 'window' | 'final';

/** Attempts per cycle when the branch moved under us (a fresh snapshot each time). */
const STALE_ATTEMPTS = 5;

/** Windows a path may stay unsettled before the user is told why it is not committed. */
const PATIENT_WINDOWS = 10;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The watch loop, independent of where events come from and how a sync is
 * done: changed paths are grouped into windows of `debounceMs` counted from
 * the oldest pending change; each window re-plans only those paths (or
 * everything when a full reconcile is due) in one `Syncer.sync` call.
 * Cycles never overlap; changes arriving during a cycle open the next window.
 */
export class WatchEngine {
  private readonly dirty = new DirtySet();
  private fullDue = false;
  /** A change event (not only a reconcile) is part of the pending window. */
  private eventsPending = false;
  private windowTimer: NodeJS.Timeout | null = null;
  private reconcileTimer: NodeJS.Timeout | null = null;
  private cycle: Promise<void> | null = null;
  private stopping = false;
  private readonly parked = new Set<string>();
  private parkedFull = false;
  /** Consecutive windows each unsettled path has been held back. */
  private readonly deferrals = new Map<string, number>();

  constructor(private readonly opts: EngineOptions) {}

  /** A source path changed (file or directory, relative to the watched root). */
  touch(relPath: string): void {
    if (this.stopping) return;
    this.opts.settler?.observe(relPath);
    this.unpark();
    this.dirty.add(relPath, Date.now());
    this.eventsPending = true;
    this.schedule();
  }

  /** Re-plan everything at the next window (dropped events, .gitignore edits, a recreated root). */
  requestFull(): void {
    if (this.stopping) return;
    this.unpark();
    this.fullDue = true;
    this.dirty.add('', Date.now());
    this.schedule();
  }

  /** Run the initial full sync, then start the periodic reconcile. */
  async start(): Promise<void> {
    this.fullDue = true;
    await this.runCycle('initial');
    if (this.opts.reconcileMs > 0 && !this.stopping) {
      this.reconcileTimer = setInterval(() => {
        this.unpark();
        this.fullDue = true;
        // Back-dated so the reconcile runs at once instead of waiting a window.
        this.dirty.add('', Date.now() - this.opts.debounceMs);
        this.schedule();
      }, this.opts.reconcileMs);
    }
  }

  /** Stop accepting changes, finish the pending window at once and commit it. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.reconcileTimer) clearInterval(this.reconcileTimer);
    if (this.windowTimer) clearTimeout(this.windowTimer);
    this.reconcileTimer = this.windowTimer = null;
    while (this.cycle) await this.cycle;
    this.unpark();
    if (this.dirty.size > 0 && (this.eventsPending || this.fullDue)) await this.runCycle('final');
  }

  private schedule(): void {
    if (this.windowTimer || this.cycle || this.stopping) return;
    const oldest = this.dirty.oldest();
    if (oldest === null) return;
    const delay = Math.max(0, oldest + this.opts.debounceMs - Date.now());
    this.windowTimer = setTimeout(() => {
      this.windowTimer = null;
      void this.runCycle('window');
    }, delay);
  }

  private runCycle(kind: CycleKind): Promise<void> {
    const run = this.cycleBody(kind)
      .catch((err) => this.reportFailure(err, kind))
      .finally(() => {
        this.cycle = null;
        this.schedule();
      });
    this.cycle = run;
    return run;
  }

  private async cycleBody(kind: CycleKind): Promise<void> {
    const full = this.fullDue;
    const fromEvents = this.eventsPending || kind === 'initial';
    const candidates = this.dirty.paths().filter((p) => p !== '');
    this.fullDue = this.eventsPending = false;
    this.dirty.clear();

    const mode: SettleMode = kind === 'final' ? 'final' : 'window';
    const { settled, unsettled } = this.opts.settler
      ? await this.opts.settler.partition(candidates, mode)
      : { settled: candidates, unsettled: [] };
    if (kind === 'final') {
      for (const p of unsettled) this.opts.reporter.warning(`${p}: still being written, not committed`);
    } else {
      this.requeue(unsettled);
      this.noteDeferrals(settled, unsettled);
    }
    const paths = full ? 'all' : collapsePaths(settled);
    if (paths !== 'all' && paths.length === 0) return;

    const outcome = await this.syncWithRetry({ paths, hold: new Set(unsettled) }, kind);
    if (!outcome) {
      this.park(settled, full);
      return;
    }
    this.requeue(outcome.retry);
    this.opts.reporter.problems(outcome.problems);
    if (outcome.commit !== null || (fromEvents && !outcome.quiet)) this.opts.reporter.summary(outcome);
  }

  /** Say once why a file that never stops changing (a growing log) is not being committed. */
  private noteDeferrals(settled: readonly string[], unsettled: readonly string[]): void {
    for (const p of settled) this.deferrals.delete(p);
    for (const p of unsettled) {
      const n = (this.deferrals.get(p) ?? 0) + 1;
      this.deferrals.set(p, n);
      if (n === PATIENT_WINDOWS) this.opts.reporter.warning(`${p}: still being written, waiting for it to settle`);
    }
  }

  /** Put paths back for the next window, which starts now. */
  private requeue(paths: readonly string[]): void {
    const t = Date.now();
    for (const p of paths) this.dirty.add(p, t);
    if (paths.length > 0) this.eventsPending = true;
  }

  /** After a failed cycle, keep its work for the next change (or reconcile) instead of retrying in a loop. */
  private park(paths: readonly string[], full: boolean): void {
    for (const p of paths) this.parked.add(p);
    this.parkedFull ||= full;
  }

  private unpark(): void {
    if (this.parked.size === 0 && !this.parkedFull) return;
    const t = Date.now();
    for (const p of this.parked) this.dirty.add(p, t);
    this.eventsPending = true;
    this.fullDue ||= this.parkedFull;
    this.parked.clear();
    this.parkedFull = false;
  }

  private async syncWithRetry(scope: SyncScope, kind: CycleKind): Promise<SyncOutcome | null> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.opts.syncer.sync(scope);
      } catch (err) {
        if (err instanceof StaleSnapshotError && attempt < STALE_ATTEMPTS) {
          await sleep(Math.random() * Math.min(10 * 2 ** attempt, 200));
          continue;
        }
        this.reportFailure(err, kind);
        return null;
      }
    }
  }

  private reportFailure(err: unknown, kind: CycleKind): void {
    const r = this.opts.reporter;
    if (err instanceof SourceMissingError && kind !== 'initial') return;
    if (err instanceof StaleSnapshotError) {
      r.warning(kind === 'initial' ? 'Stale snapshot on initial sync, will retry' : 'Stale snapshot, will retry on next change');
      return;
    }
    const message = err instanceof Error ? err.message : String(err);
    r.error(kind === 'initial' ? `Initial sync failed: ${message}` : `Sync failed: ${message}`);
  }
}
