/**
 * Shared pieces of the `branch`, `tag` and `note` command groups.
 */
import { Flags } from './declare.js';
import type { GitStore } from '../core/index.js';
import { CliError, UsageError } from './errors.js';
import { emitList, OutputFormat } from './output.js';
import { currentBranch } from './snapshot.js';
import { compareCodePoints } from './treediff.js';

/**
 * Prints names sorted by code point (cli.md §2.5; a plain JS sort compares
 * UTF-16 units, which misplaces astral characters): text one per line,
 * `json` one array, `jsonl` one string per line.
 */
export function printNames(names: readonly string[], format: OutputFormat): Promise<void> {
  const sorted = [...names].sort(compareCodePoints);
  return emitList(sorted, { format, text: (n) => `${n}\n`, json: (n) => n });
}

/** A group invoked with a word that is not one of its subcommands (`vost branch bogus`). */
export function noSuchSubcommand(word: string): UsageError {
  return new UsageError(`No such command '${word}'.`);
}

/** `-N/--namespace NS` of the note commands. */
export const namespaceFlag = Flags.string({ char: 'N', description: 'Notes namespace (refs/notes/<NS>).', default: 'commits' });

/** A resolved note target: the commit id and the name to show in messages. */
export interface NoteTarget {
  hash: string;
  shown: string;
}

/**
 * Resolves a note TARGET (cli.md §12.5): absent or `:` = the current branch,
 * `name:` = `name`, a 40-hex id as is, else a branch, then a tag.
 */
export async function resolveNoteTarget(store: GitStore, raw: string | undefined): Promise<NoteTarget> {
  let name = raw ?? ':';
  if (name === ':') name = await currentBranch(store);
  else if (name.endsWith(':')) name = name.slice(0, -1);
  if (/^[0-9a-f]{40}$/.test(name)) return { hash: name, shown: name };
  if (name !== '' && (await store.branches.has(name))) return { hash: (await store.branches.get(name)).commitHash, shown: name };
  if (name !== '' && (await store.tags.has(name))) return { hash: (await store.tags.get(name)).commitHash, shown: name };
  throw new CliError(`Cannot resolve '${name}': not a commit hash, branch, or tag`, { code: 'UNKNOWN_TARGET' });
}

export function noNote(target: NoteTarget, namespace: string): CliError {
  return new CliError(`No note for ${target.shown} in namespace '${namespace}'`, { code: 'NO_NOTE' });
}

export function tagNotFound(name: string): CliError {
  return new CliError(`Tag not found: ${name}`, { code: 'TAG_NOT_FOUND' });
}
