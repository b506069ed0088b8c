import { Flags } from '../../cli/declare.js';
import { VostCommand } from '../../cli/base.js';
import { CliError } from '../../cli/errors.js';
import { formatFlag, printJson } from '../../cli/output.js';
import { branchNotFound } from '../../cli/snapshot.js';

export default class BranchCurrent extends VostCommand {
  static override summary = 'Print the current branch, or with -b NAME make NAME the current branch.';
  static override flags = {
    branch: Flags.string({ char: 'b', description: 'Make this branch the current one (HEAD).' }),
    format: formatFlag,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(BranchCurrent);
    const store = await this.openStore();
    if (flags.branch !== undefined) {
      if (!(await store.branches.has(flags.branch))) throw branchNotFound(flags.branch);
      await store.branches.setCurrent(flags.branch);
      this.verbose(`Current branch set to ${flags.branch}`);
      return;
    }
    const name = await store.branches.getCurrentName();
    if (!name || !(await store.branches.has(name))) {
      throw new CliError('HEAD does not point to an existing branch', { code: 'DANGLING_HEAD' });
    }
    if (flags.format === 'text') this.out(`${name}\n`);
    else await printJson({ name });
  }
}
