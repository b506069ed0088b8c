import { rm } from 'node:fs/promises';
import { Flags } from '../cli/declare.js';
import type { GitStore } from '../core/index.js';
import { EMPTY_TREE_OID } from '../core/repo.js';
import { displayRepoPath, VostCommand } from '../cli/base.js';
import { CliError } from '../cli/errors.js';

export default class Destroy extends VostCommand {
  static override summary = 'Delete the repository.';
  static override description = 'Deletes the repository directory. Refuses when a tag exists or a branch has files, unless -f.';
  static override flags = {
    force: Flags.boolean({ char: 'f', description: 'Destroy even a repository that holds data.', default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Destroy);
    const store = await this.openStore();
    if (!flags.force && (await hasData(store))) {
      throw new CliError('Repository is not empty. Use -f to destroy.', { code: 'REPO_NOT_EMPTY' });
    }
    const path = this.requireRepoPath();
    await rm(path, { recursive: true, force: true });
    this.verbose(`Destroyed ${displayRepoPath(path)}`);
  }
}

/** Data = at least one tag, or a branch whose root tree is not empty. */
async function hasData(store: GitStore): Promise<boolean> {
  if ((await store.tags.list()).length > 0) return true;
  for (const name of await store.branches.list()) {
    if ((await store.branches.get(name)).treeHash !== EMPTY_TREE_OID) return true;
  }
  return false;
}
