import { Args } from '../../cli/declare.js';
import { VostCommand } from '../../cli/base.js';
import { tagNotFound } from '../../cli/refs.js';

export default class TagDelete extends VostCommand {
  static override summary = 'Delete a tag.';
  static override args = { name: Args.string({ required: true, description: 'Tag name.' }) };

  async run(): Promise<void> {
    const { args } = await this.parse(TagDelete);
    const store = await this.openStore();
    if (!(await store.tags.has(args.name))) throw tagNotFound(args.name);
    await store.tags.delete(args.name);
    this.verbose(`Deleted tag ${args.name}`);
  }
}
