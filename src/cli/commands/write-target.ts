/**
 * The branch targeted by the path arguments of `rm` and `mv` (cli.md §3.4):
 * explicit refs must all name the same branch; any `~N` is a historical
 * target, which the writability check refuses with the command's wording.
 */
import { CliError } from '../errors.js';
import type { RepoPathArg } from '../refpath.js';

/** The common `{ref, back}` of the arguments: the one explicit ref (or `''`) and the largest `~N`. */
export function sameBranchTarget(args: readonly Pick<RepoPathArg, 'ref' | 'back'>[]): { ref: string; back: number } {
  const refs = new Set(args.map((a) => a.ref).filter((r) => r !== ''));
  if (refs.size > 1) throw new CliError('All paths must target the same branch', { code: 'MIXED_BRANCHES' });
  return { ref: [...refs][0] ?? '', back: Math.max(0, ...args.map((a) => a.back)) };
}
