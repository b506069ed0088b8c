import { VostCommand } from '../../cli/base.js';
import { formatFlag, OutputFormat } from '../../cli/output.js';
import { printNames } from '../../cli/refs.js';

export default class BranchList extends VostCommand {
  static override summary = 'List branches, sorted.';
  static override flags = { format: formatFlag };

  async run(): Promise<void> {
    const { flags } = await this.parse(BranchList);
    const store = await this.openStore();
    await printNames(await store.branches.list(), flags.format as OutputFormat);
  }
}
