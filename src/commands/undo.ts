import { VostCommand } from '../cli/base.js';
import { CliError } from '../cli/errors.js';
import { intArg } from '../cli/flags.js';
import { branchFlag, branchSnapshot, currentBranch } from '../cli/snapshot.js';

export default class Undo extends VostCommand {
  static override summary = 'Move the branch back STEPS first-parent commits.';
  static override args = {
    steps: intArg({ description: 'Number of commits to step back.', default: 1 }),
  };
  static override flags = { branch: branchFlag };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Undo);
    const steps = args.steps;
    if (steps < 1) throw new CliError(`steps must be >= 1, got ${steps}`, { code: 'BAD_STEPS' });
    const store = await this.openStore();
    const name = flags.branch ?? (await currentBranch(store));
    const fs = await branchSnapshot(store, name);
    const moved = await fs.undo(steps);
    this.out(`Branch now at: ${moved.commitHash.slice(0, 7)} - ${await moved.getMessage()}\n`);
    this.verbose(`Undid ${steps} ${steps === 1 ? 'step' : 'steps'} on '${name}'`);
  }
}
