import { Args } from '../../cli/declare.js';
import { VostCommand } from '../../cli/base.js';
import { formatFlag, printJson } from '../../cli/output.js';
import { tagNotFound } from '../../cli/refs.js';

export default class TagHash extends VostCommand {
  static override summary = 'Print the commit id a tag points to (annotated tags are peeled).';
  static override args = { name: Args.string({ required: true, description: 'Tag name.' }) };
  static override flags = { format: formatFlag };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(TagHash);
    const store = await this.openStore();
    if (!(await store.tags.has(args.name))) throw tagNotFound(args.name);
    const hash = (await store.tags.get(args.name)).commitHash;
    if (flags.format === 'text') this.out(`${hash}\n`);
    else await printJson({ tag: args.name, hash });
  }
}
