import { Args } from '../../cli/declare.js';
import { VostCommand } from '../../cli/base.js';
import { branchNotFound } from '../../cli/snapshot.js';

export default class BranchDelete extends VostCommand {
  static override summary = 'Delete a branch (the current one too: HEAD then dangles).';
  static override args = { name: Args.string({ required: true, description: 'Branch name.' }) };

  async run(): Promise<void> {
    const { args } = await this.parse(BranchDelete);
    const store = await this.openStore();
    if (!(await store.branches.has(args.name))) throw branchNotFound(args.name);
    await store.branches.delete(args.name);
    this.verbose(`Deleted branch ${args.name}`);
  }
}
