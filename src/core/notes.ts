/**
 * git-notes namespaces (spec/api.md §15). Every mutation re-reads the notes
 * tip and rebuilds the tree inside the repository lock, then moves the ref
 * with compare-and-swap, so concurrent note writers never lose updates.
 */
import { BatchClosedError, GitStoreError, KeyNotFoundError } from './errors.js';
import { withRepoLock } from './lock.js';
import { writeVostCommit } from './commit.js';
import { ChangeTree, rebuildTree } from './tree-build.js';
import { ObjectSink } from './object-sink.js';
import { isTreeMode, MODE_BLOB } from './modes.js';
import { EMPTY_TREE_OID, type Repo } from './repo.js';
import { ZERO_OID, type Oid } from './store/types.js';
import type { GitStore } from './gitstore.js';
import type { FS } from './fs.js';

const HEX40 = /^[0-9a-f]{40}$/;

export class NoteDict {
  constructor(private readonly store: GitStore) {}

  get commits(): NoteNamespace {
    return this.namespace('commits');
  }

  namespace(name: string): NoteNamespace {
    return new NoteNamespace(this.store, name);
  }

  toString(): string {
    return `NoteDict(${this.store.toString()})`;
  }
}

/** Staged note changes: commit id → new text, or null to delete. */
type NoteChanges = Map<Oid, string | null>;

export class NoteNamespace {
  readonly _ref: string;

  constructor(
    readonly _store: GitStore,
    readonly _namespace: string,
  ) {
    this._ref = `refs/notes/${_namespace}`;
  }

  toString(): string {
    return `NoteNamespace('${this._namespace}')`;
  }

  /** Commit id a target names: an FS, a full lowercase hash, a branch or a tag. */
  async _resolve(target: string | FS): Promise<Oid> {
    if (target !== null && typeof target === 'object' && 'commitHash' in target) return target.commitHash;
    if (typeof target !== 'string') throw new GitStoreError(`Expected string or FS, got ${typeof target}`);
    if (HEX40.test(target)) return target;
    if (await this._store.branches.has(target)) return (await this._store.branches.get(target)).commitHash;
    if (await this._store.tags.has(target)) return (await this._store.tags.get(target)).commitHash;
    throw new GitStoreError(`Cannot resolve '${target}': not a commit hash, branch, or tag`);
  }

  private async tip(repo: Repo): Promise<{ commit: Oid; tree: Oid } | null> {
    const commit = await repo.refs.resolve(this._ref);
    if (commit === null) return null;
    return { commit, tree: (await repo.readCommit(commit)).tree };
  }

  async get(target: string | FS): Promise<string> {
    const hash = await this._resolve(target);
    const repo = await this._store._open();
    const tip = await this.tip(repo);
    const blob = tip && (await findNote(repo, tip.tree, hash));
    if (!blob) throw new KeyNotFoundError(`key not found: ${String(target)}`);
    return (await repo.readBlob(blob)).toString('utf8');
  }

  async has(target: string | FS): Promise<boolean> {
    const hash = await this._resolve(target);
    const repo = await this._store._open();
    const tip = await this.tip(repo);
    return tip !== null && (await findNote(repo, tip.tree, hash)) !== null;
  }

  async set(target: string | FS, text: string): Promise<void> {
    const hash = await this._resolve(target);
    await this._commit(new Map([[hash, text]]), `Notes added by 'git notes' on ${hash.slice(0, 7)}`);
  }

  async delete(target: string | FS): Promise<void> {
    const hash = await this._resolve(target);
    const repo = await this._store._open();
    if ((await repo.refs.resolve(this._ref)) === null) throw new KeyNotFoundError(`key not found: ${String(target)}`);
    await this._commit(new Map([[hash, null]]), `Notes removed by 'git notes' on ${hash.slice(0, 7)}`);
  }

  async list(): Promise<string[]> {
    const repo = await this._store._open();
    const tip = await this.tip(repo);
    if (!tip) return [];
    const out: string[] = [];
    for (const e of await repo.readTree(tip.tree)) {
      if (!isTreeMode(e.mode)) {
        if (HEX40.test(e.name)) out.push(e.name);
      } else if (/^[0-9a-f]{2}$/.test(e.name)) {
        for (const sub of await repo.readTree(e.oid)) {
          const full = e.name + sub.name;
          if (!isTreeMode(sub.mode) && HEX40.test(full)) out.push(full);
        }
      }
    }
    return out;
  }

  async size(): Promise<number> {
    return (await this.list()).length;
  }

  private async currentBranch(): Promise<FS> {
    const fs = await this._store.branches.getCurrent();
    if (!fs) throw new GitStoreError('HEAD is dangling — no current branch');
    return fs;
  }

  async getForCurrentBranch(): Promise<string> {
    return this.get(await this.currentBranch());
  }

  async setForCurrentBranch(text: string): Promise<void> {
    return this.set(await this.currentBranch(), text);
  }

  batch(): NotesBatch {
    return new NotesBatch(this);
  }

  /**
   * Apply changes to the current tip inside the lock; deleting a missing note
   * throws and writes nothing. A big batch's objects share one pack (ObjectSink).
   */
  async _commit(changes: NoteChanges, message: string): Promise<void> {
    const store = this._store;
    const repo = await store._open();
    await withRepoLock(store._gitdir, async () => {
      const tip = await this.tip(repo);
      const sink = new ObjectSink(repo.objects);
      try {
        const tree = new ChangeTree();
        for (const [hash, text] of changes) {
          const present = tip ? await findNote(repo, tip.tree, hash) : null;
          if (text === null && !present) throw new KeyNotFoundError(`key not found: ${hash}`);
          tree.remove(`${hash.slice(0, 2)}/${hash.slice(2)}`);
          if (text === null) tree.remove(hash);
          else tree.write(hash, { oid: await sink.write('blob', Buffer.from(text, 'utf8')), mode: MODE_BLOB });
        }
        const newTree = await rebuildTree(repo, tip ? tip.tree : EMPTY_TREE_OID, tree, sink);
        const commit = await writeVostCommit(repo, store._signature, newTree, tip ? [tip.commit] : [], message, sink);
        await sink.finish();
        await repo.refs.update({ ref: this._ref, newOid: commit, expectOld: tip ? tip.commit : ZERO_OID });
      } catch (err) {
        await sink.abort();
        throw err;
      }
    }, store._repoFs);
  }
}

/** Blob id of the note for `hash`, flat or in git's 2/38 fan-out. */
async function findNote(repo: Repo, tree: Oid, hash: Oid): Promise<Oid | null> {
  const flat = await repo.lookup(tree, hash);
  if (flat.kind === 'found' && !isTreeMode(flat.mode)) return flat.oid;
  const fan = await repo.lookup(tree, `${hash.slice(0, 2)}/${hash.slice(2)}`);
  if (fan.kind === 'found' && !isTreeMode(fan.mode)) return fan.oid;
  return null;
}

export class NotesBatch {
  private readonly staged: NoteChanges = new Map();
  private isClosed = false;

  constructor(private readonly ns: NoteNamespace) {}

  get closed(): boolean {
    return this.isClosed;
  }

  async set(target: string | FS, text: string): Promise<void> {
    if (this.isClosed) throw new BatchClosedError('Batch is closed');
    const hash = await this.ns._resolve(target);
    this.staged.delete(hash);
    this.staged.set(hash, text);
  }

  async delete(target: string | FS): Promise<void> {
    if (this.isClosed) throw new BatchClosedError('Batch is closed');
    const hash = await this.ns._resolve(target);
    this.staged.delete(hash);
    this.staged.set(hash, null);
  }

  async commit(): Promise<void> {
    if (this.isClosed) throw new BatchClosedError('Batch is already committed');
    this.isClosed = true;
    if (this.staged.size === 0) return;
    await this.ns._commit(this.staged, `Notes batch update (${this.staged.size} changes)`);
  }
}
