import type { FS } from '../core/index.js';
import { moveRef, reflogCommitter, staleError } from '../core/commit.js';
import { withRepoLock } from '../core/lock.js';
import { VostCommand } from '../cli/base.js';
import { CliError } from '../cli/errors.js';
import { intArg } from '../cli/flags.js';
import { REDO_MESSAGE, redoStack } from '../cli/history.js';
import { branchFlag, branchSnapshot, currentBranch } from '../cli/snapshot.js';

const ZERO = '0'.repeat(40);

export default class Redo extends VostCommand {
  static override summary = 'Revert the most recent undo(s) on the branch.';
  static override description =
    'Treats the reflog as an undo stack: each undo can be redone once, in reverse order; ' +
    'any other movement of the branch clears the stack.';
  static override args = {
    steps: intArg({ description: 'Number of undos to revert.', default: 1 }),
  };
  static override flags = { branch: branchFlag };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Redo);
    const steps = args.steps;
    if (steps < 1) throw new CliError(`steps must be >= 1, got ${steps}`, { code: 'BAD_STEPS' });
    const store = await this.openStore();
    const name = flags.branch ?? (await currentBranch(store));
    const fs = await branchSnapshot(store, name);
    const entries = await store.branches.reflog(name).catch(() => []);
    if (entries.length === 0) throw new CliError(`No reflog found for branch '${name}'`, { code: 'NO_REFLOG' });
    if (entries[entries.length - 1].newSha !== fs.commitHash) {
      throw new CliError('Cannot redo - current commit not in reflog (you may have a stale snapshot)', { code: 'STALE' });
    }
    const stack = redoStack(entries);
    if (stack.length === 0) throw new CliError('Nothing to redo', { code: 'NOTHING_TO_REDO' });
    if (steps > stack.length) {
      throw new CliError(`Cannot redo ${steps} steps - only ${stack.length} step(s) available`, { code: 'REDO_TOO_FAR' });
    }
    const target = stack[stack.length - steps].oldSha;
    if (target === ZERO) {
      throw new CliError(`Cannot redo ${steps} step(s) — reaches branch creation point (no prior commit)`, {
        code: 'REDO_TOO_FAR',
      });
    }
    const moved = await moveBranch(fs, target);
    this.out(`Branch now at: ${moved.commitHash.slice(0, 7)} - ${await moved.getMessage()}\n`);
    this.verbose(`Redid ${steps} ${steps === 1 ? 'step' : 'steps'} on '${name}'`);
  }
}

/** Moves `fs`'s branch to `target` with a `redo: move forward` reflog line, if it has not moved meanwhile. */
async function moveBranch(fs: FS, target: string): Promise<FS> {
  const store = fs._store;
  const repo = await fs._repo();
  const ref = `refs/heads/${fs.refName}`;
  await withRepoLock(store._gitdir, async () => {
    if ((await repo.refs.resolve(ref)) !== fs.commitHash) throw staleError(fs.refName);
    await moveRef(repo, ref, target, fs.commitHash, reflogCommitter(store._signature), REDO_MESSAGE, fs.refName);
  });
  return store.branches.get(fs.refName as string);
}
