/**
 * The one place where errors become terminal output and exit codes.
 *
 * - Runtime errors (library errors, {@link CliError}, anything unexpected):
 *   `Error: <text>` on stderr, exit 1 (cli.md §2.4).
 * - Usage errors ({@link UsageError}): click's three-part message, exit 2.
 * - {@link ExitSignal} (thrown by `this.exit(n)`, and by the handler once it
 *   has printed) passes through untouched.
 */

import { StaleSnapshotError } from '../core/errors.js';

/** A runtime failure a command reports to the user: `Error: <message>`, exit 1. */
export class CliError extends Error {
  /** Stable machine-readable code. */
  readonly code: string;
  readonly exitCode: number;
  constructor(message: string, options: { code?: string; exitCode?: number } = {}) {
    super(message);
    this.name = 'CliError';
    this.code = options.code ?? 'CLI_ERROR';
    this.exitCode = options.exitCode ?? 1;
  }
}

/** A command-line usage error (click style): usage + hint + `Error: <message>`, exit 2. */
export class UsageError extends Error {
  readonly code = 'USAGE';
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** What a usage error needs to print its first two lines. */
export interface UsageContext {
  /** Command path as typed, e.g. `branch set` (empty for the top level). */
  commandPath: string;
  /** Usage tail after the command path, e.g. `[OPTIONS] NAME`. */
  usage: string;
}

export interface RenderedError {
  stderr: string;
  exitCode: number;
}

/** Click-style usage error text (three parts, ends with a newline). */
export function formatUsageError(message: string, ctx: UsageContext): string {
  const path = ctx.commandPath ? `vost ${ctx.commandPath}` : 'vost';
  return `Usage: ${path} ${ctx.usage}\nTry '${path} --help' for help.\n\nError: ${message}\n`;
}

/**
 * Ends a command with an exit code and nothing more to print. Shaped like
 * oclif's ExitError (`code: 'EEXIT'`, `oclif.exit`) so that oclif's own
 * handler, when oclif ran the command, exits with the code and prints nothing.
 */
export class ExitSignal extends Error {
  readonly code = 'EEXIT';
  readonly oclif: { exit: number };
  readonly skipOclifErrorHandling = true;
  constructor(exitCode: number) {
    super(`EEXIT: ${exitCode}`);
    this.name = 'ExitSignal';
    this.oclif = { exit: exitCode };
  }
}

/** True for an {@link ExitSignal} or oclif's ExitError, which must not be reported. */
export function isExitSignal(err: unknown): boolean {
  return (
    err instanceof Error &&
    (err as { code?: unknown }).code === 'EEXIT' &&
    typeof (err as { oclif?: { exit?: unknown } }).oclif?.exit === 'number'
  );
}

/** Maps any thrown value to what the user sees and the process exit code. */
export function renderError(err: unknown, ctx: UsageContext): RenderedError {
  if (err instanceof UsageError) {
    return { stderr: formatUsageError(err.message, ctx), exitCode: 2 };
  }
  if (err instanceof CliError) {
    return { stderr: `Error: ${err.message}\n`, exitCode: err.exitCode };
  }
  if (err instanceof StaleSnapshotError) {
    return { stderr: 'Error: Branch modified concurrently — retry\n', exitCode: 1 };
  }
  // oclif's `this.error(msg, {exit})` carries its own exit code.
  const oclifExit = (err as { oclif?: { exit?: unknown } } | null)?.oclif?.exit;
  return { stderr: `Error: ${messageOf(err)}\n`, exitCode: typeof oclifExit === 'number' ? oclifExit : 1 };
}

function messageOf(err: unknown): string {
  if (err instanceof Error) {
    const sys = err as NodeJS.ErrnoException;
    // Node system errors read "ENOENT: no such file or directory, open 'x'";
    // keep the text but drop the errno prefix the user does not need.
    if (typeof sys.code === 'string' && typeof sys.syscall === 'string') {
      return sys.message.replace(/^[A-Z]+: /, '');
    }
    return err.message || err.name;
  }
  return String(err);
}
