import { Args, Flags } from '../cli/declare.js';
import { VostCommand } from '../cli/base.js';
import { commitOrFail } from '../cli/commands/commit.js';
import { CliError } from '../cli/errors.js';
import { applyTag, checkMessageTemplate, checkTag, messageFlag, tagFlags, type TagOptions } from '../cli/message.js';
import { branchFlag, branchSnapshot, currentBranch } from '../cli/snapshot.js';
import { formatFromName, looksLikeZip } from '../plugins/archive/format.js';
import { resolveLimits } from '../plugins/archive/limits.js';
import { importToSnapshot } from '../plugins/archive/session.js';
import { openSync, readSync, closeSync } from 'node:fs';
import { archiveProgress } from './archive_out.js';

/** The flags every import command takes. */
export const importFlags = {
  branch: branchFlag,
  message: messageFlag,
  'no-create': Flags.boolean({ description: 'Do not create the repository if it does not exist.', default: false }),
  ...tagFlags,
  'max-size': Flags.string({ description: 'Refuse archives expanding past SIZE (e.g. 2G; 0 = no limit; env VOST_ARCHIVE_MAX_SIZE).' }),
  'max-ratio': Flags.string({ description: 'Refuse archives expanding more than N times their size (0 = no limit; env VOST_ARCHIVE_MAX_RATIO).' }),
};

export interface ImportFlags extends TagOptions {
  branch?: string;
  message?: string;
  'no-create'?: boolean;
  'max-size'?: string;
  'max-ratio'?: string;
}

/** Base of archive_in, unzip and untar: one commit (op `ar`) on the branch. */
export abstract class ImportCommand extends VostCommand {
  protected async importFrom(file: string, format: 'zip' | 'tar', flags: ImportFlags): Promise<void> {
    checkMessageTemplate(flags.message);
    const limits = resolveLimits(process.env, { maxSize: flags['max-size'], maxRatio: flags['max-ratio'] });
    const store = await this.openStore({ create: !flags['no-create'], branch: flags.branch });
    const tip = await branchSnapshot(store, flags.branch ?? (await currentBranch(store)));
    await checkTag(store, flags);
    const progress = archiveProgress();
    const result = await importToSnapshot({
      tip,
      format,
      file,
      cwd: process.cwd(),
      stdin: process.stdin,
      limits,
      repoDir: store.path,
      ...(flags.message ? { message: flags.message } : {}),
      warn: (line) => process.stderr.write(`${line}\n`),
      onProgress: progress.update,
      commit: async (writer) => (await commitOrFail(() => writer.commit())).commit,
    }).finally(() => progress.stop());
    await applyTag(store, flags, result.commit ? await store.fs(result.commit) : tip);
    const skipped = result.hardLinksSkipped > 0 ? ` (${result.hardLinksSkipped} hard link(s) skipped)` : '';
    this.verbose(`Imported ${result.files} file(s) from ${file}${skipped}`);
  }
}

/** The container format of FILE: by extension, else by its first bytes. */
function detectFormat(file: string): 'zip' | 'tar' {
  const byName = formatFromName(file);
  if (byName) return byName.kind;
  const head = Buffer.alloc(4);
  try {
    const fd = openSync(file, 'r');
    try { readSync(fd, head, 0, 4, 0); } finally { closeSync(fd); }
  } catch {
    return 'tar';
  }
  return looksLikeZip(head) ? 'zip' : 'tar';
}

export default class ArchiveIn extends ImportCommand {
  static override summary = 'Import a zip or tar archive (FILE, or stdin with --format) as one commit.';
  static override args = {
    filename: Args.string({ description: 'Archive to read; - or omitted for stdin.', required: false }),
  };
  static override flags = {
    format: Flags.string({ description: 'Archive format (required for stdin).', options: ['zip', 'tar'] }),
    ...importFlags,
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ArchiveIn);
    const file = (args.filename as string | undefined) ?? '-';
    const flag = flags.format as 'zip' | 'tar' | undefined;
    if (file === '-' && !flag) throw new CliError('Use --format when reading from stdin', { code: 'FORMAT_REQUIRED' });
    await this.importFrom(file, flag ?? detectFormat(file), flags);
  }
}
