import { Args } from '../../cli/declare.js';
import { VostCommand } from '../../cli/base.js';

export default class TagExists extends VostCommand {
  static override summary = 'Exit 0 if the tag exists, 1 if not (no output).';
  static override args = { name: Args.string({ required: true, description: 'Tag name.' }) };

  async run(): Promise<void> {
    const { args } = await this.parse(TagExists);
    const store = await this.openStore();
    if (!(await store.tags.has(args.name))) this.exit(1);
  }
}
