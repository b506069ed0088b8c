import { VostCommand } from '../../cli/base.js';
import { formatFlag, OutputFormat } from '../../cli/output.js';
import { printNames } from '../../cli/refs.js';

export default class TagList extends VostCommand {
  static override summary = 'List tags, sorted.';
  static override flags = { format: formatFlag };

  async run(): Promise<void> {
    const { flags } = await this.parse(TagList);
    const store = await this.openStore();
    await printNames(await store.tags.list(), flags.format as OutputFormat);
  }
}
