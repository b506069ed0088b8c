import { Args } from '../../cli/declare.js';
import { VostCommand } from '../../cli/base.js';

export default class BranchExists extends VostCommand {
  static override summary = 'Exit 0 if the branch exists, 1 if not (no output).';
  static override args = { name: Args.string({ required: true, description: 'Branch name.' }) };

  async run(): Promise<void> {
    const { args } = await this.parse(BranchExists);
    const store = await this.openStore();
    if (!(await store.branches.has(args.name))) this.exit(1);
  }
}
