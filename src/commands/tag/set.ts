import { Args, Flags } from '../../cli/declare.js';
import { VostCommand } from '../../cli/base.js';
import { CliError } from '../../cli/errors.js';
import { checkRefName } from '../../cli/refname.js';
import { resolveSnapshot, snapshotFlags } from '../../cli/snapshot.js';

export default class TagSet extends VostCommand {
  static override summary = 'Create a lightweight tag at the selected snapshot (default: the current branch tip).';
  static override args = { name: Args.string({ required: true, description: 'Tag name.' }) };
  static override flags = {
    ...snapshotFlags,
    force: Flags.boolean({ char: 'f', description: 'Replace an existing tag.', default: false }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(TagSet);
    checkRefName(args.name);
    const store = await this.openStore();
    const exists = await store.tags.has(args.name);
    if (exists && !flags.force) throw new CliError(`Tag already exists: ${args.name}`, { code: 'TAG_EXISTS' });
    const fs = await resolveSnapshot(store, flags);
    await store.tags.set(args.name, fs, { force: flags.force });
    this.verbose(`Set tag ${args.name}`);
  }
}
