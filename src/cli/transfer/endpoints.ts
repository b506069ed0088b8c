/** Opening the endpoints of cp/sync arguments: snapshots, writable branches, folders, plugin URLs. */
import { resolve as resolvePath } from 'node:path';
import type { GitStore } from '../../core/gitstore.js';
import type { FS } from '../../core/fs.js';
import { normalizeRepoPath, type RepoPathArg } from '../refpath.js';
import { resolveSnapshot, type SnapshotFlags } from '../snapshot.js';
import { DirEndpoint } from '../../plugins/dir/endpoint.js';
import { RefEndpoint } from '../../plugins/ref/endpoint.js';
import { openEndpoint } from '../../plugins/registry.js';
import type { EndpointSet } from '../../transfer/resolve.js';

/** Read snapshots for repo sources: one for all args without ref/~N, one per explicit ref/~N. */
export class SnapshotCache {
  private byKey = new Map<string, Promise<{ fs: FS; endpoint: number }>>();

  constructor(
    private readonly store: GitStore,
    private readonly flags: SnapshotFlags,
    private readonly set: EndpointSet,
  ) {}

  get(arg: RepoPathArg): Promise<{ fs: FS; endpoint: number }> {
    const key = `${arg.ref}~${arg.back}`;
    let p = this.byKey.get(key);
    if (!p) {
      p = resolveSnapshot(this.store, this.flags, { ref: arg.ref || undefined, back: arg.back }).then((fs) => ({
        fs,
        endpoint: this.set.add(new RefEndpoint(fs, { display: arg.ref ? `${arg.ref}:` : ':' })),
      }));
      this.byKey.set(key, p);
    }
    return p;
  }
}

/**
 * The path part of a repo argument as the resolver wants it: validated by
 * the §3.2 rules, but with the trailing `/`, globs and `/./` pivot kept.
 */
export function repoSourcePath(arg: RepoPathArg): string {
  normalizeRepoPath(arg.path.replace(/\/\.\//g, '/'), { allowRoot: true });
  return arg.path.replace(/^\/+/, '');
}

export function localDest(set: EndpointSet, cwd: string, path: string, repoPath?: string): number {
  return set.add(new DirEndpoint(resolvePath(cwd, path), { repoPath, display: path }));
}

export async function pluginEndpoint(set: EndpointSet, spec: string, cwd: string, forWrite: boolean, repoPath?: string): Promise<number> {
  return set.add(await openEndpoint(spec, { cwd, forWrite, env: process.env, repoPath }));
}
