import { Args, Flags } from '../cli/declare.js';
import { VostCommand } from '../cli/base.js';
import { CliError } from '../cli/errors.js';
import { resolveSnapshot, snapshotFlags, type SnapshotFlags } from '../cli/snapshot.js';
import { resolveOutputFormat, type ArchiveFormat } from '../plugins/archive/format.js';
import { exportSnapshot } from '../plugins/archive/session.js';
import { formatBytes } from '../cli/transfer/progress.js';

const SHOW_AFTER_MS = 1000;
const REDRAW_MS = 100;

/**
 * `N files, X MiB` on stderr while a long archive job runs: only on a
 * terminal and after a second (the total is not known up front, so no bar).
 */
export function archiveProgress(): { update(files: number, bytes: number): void; stop(): void } {
  const start = Date.now();
  let last = 0;
  let drawn = false;
  const tty = process.stderr.isTTY === true;
  return {
    update(files, bytes) {
      const now = Date.now();
      if (!tty || now - start < SHOW_AFTER_MS || now - last < REDRAW_MS) return;
      last = now;
      drawn = true;
      process.stderr.write(`\r\x1b[2K${files} files, ${formatBytes(bytes)}`);
    },
    stop() {
      if (drawn) process.stderr.write('\r\x1b[2K');
      drawn = false;
    },
  };
}

/** Base of archive_out, zip and tar: resolve the snapshot, write the archive, report. */
export abstract class ExportCommand extends VostCommand {
  protected async exportTo(file: string, format: ArchiveFormat, flags: SnapshotFlags): Promise<void> {
    const store = await this.openStore();
    const snapshot = await resolveSnapshot(store, flags);
    const progress = archiveProgress();
    const count = await exportSnapshot({ snapshot, format, file, cwd: process.cwd(), stdout: process.stdout, onProgress: progress.update })
      .finally(() => progress.stop());
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
