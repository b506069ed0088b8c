/**
 * Global options may appear before the command name (`vost -r repo ls`) and
 * between a command group and its subcommand (`vost note -r repo list`).
 * oclif only parses flags after the full command id, so the launcher lifts
 * those out and passes them on through the environment. Flags given after
 * the command are parsed by the command itself and take precedence.
 */
/**
 * Where a lifted `-v` travels. Not `VOST_VERBOSE`: the spec gives `-v` no
 * environment variable, so a user's environment must not turn it on.
 */
export const LIFTED_VERBOSE = 'VOST_LIFTED_VERBOSE';

export interface LiftedArgv {
  argv: string[];
  env: Record<string, string>;
  version: boolean;
}

/**
 * Lifts `-r/--repo`, `-v/--verbose` and `--version` from the front of `args`
 * and from right after each group name in `groups` (command ids with
 * subcommands, `:`-separated for nested groups, e.g. `branch`, `note`).
 */
export function liftGlobalOptions(args: string[], groups: ReadonlySet<string> = new Set()): LiftedArgv {
  const env: Record<string, string> = {};
  const argv: string[] = [];
  let version = false;
  let i = 0;
  const path: string[] = [];
  for (;;) {
    while (i < args.length) {
      // click: `--` ends the options of this level; the next word is still a command name.
      if (args[i] === '--') {
        i += 1;
        break;
      }
      const step = globalOption(args, i);
      if (step === null) break;
      if (step.repo !== undefined) env.VOST_REPO = step.repo;
      if (step.verbose) env[LIFTED_VERBOSE] = '1';
      if (step.version) version = true;
      i += step.consumed;
    }
    if (i >= args.length) break;
    // Keep lifting only while the next word is a group and the word after it may be a subcommand.
    const word = args[i];
    if (!groups.has([...path, word].join(':'))) break;
    path.push(word);
    argv.push(word);
    i += 1;
  }
  return { argv: [...argv, ...args.slice(i)], env, version };
}

interface GlobalStep {
  consumed: number;
  repo?: string;
  verbose?: boolean;
  version?: boolean;
}

function globalOption(args: string[], i: number): GlobalStep | null {
  const a = args[i];
  if (a === '--repo') return i + 1 < args.length ? { consumed: 2, repo: args[i + 1] } : null;
  if (a.startsWith('--repo=')) return { consumed: 1, repo: a.slice('--repo='.length) };
  if (a === '--verbose') return { consumed: 1, verbose: true };
  if (a === '--version') return { consumed: 1, version: true };
  if (/^-[rv]/.test(a)) return shortCluster(args, i);
  return null;
}

/** `-v`, `-r X`, `-rX` and clusters of them (`-vr X`, `-vrX`), read as click reads short options. */
function shortCluster(args: string[], i: number): GlobalStep | null {
  const a = args[i];
  let verbose = false;
  for (let j = 1; j < a.length; j++) {
    if (a[j] === 'v') {
      verbose = true;
      continue;
    }
    if (a[j] !== 'r') return null;
    const rest = a.slice(j + 1);
    if (rest !== '') return { consumed: 1, repo: rest, verbose };
    return i + 1 < args.length ? { consumed: 2, repo: args[i + 1], verbose } : null;
  }
  return { consumed: 1, verbose };
}

/** Group names (command ids that have subcommands) from a list of command ids. */
export function groupsOf(commandIds: Iterable<string>): Set<string> {
  const groups = new Set<string>();
  for (const id of commandIds) {
    const parts = id.split(':');
    for (let n = 1; n < parts.length; n++) groups.add(parts.slice(0, n).join(':'));
  }
  return groups;
}
