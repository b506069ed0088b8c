import { Args } from '../../cli/declare.js';
import { VostCommand } from '../../cli/base.js';
import { printJson, formatFlag } from '../../cli/output.js';
import { backOf, branchSnapshot, criteriaFromFlags, historyFilterFlags, selectMatching, stepBack } from '../../cli/snapshot.js';

export default class BranchHash extends VostCommand {
  static override summary = 'Print the commit id of a branch (after filters).';
  static override args = { name: Args.string({ required: true, description: 'Branch name.' }) };
  static override flags = { ...historyFilterFlags, format: formatFlag };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(BranchHash);
    const criteria = criteriaFromFlags(flags);
    const back = backOf(flags);
    const store = await this.openStore();
    const fs = await stepBack(await selectMatching(await branchSnapshot(store, args.name), criteria), back);
    if (flags.format === 'text') this.out(`${fs.commitHash}\n`);
    else await printJson({ branch: args.name, hash: fs.commitHash });
  }
}
