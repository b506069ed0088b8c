import { Args } from '../cli/declare.js';
import { snapshotFlags } from '../cli/snapshot.js';
import { ExportCommand } from './archive_out.js';

export default class Zip extends ExportCommand {
  static override summary = 'Export a snapshot as a zip archive (FILE or - for stdout).';
  static override args = {
    filename: Args.string({ description: 'Zip file to write, or - for stdout.', required: true }),
  };
  static override flags = { ...snapshotFlags };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Zip);
    await this.exportTo(args.filename as string, { kind: 'zip' }, flags);
  }
}
