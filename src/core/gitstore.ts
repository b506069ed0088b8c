/** GitStore: open or create a bare repository; entry point to snapshots, refs and notes (spec/api.md §9). */
import * as nodeFs from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { FileNotFoundError, KeyNotFoundError } from './errors.js';
import { initBareRepo, openRepository } from './store/index.js';
import { updateRepoConfig } from './store/config.js';
import { repoFsFor } from './store/repo-fs-module.js';
import type { RepoFs } from './store/repo-fs.js';
import { Repo } from './repo.js';
import { RefDict } from './refdict.js';
import { NoteDict } from './notes.js';
import { FS } from './fs.js';
import { writeVostCommit } from './commit.js';
import { withRepoLock } from './lock.js';
import type { AutoPackLimits } from './auto-pack.js';
import { backup, restore, bundleExport, bundleImport, type BackupOptions, type RestoreOptions } from './mirror.js';
import type { FsModule, MirrorDiff, RefSpec, Signature } from './types.js';

export interface OpenOptions {
  fs?: FsModule;
  /** Create the repository when missing (default true). */
  create?: boolean;
  /** Initial branch of a new repository (default 'main'); null = no branch. */
  branch?: string | null;
  author?: string;
  email?: string;
  compression?: number;
  bigFileThreshold?: number;
  /**
   * Pack loose objects and merge packs after commits that leave too many
   * (default on, with the repository's gc.auto / gc.autoPackLimit or git's
   * defaults; `false` or env VOST_AUTO_PACK=0 turns it off).
   */
  autoPack?: boolean | Partial<AutoPackLimits>;
}

function autoPackLimits(opt: OpenOptions['autoPack']): Partial<AutoPackLimits> | null {
  if (opt === false) return null;
  return typeof opt === 'object' ? { ...opt } : {};
}

/** `Repository not found` keeps its message but is also recognisable as ENOENT. */
export class RepositoryNotFoundError extends FileNotFoundError {
  constructor(path: string) {
    super(path);
    this.message = `Repository not found: ${path}`;
  }
}

const HEX = /^[0-9a-f]{4,40}$/;
const GC_GRACE_MS = 5 * 60 * 1000;

export class GitStore {
  readonly _signature: Signature;
  readonly branches: RefDict;
  readonly tags: RefDict;
  readonly notes: NoteDict;
  /** Limits given to open() for the housekeeping after commits (others from config); null = off. */
  _autoPack: Partial<AutoPackLimits> | null = {};
  /** The storage layer's view of `_fsModule`: the repository's own files go through it too. */
  readonly _repoFs: RepoFs;
  private repoPromise: Promise<Repo> | null = null;
  private repoOptions: { compression?: number; bigFileThreshold?: number } = {};

  constructor(
    readonly _fsModule: FsModule,
    readonly _gitdir: string,
    author = 'vost',
    email = 'vost@localhost',
  ) {
    this._repoFs = repoFsFor(_fsModule);
    this._signature = { name: author, email };
    this.branches = new RefDict(this, 'branches');
    this.tags = new RefDict(this, 'tags');
    this.notes = new NoteDict(this);
  }

  static async open(path: string, opts: OpenOptions = {}): Promise<GitStore> {
    const fsModule = opts.fs ?? (nodeFs as unknown as FsModule);
    const store = new GitStore(fsModule, path, opts.author ?? 'vost', opts.email ?? 'vost@localhost');
    store.repoOptions = { compression: opts.compression, bigFileThreshold: opts.bigFileThreshold };
    store._autoPack = autoPackLimits(opts.autoPack);
    const exists = await fsModule.promises.stat(`${path}/HEAD`).then(
      () => true,
      () => false,
    );
    if (exists) {
      await store.writeConfig(opts);
      return store;
    }
    if (opts.create === false) throw new RepositoryNotFoundError(path);
    const branch = opts.branch === undefined ? 'main' : opts.branch;
    await initBareRepo(path, {
      fs: store._repoFs,
      initialHead: branch ?? 'master',
      compression: opts.compression,
      bigFileThreshold: opts.bigFileThreshold,
    });
    if (branch !== null) await store.createInitialBranch(branch);
    return store;
  }

  private async writeConfig(opts: OpenOptions): Promise<void> {
    const values: Array<{ section: string; key: string; value: string }> = [];
    if (opts.compression !== undefined) values.push({ section: 'core', key: 'compression', value: String(opts.compression) });
    if (opts.bigFileThreshold !== undefined) {
      values.push({ section: 'core', key: 'bigFileThreshold', value: String(opts.bigFileThreshold) });
    }
    if (values.length) await updateRepoConfig(this._gitdir, values, this._repoFs);
  }

  private async createInitialBranch(branch: string): Promise<void> {
    const repo = await this._open();
    const tree = await repo.writeTree([]);
    const commit = await writeVostCommit(repo, this._signature, tree, [], `Initialize ${branch}`);
    await withRepoLock(this._gitdir, () => repo.refs.update({ ref: `refs/heads/${branch}`, newOid: commit }), this._repoFs);
    await repo.refs.writeSymbolic('HEAD', `refs/heads/${branch}`);
  }

  /** The storage handles, opened once per store object. */
  _open(): Promise<Repo> {
    if (!this.repoPromise) this.repoPromise = Repo.open(this._gitdir, { ...this.repoOptions, fs: this._repoFs });
    return this.repoPromise;
  }

  toString(): string {
    return `GitStore('${this._gitdir}')`;
  }

  /** Branch, then tag, then a (possibly abbreviated) commit id; `back` walks first parents. */
  async fs(ref: string, opts: { back?: number } = {}): Promise<FS> {
    let snap: FS;
    if (await this.branches.has(ref)) snap = await this.branches.get(ref);
    else if (await this.tags.has(ref)) snap = await this.tags.get(ref);
    else snap = await FS._fromCommit(this, await this.resolveCommitId(ref), null, false);
    return opts.back ? snap.back(opts.back) : snap;
  }

  private async resolveCommitId(ref: string): Promise<string> {
    const notFound = () => new KeyNotFoundError(`ref not found: '${ref}'`);
    const lower = ref.toLowerCase();
    if (!HEX.test(lower)) throw notFound();
    const repo = await this._open();
    const candidates = lower.length === 40 ? [lower] : await repo.objects.findByPrefix(lower, 2);
    if (candidates.length > 1) throw new KeyNotFoundError(`ref not found: '${ref}' (ambiguous commit prefix)`);
    if (candidates.length === 0) throw notFound();
    const peeled = await repo.peel(candidates[0]);
    if (!peeled) throw notFound();
    if (peeled.type !== 'commit') throw new KeyNotFoundError(`ref not found: '${ref}' (not a commit)`);
    return peeled.oid;
  }

  async readByHash(hash: string, opts: { offset?: number; size?: number } = {}): Promise<Uint8Array> {
    const repo = await this._open();
    if (opts.offset === undefined && opts.size === undefined) return repo.readBlob(hash);
    return repo.readBlobRange(hash, opts);
  }

  async hasHash(hash: string): Promise<boolean> {
    try {
      const repo = await this._open();
      return (await repo.objects.readHeader(hash))?.type === 'blob';
    } catch {
      return false;
    }
  }

  /** Pack loose objects; returns the number packed. */
  async pack(): Promise<number> {
    const repo = await this._open();
    return withRepoLock(this._gitdir, () => repo.objects.pack(), this._repoFs);
  }

  /**
   * Drop objects unreachable from every ref and reflog entry, pack the rest.
   * Unreachable objects younger than `pruneGraceMs` (default 5 minutes) are
   * kept: other writers store their objects before they take the lock and
   * move their ref, and must not lose them to a concurrent gc.
   */
  async gc(opts: { pruneGraceMs?: number } = {}): Promise<number> {
    const repo = await this._open();
    const grace = opts.pruneGraceMs ?? GC_GRACE_MS;
    return withRepoLock(this._gitdir, async () => {
      const roots = new Set<string>();
      for (const { ref, oid } of await repo.refs.list('refs/')) {
        roots.add(oid);
        for (const line of (await repo.refs.readReflog(ref)) ?? []) {
          roots.add(line.oldSha);
          roots.add(line.newSha);
        }
      }
      const head = await repo.refs.resolve('HEAD').catch(() => null);
      if (head) roots.add(head);
      roots.delete('0'.repeat(40));
      const pruner = await openRepository(this._gitdir, { ...this.repoOptions, pruneGraceMs: grace, fs: this._repoFs });
      try {
        return await pruner.objects.gc([...roots]);
      } finally {
        await pruner.objects.close();
        await repo.objects.refresh();
      }
    }, this._repoFs);
  }

  backup(url: string, opts: BackupOptions = {}): Promise<MirrorDiff> {
    return backup(this, url, opts);
  }
  restore(url: string, opts: RestoreOptions = {}): Promise<MirrorDiff> {
    return restore(this, url, opts);
  }
  bundleExport(path: string, opts: { refs?: RefSpec; squash?: boolean } = {}): Promise<void> {
    return bundleExport(this, path, opts.refs, opts.squash);
  }
  bundleImport(path: string, opts: { refs?: RefSpec } = {}): Promise<void> {
    return bundleImport(this, path, opts.refs);
  }

  /** Absolute path of the repository. */
  get path(): string {
    return resolvePath(this._gitdir);
  }
}
