import { Args } from '@oclif/core';
import { VostCommand } from '../cli/base.js';
import { CliError } from '../cli/errors.js';
import { normalizeRepoPath, parseRepoPathArg } from '../cli/refpath.js';
import { checkPathConflicts, snapshotFlags } from '../cli/snapshot.js';
import { SnapshotResolver } from '../cli/commands/snapshots.js';
import { writeStdout } from '../cli/commands/stdout.js';
import type { FS } from '../core/index.js';

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
    for (const arg of paths) {
      const path = normalizeRepoPath(arg.path);
      await writeStdout(await readFile(await snapshots.get(arg), path));
    }
  }
}

async function readFile(fs: FS, path: string): Promise<Uint8Array> {
  try {
    return await fs.read(path);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'EISDIR') throw new CliError(`${path} is a directory, not a file`, { code });
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new CliError(`File not found: ${path}`, { code: 'ENOENT' });
    throw err;
  }
}
