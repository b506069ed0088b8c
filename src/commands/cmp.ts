import { Args } from '../cli/declare.js';
import { VostCommand } from '../cli/base.js';
import { CliError } from '../cli/errors.js';
import { normalizeRepoPath, parsePathArg, type PathArg, type RepoPathArg } from '../cli/refpath.js';
import { checkPathConflicts, snapshotFlags } from '../cli/snapshot.js';
import { localBlobId } from '../cli/commands/local-blob.js';
import { SnapshotResolver } from '../cli/commands/snapshots.js';

export default class Cmp extends VostCommand {
  static override summary = 'Compare two files (repo or local) by git blob id: exit 0 if equal, 1 if not.';
  static override args = {
    file1: Args.string({ description: 'A repo path (with a colon) or a local file.', required: true }),
    file2: Args.string({ description: 'A repo path (with a colon) or a local file.', required: true }),
  };
  static override flags = { ...snapshotFlags };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Cmp);
    const parsed = [parsePathArg(args.file1), parsePathArg(args.file2)];
    const repoArgs = parsed.filter((p): p is RepoPathArg => p.kind === 'repo');
    checkPathConflicts(repoArgs, flags);
    // Two local files need no repository at all.
    const snapshots = repoArgs.length > 0 ? new SnapshotResolver(await this.openStore(), flags) : null;
    const hashes: string[] = [];
    for (const arg of parsed) hashes.push(await blobIdOf(arg, snapshots));
    this.verbose(`${hashes[0]}  ${args.file1}`);
    this.verbose(`${hashes[1]}  ${args.file2}`);
    if (hashes[0] !== hashes[1]) this.exit(1);
  }
}

async function blobIdOf(arg: PathArg, snapshots: SnapshotResolver | null): Promise<string> {
  if (arg.kind === 'local') return localBlobId(arg.path);
  const path = normalizeRepoPath(arg.path);
  const fs = await snapshots!.get(arg);
  const st = await fs.stat(path).catch((err: { code?: string }) => {
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR') throw new CliError(`File not found: ${path}`, { code: 'ENOENT' });
    throw err;
  });
  if (st.fileType === 'tree') throw new CliError(`Is a directory: ${path}`, { code: 'EISDIR' });
  return st.hash;
}
