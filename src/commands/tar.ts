import { Args } from '../cli/declare.js';
import { snapshotFlags } from '../cli/snapshot.js';
import { resolveOutputFormat } from '../plugins/archive/format.js';
import { ExportCommand } from './archive_out.js';

export default class Tar extends ExportCommand {
  static override summary = 'Export a snapshot as a tar archive, compressed by extension (FILE or - for stdout).';
  static override args = {
    filename: Args.string({ description: 'Tar file to write (.tar, .tar.gz, .tgz, .tar.bz2, .tar.xz), or - for stdout.', required: true }),
  };
  static override flags = { ...snapshotFlags };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Tar);
    const file = args.filename as string;
    await this.exportTo(file, resolveOutputFormat(file, 'tar'), flags);
  }
}
