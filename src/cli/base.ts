/**
 * The base class of every vost command.
 *
 * - Global flags on every command: `-r/--repo` (env VOST_REPO; a flag after
 *   the command beats the env value lifted from before it) and `-v/--verbose`
 *   (env VOST_VERBOSE). `--help` is handled by oclif before the command runs.
 * - `parse()` goes through the click-compatible parser in ./parser.ts.
 * - `openStore()` opens (or auto-creates) the repository with the messages of
 *   cli.md §2.2/§2.6.
 * - Every error ends in `catch()`, which defers to ./errors.ts.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Flags, Interfaces } from '@oclif/core';
import { GitStore } from '../core/index.js';
import { CliError, isExitSignal, renderError, UsageContext } from './errors.js';
import { ArgDef, FlagDef, parseCommandLine, usageTail } from './parser.js';

// oclif's own (unexported) FlagOutput/ArgOutput shapes, needed to override parse().
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type FlagOutput = { [name: string]: any };
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ArgOutput = { [name: string]: any };

export interface OpenStoreOptions {
  /**
   * What to do when the repository does not exist:
   * `false` (default) fails with `Repository not found: <path>`;
   * `true` / `'branch'` creates it with one branch (`branch`, default `main`) as HEAD;
   * `'empty'` creates a bare repository without any branch (restore).
   */
  create?: boolean | 'branch' | 'empty';
  /** Initial branch when the repository is created. */
  branch?: string;
}

export abstract class VostCommand extends Command {
  static override baseFlags = {
    repo: Flags.string({
      char: 'r',
      env: 'VOST_REPO',
      description: 'Path of the bare repository.',
      helpGroup: 'GLOBAL',
    }),
    verbose: Flags.boolean({
      char: 'v',
      env: 'VOST_VERBOSE',
      description: 'Print status messages on stderr.',
      helpGroup: 'GLOBAL',
    }),
  };

  /** `--repo` after parsing (flag, else VOST_REPO); undefined when neither is given. */
  protected repoPath: string | undefined;
  /** `-v/--verbose` after parsing. */
  protected isVerbose = false;

  override async init(): Promise<void> {
    await super.init();
    this.repoPath = process.env.VOST_REPO || undefined;
    this.isVerbose = isTruthy(process.env.VOST_VERBOSE);
    // `vost log | head` must end quietly, not with an EPIPE stack trace.
    process.stdout.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(0);
    });
  }

  /** Click-compatible parsing of this command's flags and args (see ./parser.ts). */
  protected override async parse<F extends FlagOutput, B extends FlagOutput, A extends ArgOutput>(
    options?: Interfaces.Input<F, B, A>,
    argv: string[] = this.argv,
  ): Promise<Interfaces.ParserOutput<F, B, A>> {
    const input = (options ?? this.ctor) as Interfaces.Input<F, B, A>;
    const flags = { ...(input.baseFlags ?? {}), ...(input.flags ?? {}) } as unknown as Record<string, FlagDef>;
    const args = (input.args ?? {}) as unknown as Record<string, ArgDef>;
    const result = await parseCommandLine(argv, { flags, args, strict: input.strict });
    this.parsed = true;
    if (typeof result.flags.repo === 'string' && result.flags.repo !== '') this.repoPath = result.flags.repo;
    if (result.flags.verbose === true) this.isVerbose = true;
    return {
      flags: result.flags,
      args: result.args,
      argv: result.argv,
      raw: [],
      metadata: { flags: {} },
      nonExistentFlags: [],
    } as unknown as Interfaces.ParserOutput<F, B, A>;
  }

  /** The repository path as given, or the "No repository specified" error. */
  protected requireRepoPath(): string {
    if (!this.repoPath) {
      throw new CliError('No repository specified. Use --repo or set VOST_REPO.', { code: 'NO_REPO' });
    }
    return this.repoPath;
  }

  /** Opens the repository named by `--repo`/VOST_REPO, creating it when `create` says so. */
  protected async openStore(options: OpenStoreOptions = {}): Promise<GitStore> {
    const path = this.requireRepoPath();
    const shown = displayRepoPath(path);
    const state = repoState(path);
    if (state === 'repo') return GitStore.open(path, { create: false });
    const create = options.create ?? false;
    // An empty directory may become a repository; anything else there is foreign.
    if (state === 'other' || (state === 'emptydir' && create === false)) {
      throw new CliError(`Not a git repository: ${shown}`, { code: 'NOT_A_REPO' });
    }
    if (create === false) throw new CliError(`Repository not found: ${shown}`, { code: 'REPO_NOT_FOUND' });
    const branch = create === 'empty' ? null : (options.branch ?? 'main');
    return GitStore.open(path, { create: true, branch });
  }

  /** Writes a status line on stderr when `-v` is in effect. */
  protected verbose(line: string): void {
    if (this.isVerbose) process.stderr.write(`${line}\n`);
  }

  /** Writes text to stdout as is (no newline added). */
  protected out(text: string): void {
    process.stdout.write(text);
  }

  /** How this command names itself in usage errors. */
  protected usageContext(): UsageContext {
    const ctor = this.ctor as unknown as { id?: string; args?: Record<string, ArgDef>; usageTail?: string };
    const commandPath = (ctor.id ?? this.id ?? '').split(':').join(' ');
    return { commandPath, usage: ctor.usageTail ?? usageTail(ctor.args ?? {}) };
  }

  override async catch(err: Error & { exitCode?: number }): Promise<unknown> {
    if (isExitSignal(err)) throw err;
    const rendered = renderError(err, this.usageContext());
    process.stderr.write(rendered.stderr);
    if (process.env.VOST_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    return this.exit(rendered.exitCode);
  }
}

/** The repo path as shown in messages: trailing `/` and leading `./` removed. */
export function displayRepoPath(path: string): string {
  let p = path;
  while (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
  if (p.startsWith('./') && p.length > 2) p = p.slice(2);
  return p;
}

function repoState(path: string): 'repo' | 'missing' | 'emptydir' | 'other' {
  if (!existsSync(path)) return 'missing';
  if (existsSync(join(path, 'HEAD')) && existsSync(join(path, 'objects'))) return 'repo';
  try {
    return statSync(path).isDirectory() && readdirSync(path).length === 0 ? 'emptydir' : 'other';
  } catch {
    return 'other';
  }
}

function isTruthy(value: string | undefined): boolean {
  return value !== undefined && ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
}
