/**
 * Global options may appear before the command name (`vost -r repo ls`).
 * oclif only parses flags after the command id, so the launcher lifts the
 * leading ones out and passes them on through the environment. Flags given
 * after the command are parsed by the command itself and take precedence.
 */
export interface LiftedArgv {
  argv: string[];
  env: Record<string, string>;
  version: boolean;
}

export function liftGlobalOptions(args: string[]): LiftedArgv {
  const env: Record<string, string> = {};
  let version = false;
  let i = 0;
  while (i < args.length) {
    const a = args[i];
    if (a === '-r' || a === '--repo') {
      if (i + 1 >= args.length) break;
      env.VOST_REPO = args[i + 1];
      i += 2;
    } else if (a.startsWith('--repo=')) {
      env.VOST_REPO = a.slice('--repo='.length);
      i += 1;
    } else if (a.startsWith('-r') && a.length > 2 && !a.startsWith('--')) {
      env.VOST_REPO = a.slice(2);
      i += 1;
    } else if (a === '-v' || a === '--verbose') {
      env.VOST_VERBOSE = '1';
      i += 1;
    } else if (a === '--version') {
      version = true;
      i += 1;
    } else {
      break;
    }
  }
  return { argv: args.slice(i), env, version };
}
