/**
 * Listing a repo destination for the planner, skipping every subtree whose
 * id equals the id the sources would produce there (see tree-ids.ts): those
 * are marked `same` instead of being read.
 */
import { isTreeMode, MODE_GITLINK } from '../core/modes.js';
import type { Entry } from '../plugins/contract.js';
import { joinRel } from '../plugins/paths.js';
import { kindOfMode, type RefEndpoint } from '../plugins/ref/endpoint.js';
import { markSame, type SourceTrees } from './tree-ids.js';

/** Destination entries outside identical subtrees, keyed by path relative to `base`. */
export async function listRepoDestination(ep: RefEndpoint, base: string, trees: SourceTrees): Promise<Map<string, Entry>> {
  const out = new Map<string, Entry>();
  const repo = await ep.fs._repo();
  const hit = await repo.lookup(ep.fs.treeHash, base);
  if (hit.kind !== 'found' || !isTreeMode(hit.mode)) return out;
  const stack: Array<[string, string]> = [['', hit.oid]];
  while (stack.length) {
    const [dir, oid] = stack.pop()!;
    const src = trees.get(dir);
    if (src && src.id === oid) {
      markSame(src);
      continue;
    }
    for (const e of await repo.readTree(oid)) {
      const rel = joinRel(dir, e.name);
      if (isTreeMode(e.mode)) stack.push([rel, e.oid]);
      // A submodule is no file of ours: transfers neither read it (see the ref endpoint) nor delete or replace it.
      else if (e.mode !== MODE_GITLINK) out.set(rel, { path: joinRel(base, rel), kind: kindOfMode(e.mode), size: 0, oid: e.oid });
    }
  }
  return out;
}
