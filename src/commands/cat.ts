import { Args } from '../cli/declare.js';
import { VostCommand } from '../cli/base.js';
import { normalizeRepoPath, parseRepoPathArg } from '../cli/refpath.js';
import { checkPathConflicts, snapshotFlags } from '../cli/snapshot.js';
import { catFile } from '../cli/commands/blob-out.js';
import { SnapshotResolver } from '../cli/commands/snapshots.js';

export default class Cat extends VostCommand {
  static override summary = 'Print the raw bytes of repo files to stdout, concatenated.';
  static override args = {
    paths: Args.string({ description: 'Repo paths ([ref[~N]]:path, the colon is optional).', required: true, multiple: true }),
  };
  static override flags = { ...snapshotFlags };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Cat);
    const paths = (args.paths as unknown as string[]).map(parseRepoPathArg);
    checkPathConflicts(paths, flags);
    const snapshots = new SnapshotResolver(await this.openStore(), flags);
    // Each file goes out before the next is looked up, so output before an error stays printed.
    for (const arg of paths) await catFile(await snapshots.get(arg), normalizeRepoPath(arg.path));
  }
}
