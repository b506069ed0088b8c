/** Map-like access to branches and tags (spec/api.md §14). */
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidRefNameError, KeyExistsError, KeyNotFoundError } from './errors.js';
import { validateRefName } from './paths.js';
import { withRepoLock } from './lock.js';
import { reflogCommitter } from './commit.js';
import { ZERO_OID } from './store/types.js';
import type { ReflogEntry } from './types.js';
import type { GitStore } from './gitstore.js';
import { FS } from './fs.js';

type Kind = 'branches' | 'tags';

export class RefDict {
  private readonly prefix: string;

  constructor(
    private readonly store: GitStore,
    private readonly kind: Kind,
  ) {
    this.prefix = kind === 'branches' ? 'refs/heads/' : 'refs/tags/';
  }

  toString(): string {
    return `RefDict('${this.kind}')`;
  }

  /**
   * Value of `<prefix><name>`, or null. Lookups do not validate names (spec
   * §6): a name git could never store simply does not exist.
   */
  private async resolve(name: string): Promise<string | null> {
    const repo = await this.store._open();
    try {
      return await repo.refs.resolve(this.prefix + name);
    } catch (err) {
      if (err instanceof InvalidRefNameError) return null;
      throw err;
    }
  }

  /** Commit id the ref names (annotated tags peeled), or null when absent. */
  private async target(name: string): Promise<string | null> {
    const repo = await this.store._open();
    const oid = await this.resolve(name);
    if (oid === null || this.kind === 'branches') return oid;
    const peeled = await repo.peel(oid);
    return peeled?.type === 'commit' ? peeled.oid : oid;
  }

  async get(name: string): Promise<FS> {
    const oid = await this.target(name);
    if (oid === null) throw new KeyNotFoundError(`Key not found: ${name}`);
    return FS._fromCommit(this.store, oid, name, this.kind === 'branches');
  }

  async has(name: string): Promise<boolean> {
    return (await this.resolve(name)) !== null;
  }

  /**
   * Points `name` at `fs`'s commit. A tag that exists is refused
   * (KeyExistsError) unless `force`, which replaces it in one locked ref move.
   */
  async set(name: string, fs: FS, options: { force?: boolean } = {}): Promise<void> {
    validateRefName(name);
    if (!(fs instanceof FS)) throw new TypeError(`Expected FS, got ${typeof fs}`);
    if (!sameRepository(this.store, fs._store)) throw new Error('FS belongs to a different repository');
    const repo = await this.store._open();
    const ref = this.prefix + name;
    await withRepoLock(this.store._gitdir, async () => {
      const old = await repo.refs.resolve(ref);
      if (this.kind === 'tags' && old !== null && !options.force) throw new KeyExistsError(`Tag '${name}' already exists`);
      const firstLine = (await fs.getMessage()).split('\n')[0];
      const message = old === null ? `branch: Created from ${firstLine}` : `branch: set to ${firstLine}`;
      await repo.refs.update({
        ref,
        newOid: fs.commitHash,
        reflog: { committer: reflogCommitter(this.store._signature), message },
      });
    }, this.store._repoFs);
  }

  async setAndGet(name: string, fs: FS): Promise<FS> {
    await this.set(name, fs);
    return this.get(name);
  }

  async delete(name: string): Promise<void> {
    const repo = await this.store._open();
    const ref = this.prefix + name;
    await withRepoLock(this.store._gitdir, async () => {
      if ((await this.resolve(name)) === null) throw new KeyNotFoundError(`Key not found: ${name}`);
      await repo.refs.delete(ref);
    }, this.store._repoFs);
  }

  async list(): Promise<string[]> {
    const repo = await this.store._open();
    const names = (await repo.refs.list(this.prefix)).map((r) => r.ref.slice(this.prefix.length));
    return [...new Set(names)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<string> {
    for (const name of await this.list()) yield name;
  }

  private branchOnly(what: 'current' | 'reflog'): void {
    if (this.kind !== 'tags') return;
    throw new Error(what === 'current' ? 'Tags do not have a current branch' : 'Tags do not have reflog');
  }

  async getCurrentName(): Promise<string | null> {
    this.branchOnly('current');
    const repo = await this.store._open();
    const target = await repo.refs.readSymbolic('HEAD');
    if (target === null) {
      // Detached HEAD gives null; a missing HEAD file is a broken repository.
      await this.store._fsModule.promises.stat(join(this.store._gitdir, 'HEAD'));
      return null;
    }
    if (!target.startsWith('refs/heads/')) return null;
    return target.slice('refs/heads/'.length);
  }

  async getCurrent(): Promise<FS | null> {
    const name = await this.getCurrentName();
    if (name === null) return null;
    const oid = await this.target(name);
    return oid === null ? null : FS._fromCommit(this.store, oid, name, true);
  }

  async setCurrent(name: string): Promise<void> {
    this.branchOnly('current');
    const repo = await this.store._open();
    if ((await this.resolve(name)) === null) throw new Error(`Branch not found: '${name}'`);
    await repo.refs.writeSymbolic('HEAD', this.prefix + name);
  }

  async reflog(name: string): Promise<ReflogEntry[]> {
    this.branchOnly('reflog');
    const repo = await this.store._open();
    if ((await this.resolve(name)) === null) throw new KeyNotFoundError(`Key not found: ${name}`);
    const lines = await repo.refs.readReflog(this.prefix + name);
    if (lines === null) throw new Error(`No reflog found for branch '${name}'`);
    return lines.map((l) => ({
      oldSha: l.oldSha || ZERO_OID,
      newSha: l.newSha,
      committer: l.committer,
      timestamp: l.timestamp,
      message: l.message,
    }));
  }
}

export function sameRepository(a: GitStore, b: GitStore): boolean {
  if (a === b) return true;
  try {
    return realpathSync(a._gitdir) === realpathSync(b._gitdir);
  } catch {
    return a._gitdir === b._gitdir;
  }
}
