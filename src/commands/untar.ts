import { Args } from '../cli/declare.js';
import { ImportCommand, importFlags } from './archive_in.js';

export default class Untar extends ImportCommand {
  static override summary = 'Import a tar archive (any compression; FILE, or stdin) as one commit.';
  static override args = {
    filename: Args.string({ description: 'Tar file to import; - or omitted for stdin.', required: false }),
  };
  static override flags = { ...importFlags };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Untar);
    await this.importFrom((args.filename as string | undefined) ?? '-', 'tar', flags);
  }
}
