/**
 * One snapshot per distinct `ref~N` among a command's repo path arguments
 * (cli.md §4.4): arguments without a ref or `~N` share the default snapshot,
 * every other combination is resolved once and reused.
 */
import type { FS, GitStore } from '../../core/index.js';
import type { RepoPathArg } from '../refpath.js';
import { resolveSnapshot, type SnapshotFlags } from '../snapshot.js';

export class SnapshotResolver {
  private readonly cache = new Map<string, Promise<FS>>();

  constructor(
    private readonly store: GitStore,
    private readonly flags: SnapshotFlags,
  ) {}

  /** The snapshot an argument reads from. */
  get(arg: Pick<RepoPathArg, 'ref' | 'back'>): Promise<FS> {
    const key = `${arg.ref}\0${arg.back}`;
    let fs = this.cache.get(key);
    if (!fs) {
      fs = resolveSnapshot(this.store, this.flags, { ref: arg.ref, back: arg.back });
      this.cache.set(key, fs);
    }
    return fs;
  }
}
