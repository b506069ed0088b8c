import { existsSync } from 'node:fs';
import { Args } from '../cli/declare.js';
import { UsageError } from '../cli/errors.js';
import { ImportCommand, importFlags } from './archive_in.js';

export default class Unzip extends ImportCommand {
  static override summary = 'Import a zip file as one commit.';
  static override args = {
    filename: Args.string({ description: 'Zip file to import.', required: true }),
  };
  static override flags = { ...importFlags };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Unzip);
    const file = args.filename as string;
    if (!existsSync(file)) throw new UsageError(`Invalid value for 'FILENAME': Path '${file}' does not exist.`);
    await this.importFrom(file, 'zip', flags);
  }
}
