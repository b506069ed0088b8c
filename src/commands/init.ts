import { rm } from 'node:fs/promises';
import { lstatSync } from 'node:fs';
import { Flags } from '../cli/declare.js';
import { GitStore } from '../core/index.js';
import { displayRepoPath, VostCommand } from '../cli/base.js';
import { CliError } from '../cli/errors.js';
import { checkRefName } from '../cli/refname.js';

export default class Init extends VostCommand {
  static override summary = 'Create a new bare repository.';
  static override description = 'Creates a bare repository at --repo with one branch holding the commit "Initialize <branch>".';
  static override flags = {
    branch: Flags.string({ char: 'b', description: 'Name of the initial branch.', default: 'main' }),
    force: Flags.boolean({ char: 'f', description: 'Delete anything at the path first.', default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Init);
    const path = this.requireRepoPath();
    checkRefName(flags.branch);
    if (occupied(path)) {
      if (!flags.force) throw new CliError(`Repository already exists: ${displayRepoPath(path)}`, { code: 'REPO_EXISTS' });
      await rm(path, { recursive: true, force: true });
    }
    await GitStore.open(path, { create: true, branch: flags.branch });
    this.verbose(`Initialized ${displayRepoPath(path)}`);
  }
}

/** Anything at `path`, a dangling symbolic link included (existsSync follows links). */
function occupied(path: string): boolean {
  return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
}
