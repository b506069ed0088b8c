import { Args, Flags } from '../../cli/declare.js';
import type { GitStore } from '../../core/index.js';
import { writeVostCommit } from '../../core/commit.js';
import { withRepoLock } from '../../core/lock.js';
import { VostCommand } from '../../cli/base.js';
import { CliError } from '../../cli/errors.js';
import { checkRefName } from '../../cli/refname.js';
import { resolveSnapshot, SnapshotFlags, snapshotFlags } from '../../cli/snapshot.js';

export default class BranchSet extends VostCommand {
  static override summary = 'Create or move a branch.';
  static override description =
    'Points NAME at the source snapshot (-b SRC or the current branch, with --ref and filters). ' +
    '--empty makes a new root commit "Initialize NAME"; --squash a parentless commit "squash" with the ' +
    "source's tree; --squash --append adds that commit on top of NAME.";
  static override args = { name: Args.string({ required: true, description: 'Branch to set.' }) };
  static override flags = {
    ...snapshotFlags,
    branch: Flags.string({ char: 'b', description: 'Source branch (default: the current branch).' }),
    force: Flags.boolean({ char: 'f', description: 'Allow replacing an existing branch.', default: false }),
    empty: Flags.boolean({ description: 'Create NAME as a new empty root commit.', default: false }),
    squash: Flags.boolean({ description: "Point NAME at a new parentless commit with the source's tree.", default: false }),
    append: Flags.boolean({ description: 'With --squash: add the commit on top of NAME.', default: false }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(BranchSet);
    const name = args.name;
    checkRefName(name);
    const store = await this.openStore();
    const exists = await store.branches.has(name);
    if (flags.append) {
      if (flags.empty) throw new CliError('--append cannot be combined with --empty');
      if (!flags.squash) {
        throw new CliError('--append without --squash (replay full commit chain) is not yet implemented');
      }
      if (!exists) throw new CliError(`--append requires existing branch: ${name}`);
      const source = await resolveSnapshot(store, flags);
      const commit = await source.squash({ parent: await store.branches.get(name) });
      await store.branches.set(name, commit);
    } else if (exists && !flags.force) {
      throw new CliError(`Branch already exists: ${name}`, { code: 'BRANCH_EXISTS' });
    } else if (flags.empty) {
      if (usesSnapshotSelection(flags)) {
        throw new CliError('--empty cannot be combined with --ref/--path/--match/--before/--back');
      }
      await setEmptyBranch(store, name);
    } else {
      const source = await resolveSnapshot(store, flags);
      await store.branches.set(name, flags.squash ? await source.squash() : source);
    }
    this.verbose(`Set branch ${name}`);
  }
}

function usesSnapshotSelection(flags: SnapshotFlags): boolean {
  return (
    flags.ref !== undefined ||
    flags.path !== undefined ||
    flags.match !== undefined ||
    flags.before !== undefined ||
    (flags.back ?? 0) !== 0
  );
}

/** NAME = a new root commit `Initialize NAME` with an empty tree, without a reflog line (as `init` does). */
async function setEmptyBranch(store: GitStore, name: string): Promise<void> {
  const repo = await store._open();
  const tree = await repo.writeTree([]);
  const oid = await writeVostCommit(repo, store._signature, tree, [], `Initialize ${name}`);
  await withRepoLock(store._gitdir, () => repo.refs.update({ ref: `refs/heads/${name}`, newOid: oid }));
}
