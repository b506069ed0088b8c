import { Args } from '../../cli/declare.js';
import { VostCommand } from '../../cli/base.js';
import { noSuchSubcommand, printNames } from '../../cli/refs.js';

export default class Branch extends VostCommand {
  static override summary = 'Manage branches (without a subcommand: list them).';
  static override args = { command: Args.string({ hidden: true }) };
  static usageTail = '[OPTIONS] COMMAND [ARGS]...';
  // Surplus words are reported as the unknown subcommand, not as extra arguments.
  static override strict = false;

  async run(): Promise<void> {
    const { args } = await this.parse(Branch);
    if (args.command !== undefined) throw noSuchSubcommand(args.command);
    const store = await this.openStore();
    await printNames(await store.branches.list(), 'text');
  }
}
