/**
 * The base class of every vost command.
 *
 * A command is a small class with static declarations (`summary`, `args`,
 * `flags`, ...) and a `run()`. The static `run(argv, config?)` is the whole
 * life cycle: parse, run, and on failure one error handler (./errors.ts) that
 * prints and exits. It does not need oclif: bin/run.js calls it directly for a
 * known command, and oclif's command table (help, unknown commands) calls the
 * same entry with its Config, which the few commands that need oclif (plugin
 * hooks, group help) get through `oclifConfig()`.
 *
 * - Global flags on every command: `-r/--repo` (env VOST_REPO; a flag after
 *   the command beats the env value lifted from before it) and `-v/--verbose`.
 * - `openStore()` opens (or auto-creates) the repository with the messages of
 *   cli.md §2.2/§2.6.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { GitStore } from '../core/index.js';
import { Arg, Flag, Flags, Parsed } from './declare.js';
import { LIFTED_VERBOSE } from './argv.js';
import { CliError, ExitSignal, isExitSignal, renderError, UsageContext } from './errors.js';
import { ArgDef, FlagDef, parseCommandLine, usageTail } from './parser.js';

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

/** The parts of oclif's Config that commands use, loaded only when needed. */
export interface OclifConfig {
  runHook(event: string, opts: Record<string, unknown>): Promise<{ successes: Array<{ result: unknown }>; failures: Array<{ error: Error; plugin: { name: string } }> }>;
}

const baseFlags = {
  repo: Flags.string({
    char: 'r',
    env: 'VOST_REPO',
    description: 'Path of the bare repository.',
    helpGroup: 'GLOBAL',
  }),
  verbose: Flags.boolean({
    char: 'v',
    description: 'Print status messages on stderr.',
    helpGroup: 'GLOBAL',
  }),
};

/** What a command class declares. */
export interface CommandDeclaration {
  id?: string;
  flags?: Record<string, Flag<unknown>>;
  args?: Record<string, Arg<unknown>>;
  baseFlags?: Record<string, Flag<unknown>>;
  strict?: boolean;
  usageTail?: string;
}

type CommandClass<T extends VostCommand> = (new (argv: string[], config?: unknown) => T) & CommandDeclaration;

export abstract class VostCommand {
  /** Command id with `:` separators (`branch:list`); set by the command table. */
  static id: string | undefined;
  static summary?: string;
  static description?: string;
  static hidden = false;
  static aliases: string[] = [];
  static examples: string[] = [];
  static strict = true;
  static baseFlags: Record<string, Flag<unknown>> = baseFlags;
  static flags: Record<string, Flag<unknown>> = {};
  static args: Record<string, Arg<unknown>> = {};

  /** Runs one command to completion (the whole life cycle; see the file comment). */
  static async run<T extends VostCommand>(this: CommandClass<T>, argv: string[] = [], config?: unknown): Promise<void> {
    const command = new this(argv, config);
    try {
      command.init();
      await command.run();
    } catch (err) {
      command.fail(err);
    }
  }

  /** `--repo` after parsing (flag, else VOST_REPO); undefined when neither is given. */
  protected repoPath: string | undefined;
  /** `-v/--verbose` after parsing. */
  protected isVerbose = false;

  constructor(
    protected readonly argv: string[],
    private readonly givenConfig?: unknown,
  ) {}

  abstract run(): Promise<void>;

  protected init(): void {
    this.repoPath = process.env.VOST_REPO || undefined;
    this.isVerbose = isTruthy(process.env[LIFTED_VERBOSE]);
    // `vost log | head` must end quietly, not with an EPIPE stack trace.
    process.stdout.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(0);
    });
  }

  /** Click-compatible parsing of this command's flags and args (see ./parser.ts). */
  protected async parse<C extends CommandDeclaration>(
    declaration: C,
    argv: string[] = this.argv,
  ): Promise<{ flags: Parsed<C['flags'] & typeof baseFlags>; args: Parsed<C['args']>; argv: string[] }> {
    const flags = { ...(declaration.baseFlags ?? baseFlags), ...(declaration.flags ?? {}) } as Record<string, FlagDef>;
    const args = (declaration.args ?? {}) as Record<string, ArgDef>;
    const result = await parseCommandLine(argv, { flags, args, strict: declaration.strict });
    if (typeof result.flags.repo === 'string' && result.flags.repo !== '') this.repoPath = result.flags.repo;
    if (result.flags.verbose === true) this.isVerbose = true;
    return result as { flags: Parsed<C['flags'] & typeof baseFlags>; args: Parsed<C['args']>; argv: string[] };
  }

  /** oclif's Config: the one oclif ran us with, else loaded now (plugins, hooks, help). */
  protected async oclifConfig(): Promise<OclifConfig> {
    if (this.givenConfig) return this.givenConfig as OclifConfig;
    const { Config } = await loadOclif();
    return Config.load({ root: packageRoot() });
  }

  /** Ends the command with `code` (no message); see ExitSignal. */
  protected exit(code = 0): never {
    throw new ExitSignal(code);
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
    const ctor = this.constructor as CommandDeclaration;
    const commandPath = (ctor.id ?? '').split(':').join(' ');
    return { commandPath, usage: ctor.usageTail ?? usageTail(ctor.args ?? {}) };
  }

  /** The one error handler: print what the user should see, then exit with its code. */
  private fail(err: unknown): never {
    if (isExitSignal(err)) throw err;
    const rendered = renderError(err, this.usageContext());
    process.stderr.write(rendered.stderr);
    if (process.env.VOST_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    throw new ExitSignal(rendered.exitCode);
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

/** The package root (where package.json is), from dist/cli/ or dist/bundle/chunks/. */
function packageRoot(): string {
  let dir = new URL('.', import.meta.url);
  for (let i = 0; i < 4; i++) {
    if (existsSync(new URL('package.json', dir))) return decodeURIComponent(dir.pathname);
    dir = new URL('..', dir);
  }
  throw new Error('vost: package.json not found');
}

/**
 * @oclif/core, imported on demand. It is CommonJS: Node's loader names its
 * exports, the bundle's loader may only give the module as `default`.
 */
export async function loadOclif(): Promise<typeof import('@oclif/core')> {
  const mod = (await import('@oclif/core')) as typeof import('@oclif/core') & { default?: typeof import('@oclif/core') };
  return mod.Config ? mod : (mod.default as typeof import('@oclif/core'));
}
