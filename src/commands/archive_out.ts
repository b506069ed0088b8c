import { Args, Flags } from '@oclif/core';
import { VostCommand } from '../cli/base.js';
import { CliError } from '../cli/errors.js';
import { resolveSnapshot, snapshotFlags, type SnapshotFlags } from '../cli/snapshot.js';
import { resolveOutputFormat, type ArchiveFormat } from '../plugins/archive/format.js';
import { exportSnapshot } from '../plugins/archive/session.js';

/** Base of archive_out, zip and tar: resolve the snapshot, write the archive, report. */
export abstract class ExportCommand extends VostCommand {
  protected async exportTo(file: string, format: ArchiveFormat, flags: SnapshotFlags): Promise<void> {
    const store = await this.openStore();
    const snapshot = await resolveSnapshot(store, flags);
    const count = await exportSnapshot({ snapshot, format, file, cwd: process.cwd(), stdout: process.stdout });
    this.verbose(`Wrote ${count} file(s) to ${file}`);
  }
}

export default class ArchiveOut extends ExportCommand {
  static override summary = 'Export a snapshot as a zip or tar archive (FILE or - for stdout).';
  static override args = {
    filename: Args.string({ description: 'Archive to write (.zip, .tar, .tar.gz, .tgz, .tar.bz2, .tar.xz) or - for stdout.', required: true }),
  };
  static override flags = {
    format: Flags.string({ description: 'Archive format (required for -).', options: ['zip', 'tar'] }),
    ...snapshotFlags,
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ArchiveOut);
    const file = args.filename as string;
    const flag = flags.format as 'zip' | 'tar' | undefined;
    if (file === '-' && !flag) throw new CliError('Use --format with stdout (-)', { code: 'FORMAT_REQUIRED' });
    await this.exportTo(file, resolveOutputFormat(file, flag), flags);
  }
}
