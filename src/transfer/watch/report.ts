import type { FileProblem, SyncOutcome } from './types.js';

/** `+2 ~1 -1 (commit abc1234)`, or `no changes`; counts of zero are left out (cli.md §10.5). */
export function formatCounts(o: SyncOutcome): string {
  const parts: string[] = [];
  if (o.add) parts.push(`+${o.add}`);
  if (o.update) parts.push(`~${o.update}`);
  if (o.delete) parts.push(`-${o.delete}`);
  if (parts.length === 0 || o.commit === null) return 'no changes';
  return `${parts.join(' ')} (commit ${o.commit.slice(0, 7)})`;
}

function clock(d: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/**
 * All output of a watch session. Progress lines (banner, one summary per
 * cycle, the stop line) go to stdout as cli.md §2.4 requires and are what
 * `quiet` silences; warnings and errors always go to stderr, one line each.
 */
export class WatchReporter {
  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly err: NodeJS.WritableStream,
    private readonly quiet: boolean,
    private readonly now: () => Date = () => new Date(),
  ) {}

  progress(line: string): void {
    if (!this.quiet) this.out.write(line + '\n');
  }

  summary(outcome: SyncOutcome): void {
    this.progress(`[${clock(this.now())}] Sync: ${formatCounts(outcome)}`);
  }

  problems(list: readonly FileProblem[]): void {
    for (const p of list) this.err.write(`${p.level === 'error' ? 'ERROR' : 'WARNING'}: ${p.path}: ${p.message}\n`);
  }

  warning(message: string): void {
    this.err.write(`WARNING: ${message}\n`);
  }

  error(message: string): void {
    this.err.write(`ERROR: ${message}\n`);
  }

  stopped(): void {
    this.progress('\nStopped watching.');
  }
}
