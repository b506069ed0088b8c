/**
 * The one write path every snapshot mutation goes through (spec/api.md §11):
 * change report → new tree (objects first) → under the repository lock:
 * stale check, no-op shortcut, commit object, ref move with reflog line.
 */
import { PermissionError, RefConflictError, StaleSnapshotError } from './errors.js';
import { emptyChangeReport } from './changes.js';
import { formatCommitMessage } from './message.js';
import { fileTypeFromMode } from './modes.js';
import { withRepoLock } from './lock.js';
import { ChangeTree, rebuildTree, type StagedBlob } from './tree-build.js';
import type { ChangeReport, Signature } from './types.js';
import type { CommitData, Oid, PackWriter } from './store/types.js';
import type { ObjectWriter, Repo } from './repo.js';
import { ObjectSink } from './object-sink.js';
import { autoPackAfterCommit } from './auto-pack.js';
import { FS } from './fs.js';

export interface StagedChanges {
  /** Normalized path → blob already in (or about to be in) the object store. */
  writes: Map<string, StagedBlob>;
  /** Normalized paths to remove (files or whole directories). */
  removes: Set<string>;
  /**
   * An open pack writer holding (some of) the staged blobs. commitChanges
   * takes it over: the new trees and the commit join it, and it is finished
   * before the ref moves (aborted if the commit fails before that).
   */
  pack?: PackWriter;
}

export interface CommitOptions {
  message?: string | null;
  operation?: string | null;
  parents?: FS[];
}

export function readOnlyMessage(verb: string, refName: string | null): string {
  return refName === null
    ? `Cannot ${verb} read-only snapshot`
    : `Cannot ${verb} read-only snapshot (ref '${refName}')`;
}

export function requireWritable(fs: FS, verb = 'write to'): void {
  if (!fs.writable) throw new PermissionError(readOnlyMessage(verb, fs.refName));
}

/** §11.2: adds, updates (skipping identical entries) and deletes, in staging order. */
export async function buildChanges(repo: Repo, tree: Oid, staged: StagedChanges): Promise<ChangeReport> {
  const report = emptyChangeReport();
  for (const [path, blob] of staged.writes) {
    const hit = await repo.lookup(tree, path);
    if (hit.kind === 'found') {
      if (hit.oid === blob.oid && hit.mode === blob.mode) continue;
      report.update.push({ path, type: fileTypeFromMode(blob.mode), src: undefined });
    } else {
      report.add.push({ path, type: fileTypeFromMode(blob.mode), src: undefined });
    }
  }
  for (const path of staged.removes) {
    const hit = await repo.lookup(tree, path);
    if (hit.kind === 'found') report.delete.push({ path, type: fileTypeFromMode(hit.mode), src: undefined });
    else report.delete.push({ path, type: 'blob' });
  }
  return report;
}

export function signatureIdent(sig: Signature, timestamp: number): CommitData['author'] {
  return { name: sig.name, email: sig.email, timestamp, tz: '+0000' };
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** The stored form: exactly one trailing newline. */
export function storedMessage(message: string): string {
  return `${message.replace(/\n+$/, '')}\n`;
}

/** A vost commit: author = committer = the store signature, `+0000`, `encoding UTF-8`. */
export async function writeVostCommit(
  repo: Repo,
  sig: Signature,
  tree: Oid,
  parents: Oid[],
  message: string,
  sink?: ObjectWriter,
): Promise<Oid> {
  const ident = signatureIdent(sig, nowSeconds());
  const data: CommitData = {
    tree,
    parents,
    author: ident,
    committer: { ...ident },
    extraHeaders: [['encoding', 'UTF-8']],
    message: storedMessage(message),
  };
  return repo.writeCommit(data, sink);
}

export function reflogCommitter(sig: Signature): string {
  return `${sig.name} <${sig.email}>`;
}

/** Reflog messages are single lines. */
export function reflogText(message: string): string {
  return message.replace(/\r?\n+$/, '').replace(/\r?\n/g, ' ');
}

export function staleError(refName: string | null): StaleSnapshotError {
  return new StaleSnapshotError(`Branch '${refName ?? ''}' has advanced since this snapshot`);
}

/**
 * Commit `staged` on top of `fs`; resolves to `fs` itself when the tree does
 * not change. New trees and the commit are stored (one pack when there are
 * many) before the lock is taken, so the lock only covers the stale check and
 * the ref move; a commit that turns out stale leaves unreferenced objects for gc.
 */
export async function commitChanges(fs: FS, staged: StagedChanges, opts: CommitOptions = {}): Promise<FS> {
  const repo = await fs._store._open().catch(async (err: unknown) => {
    await staged.pack?.abort();
    throw err;
  });
  const sink = new ObjectSink(repo.objects, staged.pack ?? null);
  let prepared: Prepared;
  try {
    requireWritable(fs);
    prepared = await prepareCommit(fs, staged, opts, sink);
    await sink.finish();
  } catch (err) {
    await sink.abort();
    throw err;
  }
  const result = await moveBranch(fs, prepared);
  if (result !== fs) await autoPackAfterCommit(fs._store);
  return result;
}

interface Prepared {
  report: ChangeReport;
  tree: Oid;
  /** null when the tree is unchanged (nothing to commit). */
  commit: Oid | null;
  message: string;
}

async function prepareCommit(fs: FS, staged: StagedChanges, opts: CommitOptions, sink: ObjectSink): Promise<Prepared> {
  const store = fs._store;
  const repo = await store._open();
  const report = await buildChanges(repo, fs.treeHash, staged);
  const changes = new ChangeTree();
  for (const path of staged.removes) changes.remove(path);
  for (const [path, blob] of staged.writes) changes.write(path, blob);
  const tree = await rebuildTree(repo, fs.treeHash, changes, sink);
  const message = formatCommitMessage(opts.message, report, opts.operation ?? null);
  if (tree === fs.treeHash) return { report, tree, commit: null, message };
  const parents = [fs.commitHash, ...(opts.parents ?? []).map((p) => p.commitHash)];
  const commit = await writeVostCommit(repo, store._signature, tree, parents, message, sink);
  return { report, tree, commit, message };
}

async function moveBranch(fs: FS, p: Prepared): Promise<FS> {
  const store = fs._store;
  const repo = await store._open();
  const ref = `refs/heads/${fs.refName}`;
  return withRepoLock(store._gitdir, async () => {
    const current = await repo.refs.resolve(ref);
    if (current !== fs.commitHash) throw staleError(fs.refName);
    if (p.commit === null) return fs;
    await moveRef(repo, ref, p.commit, fs.commitHash, reflogCommitter(store._signature), `commit: ${reflogText(p.message)}`, fs.refName);
    return new FS(store, p.commit, p.tree, fs.refName, true, p.report);
  }, store._repoFs);
}

/** Compare-and-swap ref move; a conflict (someone bypassed the lock) is a stale snapshot. */
export async function moveRef(
  repo: Repo,
  ref: string,
  newOid: Oid,
  expectOld: Oid,
  committer: string,
  message: string,
  refName: string | null,
): Promise<void> {
  try {
    await repo.refs.update({ ref, newOid, expectOld, reflog: { committer, message } });
  } catch (err) {
    if (err instanceof RefConflictError) throw staleError(refName);
    throw err;
  }
}
