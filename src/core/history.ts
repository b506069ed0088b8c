/** Snapshot history: parents, log, undo/redo through the reflog, squash (spec/api.md §19). */
import { PermissionError } from './errors.js';
import { globMatch } from './glob.js';
import { withRepoLock } from './lock.js';
import { normalizePath } from './paths.js';
import { moveRef, readOnlyMessage, reflogCommitter, staleError, writeVostCommit } from './commit.js';
import { decodeCommit } from './objects/index.js';
import type { Repo } from './repo.js';
import { FileObjectStore } from './store/object-store.js';
import { ZERO_OID, type CommitData, type Oid, type RawObject } from './store/types.js';
import { FS } from './fs.js';

export interface LogOptions {
  path?: string;
  match?: string;
  before?: Date;
}

export async function getParent(fs: FS): Promise<FS | null> {
  const c = await fs._commit();
  if (c.parents.length === 0) return null;
  return FS._fromCommit(fs._store, c.parents[0], fs.refName, fs.writable);
}

/** Commit id `n` first-parents back, or null when history is shorter. */
async function ancestor(fs: FS, n: number): Promise<{ oid: Oid | null; reached: number }> {
  const repo = await fs._repo();
  let oid: Oid = fs.commitHash;
  for (let i = 0; i < n; i++) {
    const c = await repo.readCommit(oid);
    if (c.parents.length === 0) return { oid: null, reached: i };
    oid = c.parents[0];
  }
  return { oid, reached: n };
}

export async function back(fs: FS, n: number): Promise<FS> {
  if (n < 0) throw new Error(`back() requires n >= 0, got ${n}`);
  if (n === 0) return fs;
  const { oid } = await ancestor(fs, n);
  if (oid === null) throw new Error(`Cannot go back ${n} commits - history too short`);
  return FS._fromCommit(fs._store, oid, fs.refName, fs.writable);
}

export async function* log(fs: FS, opts: LogOptions): AsyncGenerator<FS> {
  const path = opts.path ? normalizePath(opts.path) : null;
  const repo = await fs._repo();
  let beforeDone = !opts.before;
  const cutoff = opts.before ? opts.before.getTime() : 0;
  let oid: Oid | null = fs.commitHash;
  while (oid !== null) {
    const read = readCommitUncached(repo, oid);
    const c = read instanceof Promise ? await read : read;
    const parent: Oid | null = c.parents.length ? c.parents[0] : null;
    const current: Oid = oid;
    oid = parent;
    if (!beforeDone) {
      if (c.author.timestamp * 1000 > cutoff) continue;
      beforeDone = true;
    }
    if (path !== null && !(await pathChanged(fs, c.tree, parent, path))) continue;
    if (opts.match !== undefined && !globMatch(opts.match, c.message.replace(/\n$/, ''))) continue;
    yield current === fs.commitHash ? fs : FS._fromCommitData(fs._store, current, c, fs.refName, fs.writable);
  }
}

/**
 * A commit read past Repo's cache: a long walk visits each commit once, and
 * passing thousands through that cache only churned it (and the GC). Packed
 * commits are read without an await when the store allows it.
 */
function readCommitUncached(repo: Repo, oid: Oid): CommitData | Promise<CommitData> {
  const now = repo.objects instanceof FileObjectStore ? repo.objects.readNow(oid) : undefined;
  return now ? commitOf(oid, now) : repo.objects.read(oid).then((raw) => commitOf(oid, raw));
}

function commitOf(oid: Oid, raw: RawObject): CommitData {
  if (raw.type !== 'commit') throw new Error(`Object ${oid} is a ${raw.type}, not a commit`);
  return decodeCommit(raw.data);
}

async function pathChanged(fs: FS, tree: Oid, parent: Oid | null, path: string): Promise<boolean> {
  const repo = await fs._repo();
  const mine = await repo.lookup(tree, path);
  const theirs = parent === null ? { kind: 'missing' as const } : await repo.lookup((await repo.readCommit(parent)).tree, path);
  const a = mine.kind === 'found' ? `${mine.mode} ${mine.oid}` : '';
  const b = theirs.kind === 'found' ? `${theirs.mode} ${theirs.oid}` : '';
  return a !== b;
}

function requireHistoryWritable(fs: FS, verb: 'undo' | 'redo'): void {
  if (!fs.writable) throw new PermissionError(readOnlyMessage(verb, fs.refName));
}

/** Under the lock: the branch must still be at `fs`; then move it with a reflog line. */
async function moveBranch(fs: FS, target: Oid, reflogMessage: string): Promise<FS> {
  const store = fs._store;
  const repo = await fs._repo();
  const ref = `refs/heads/${fs.refName}`;
  await withRepoLock(store._gitdir, async () => {
    if ((await repo.refs.resolve(ref)) !== fs.commitHash) throw staleError(fs.refName);
    await moveRef(repo, ref, target, fs.commitHash, reflogCommitter(store._signature), reflogMessage, fs.refName);
  }, store._repoFs);
  return FS._fromCommit(store, target, fs.refName, true);
}

export async function undo(fs: FS, steps: number): Promise<FS> {
  if (steps < 1) throw new Error(`steps must be >= 1, got ${steps}`);
  requireHistoryWritable(fs, 'undo');
  const { oid, reached } = await ancestor(fs, steps);
  if (oid === null) throw new Error(`Cannot undo ${steps} steps - only ${reached} commit(s) in history`);
  return moveBranch(fs, oid, 'undo: move back');
}

export async function redo(fs: FS, steps: number): Promise<FS> {
  if (steps < 1) throw new Error(`steps must be >= 1, got ${steps}`);
  requireHistoryWritable(fs, 'redo');
  const repo = await fs._repo();
  const entries = await repo.refs.readReflog(`refs/heads/${fs.refName}`);
  if (entries === null) throw new Error(`No reflog found for branch '${fs.refName}'`);
  if (entries.length === 0) throw new Error('Reflog is empty');
  let idx = -1;
  for (let i = entries.length - 1; i >= 0; i--) {
    if (entries[i].newSha === fs.commitHash) {
      idx = i;
      break;
    }
  }
  if (idx < 0) throw new Error('Cannot redo - current commit not in reflog');
  let target: Oid = fs.commitHash;
  for (let step = 0; step < steps; step++) {
    if (idx < 0) throw new Error(`Cannot redo ${steps} steps - only ${step} step(s) available`);
    target = entries[idx].oldSha;
    if (target === ZERO_OID) throw new Error(`Cannot redo ${steps} step(s) - reaches branch creation point`);
    idx -= 1;
  }
  return moveBranch(fs, target, 'redo: move forward');
}

export async function squash(fs: FS, opts: { parent?: FS; message?: string }): Promise<FS> {
  const repo = await fs._repo();
  const parents = opts.parent ? [opts.parent.commitHash] : [];
  const oid = await writeVostCommit(repo, fs._store._signature, fs.treeHash, parents, opts.message ?? 'squash');
  return new FS(fs._store, oid, fs.treeHash, null, false);
}
