/**
 * Rebuild a root tree from staged writes and removes (spec/api.md §11.2).
 * Only directories on a changed path are read and rewritten; siblings are
 * reused by id, and emptiness is known from the entry lists in memory.
 */
import type { Oid, TreeEntry } from './store/types.js';
import { isTreeMode, MODE_TREE } from './modes.js';
import type { ObjectWriter, Repo } from './repo.js';

export interface StagedBlob {
  oid: Oid;
  mode: string;
}

interface Node {
  write?: StagedBlob;
  /** Start this directory from nothing (its old content is removed). */
  cleared?: boolean;
  /** Remove the entry itself (only meaningful without write/children). */
  remove?: boolean;
  children: Map<string, Node>;
}

function newNode(): Node {
  return { children: new Map() };
}

/** A set of changes, applied in staging order: later operations on a path replace earlier ones. */
export class ChangeTree {
  readonly root: Node = newNode();

  write(path: string, blob: StagedBlob): void {
    const node = this.nodeFor(path);
    node.write = blob;
    node.children.clear();
    node.remove = false;
    node.cleared = false;
  }

  remove(path: string): void {
    const node = this.nodeFor(path);
    node.write = undefined;
    node.children.clear();
    node.remove = true;
    node.cleared = false;
  }

  private nodeFor(path: string): Node {
    let node = this.root;
    for (const seg of path.split('/')) {
      if (node.write || node.remove) {
        // A file (or nothing) staged here becomes a directory.
        node.write = undefined;
        node.remove = false;
        node.cleared = true;
      }
      let child = node.children.get(seg);
      if (!child) {
        child = newNode();
        node.children.set(seg, child);
      }
      node = child;
    }
    return node;
  }
}

/** Apply `changes` to the tree `base` (null = empty); returns the new root tree id (root may be empty). */
export async function rebuildTree(repo: Repo, base: Oid | null, changes: ChangeTree, sink?: ObjectWriter): Promise<Oid> {
  const result = await rebuildDir({ repo, sink }, base, changes.root);
  return result ?? (await repo.writeTree([], sink));
}

interface Ctx {
  repo: Repo;
  /** New trees go here when given (see ObjectSink), else straight to the store. */
  sink?: ObjectWriter;
}

/** New id of one directory, or null when it ends up empty. */
async function rebuildDir(ctx: Ctx, base: Oid | null, node: Node): Promise<Oid | null> {
  const old = base && !node.cleared ? await ctx.repo.readTree(base) : [];
  const entries = new Map<string, TreeEntry>(old.map((e) => [e.name, e]));
  let changed = node.cleared === true && old.length > 0;
  for (const [name, child] of node.children) {
    const before = entries.get(name);
    const after = await rebuildChild(ctx, name, before, child);
    if (sameEntry(before, after)) continue;
    changed = true;
    if (after) entries.set(name, after);
    else entries.delete(name);
  }
  if (entries.size === 0) return null;
  if (!changed && base) return base;
  return ctx.repo.writeTree([...entries.values()], ctx.sink);
}

async function rebuildChild(ctx: Ctx, name: string, before: TreeEntry | undefined, child: Node): Promise<TreeEntry | undefined> {
  if (child.write) return { name, mode: child.write.mode, oid: child.write.oid };
  if (child.remove) return undefined;
  if (child.children.size === 0 && !child.cleared) return before;
  const sub = before && isTreeMode(before.mode) ? before.oid : null;
  const oid = await rebuildDir(ctx, sub, child);
  return oid ? { name, mode: MODE_TREE, oid } : undefined;
}

function sameEntry(a: TreeEntry | undefined, b: TreeEntry | undefined): boolean {
  if (!a || !b) return a === b;
  return a.oid === b.oid && a.mode === b.mode;
}
