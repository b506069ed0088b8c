/**
 * Starting a command without oclif. Loading oclif and its Config (package
 * metadata, plugins, the manifest) costs more than most commands take to run,
 * and none of it is needed to run a built-in command: bin/run.js sends a
 * command line that names one straight to the command's own `run`, and leaves
 * everything else (help, unknown commands, plugin commands) to oclif.
 */
import { isExitSignal } from './errors.js';

export { groupsOf, LIFTED_VERBOSE, liftGlobalOptions } from './argv.js';

/** A command module as the bundle loads it. */
export type CommandLoader = () => Promise<{ default: { id?: string; run(argv: string[], config?: unknown): Promise<unknown> } }>;

/** A built-in command named by the command line, with the arguments that follow its name. */
export interface DirectCommand {
  id: string;
  argv: string[];
}

/**
 * The built-in command that `argv` names (`branch list` → `branch:list`), or
 * null when oclif must handle the line: no command, an unknown one, or
 * `--help` anywhere before `--`.
 */
export function directCommand(argv: readonly string[], ids: ReadonlySet<string>): DirectCommand | null {
  const end = argv.indexOf('--');
  const options = end === -1 ? argv : argv.slice(0, end);
  if (argv.length === 0 || options.includes('--help')) return null;
  const sub = argv.length >= 2 ? `${argv[0]}:${argv[1]}` : null;
  if (sub !== null && ids.has(sub)) return { id: sub, argv: argv.slice(2) };
  if (ids.has(argv[0])) return { id: argv[0], argv: argv.slice(1) };
  return null;
}

/** Runs a built-in command to completion; its exit signal becomes the process exit code. */
export async function runDirect(load: CommandLoader, command: DirectCommand): Promise<void> {
  const { default: cls } = await load();
  cls.id = command.id;
  try {
    await cls.run(command.argv);
  } catch (err) {
    if (isExitSignal(err)) process.exit((err as { oclif: { exit: number } }).oclif.exit);
    throw err;
  }
}
