/**
 * Commit-message, `--tag`/`--force-tag` and `--parent` handling shared by the
 * write commands (cli.md §5.2, §5.3).
 */
import { Flags } from './declare.js';
import type { ChangeReport, FS, GitStore } from '../core/index.js';
import { emptyChangeReport } from '../core/changes.js';
import { formatCommitMessage } from '../core/message.js';
import { CliError } from './errors.js';
import { checkRefName } from './refname.js';
import { resolveRef } from './snapshot.js';

/** `-m/--message MSG` (a template when it contains `{`). */
export const messageFlag = Flags.string({ char: 'm', description: 'Commit message ({default}, {add_count}, … placeholders).' });

/** `--tag NAME` and `--force-tag`, to spread into a write command's flags. */
export const tagFlags = {
  tag: Flags.string({ description: 'Create a lightweight tag at the resulting commit.' }),
  'force-tag': Flags.boolean({ description: 'Replace an existing tag given with --tag.', default: false }),
};

/** Repeatable `--parent REF`: extra (advisory) parents of the new commit. */
export const parentFlag = Flags.string({ description: 'Add REF as an extra parent of the commit (repeatable).', multiple: true });

export interface TagOptions {
  tag?: string;
  'force-tag'?: boolean;
}

/** Throws now, before anything is committed, if `template` is not a valid message template. */
export function checkMessageTemplate(template: string | undefined): void {
  if (template) renderMessage(template, emptyChangeReport(), '');
}

/**
 * The commit message for `report` (cli.md §5.1/5.2): the automatic one when
 * `template` is empty, else the template with Python `str.format` rules.
 */
export function renderMessage(template: string | undefined, report: ChangeReport, op: string): string {
  try {
    return formatCommitMessage(template, report, op, { strict: true });
  } catch (err) {
    throw new CliError((err as Error).message, { code: 'BAD_MESSAGE_TEMPLATE' });
  }
}

/**
 * Checks `--tag` before committing (cli.md §5.3): a valid name that does not
 * exist yet, unless `--force-tag`.
 */
export async function checkTag(store: GitStore, options: TagOptions): Promise<void> {
  if (options.tag === undefined) return;
  checkRefName(options.tag);
  if (!options['force-tag'] && (await store.tags.has(options.tag))) {
    throw new CliError(`Tag already exists: ${options.tag} (use --force-tag to overwrite)`, { code: 'TAG_EXISTS' });
  }
}

/** Creates (or with `--force-tag` replaces) the `--tag` at `fs`'s commit. */
export async function applyTag(store: GitStore, options: TagOptions, fs: FS): Promise<void> {
  if (options.tag === undefined) return;
  if (options['force-tag'] && (await store.tags.has(options.tag))) await store.tags.delete(options.tag);
  await store.tags.set(options.tag, fs);
}

/** Resolves each `--parent` (cli.md §4.1); unknown → `Unknown ref: <REF>`. */
export async function resolveParents(store: GitStore, refs: readonly string[] | undefined): Promise<FS[]> {
  const out: FS[] = [];
  for (const ref of refs ?? []) out.push(await resolveRef(store, ref));
  return out;
}
