/**
 * Git tree ids of what the sources would write, computed from the planned
 * entries alone (no objects stored). When a folder's id equals the id of
 * the destination repo's tree at the same place, every file below is
 * unchanged and nothing there needs deleting, so the planner never reads
 * that part of the repo (git's cache-tree idea). A folder holding any entry
 * without a known blob id gets no id and is compared file by file as usual.
 */
import { createHash } from 'node:crypto';
import type { EntryKind } from '../plugins/contract.js';
import { blobIdOf } from '../plugins/hash.js';
import type { SourceItem } from './enumerate.js';

/** One destination folder of the planned sources. */
export interface SourceDir {
  files: Array<{ name: string; mode: string; oid: string }>;
  dirs: Map<string, SourceDir>;
  /** Every file below has a known blob id. */
  known: boolean;
  /** Tree id, or null when some blob id below is unknown. */
  id: string | null;
  /** Below a folder found identical in the destination. */
  same: boolean;
}

const MODES: Record<EntryKind, string> = { file: '100644', executable: '100755', symlink: '120000' };

function newDir(): SourceDir {
  return { files: [], dirs: new Map(), known: true, id: null, same: false };
}

/** Folders by destination-relative path ('' = the destination base). */
export type SourceTrees = Map<string, SourceDir>;

/** Ids of every folder the sources produce; `kindOf` gives the kind written for an item. */
export function sourceTrees(items: Map<string, SourceItem>, kindOf: (s: SourceItem) => EntryKind): SourceTrees {
  const dirs: SourceTrees = new Map([['', newDir()]]);
  const dirAt = (path: string): SourceDir => {
    let d = dirs.get(path);
    if (d) return d;
    d = newDir();
    dirs.set(path, d);
    const slash = path.lastIndexOf('/');
    dirAt(slash < 0 ? '' : path.slice(0, slash)).dirs.set(path.slice(slash + 1), d);
    return d;
  };
  for (const [rel, s] of items) {
    const slash = rel.lastIndexOf('/');
    const dir = dirAt(slash < 0 ? '' : rel.slice(0, slash));
    const e = s.entry;
    const oid = e.oid ?? (e.kind === 'symlink' && e.target !== undefined ? blobIdOf(Buffer.from(e.target)) : undefined);
    if (oid === undefined) dir.known = false;
    else dir.files.push({ name: rel.slice(slash + 1), mode: MODES[kindOf(s)], oid });
  }
  treeId(dirs.get('')!);
  return dirs;
}

/** Fills in `id` bottom-up; children get ids even when a sibling's is unknown. */
function treeId(dir: SourceDir): string | null {
  const rows: Array<{ key: string; name: string; mode: string; oid: string }> = [];
  let known = dir.known;
  for (const f of dir.files) rows.push({ key: f.name, name: f.name, mode: f.mode, oid: f.oid });
  for (const [name, sub] of dir.dirs) {
    const id = treeId(sub);
    if (id === null) known = false;
    else rows.push({ key: `${name}/`, name, mode: '40000', oid: id });
  }
  if (!known) return (dir.id = null);
  rows.sort((a, b) => compareBytes(a.key, b.key));
  let size = 0;
  for (const r of rows) size += r.mode.length + Buffer.byteLength(r.name) + 22;
  const body = Buffer.allocUnsafe(size);
  let pos = 0;
  for (const r of rows) {
    pos += body.write(`${r.mode} ${r.name}\0`, pos);
    pos += body.write(r.oid, pos, 'hex');
  }
  return (dir.id = createHash('sha1').update(`tree ${size}\0`).update(body).digest('hex'));
}

/**
 * UTF-8 byte order (git's). UTF-16 code unit order agrees with it except
 * when surrogates meet characters from U+E000 up, so only those pairs pay
 * for an encoding.
 */
export function compareBytes(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x < 0xd800 && y < 0xd800) return x - y;
    return Buffer.compare(Buffer.from(a.slice(i)), Buffer.from(b.slice(i)));
  }
  return a.length - b.length;
}

/** Marks `dir` and everything below it as identical in the destination. */
export function markSame(dir: SourceDir): void {
  dir.same = true;
  for (const sub of dir.dirs.values()) markSame(sub);
}
