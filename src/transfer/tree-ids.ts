/**
 * Git tree ids of what the sources would write, computed from the planned
 * entries alone (no objects stored). When a folder's id equals the id of
 * the destination repo's tree at the same place, every file below is
 * unchanged and nothing there needs deleting, so the planner never reads
 * that part of the repo (git's cache-tree idea). A folder holding any entry
 * without a known blob id gets no id and is compared file by file as usual.
 */
import * as crypto from 'node:crypto';
import { compareBytes } from '../core/objects/tree.js';
import type { EntryKind } from '../plugins/contract.js';
import { blobIdOf } from '../plugins/hash.js';
import type { SourceItem } from './enumerate.js';

/** One destination folder of the planned sources. */
export interface SourceDir {
  /** Destination-relative paths of the planned items directly in this folder. */
  items: string[];
  /** Files with known ids; once ids are computed, also the subfolders that have one, all in git order. */
  entries: Row[];
  dirs: Map<string, SourceDir>;
  /** Every file directly in this folder has a known blob id. */
  known: boolean;
  /** Tree id, or null when some blob id below is unknown. */
  id: string | null;
  /** This folder, or one above it, is identical in the destination. */
  same: boolean;
}

const MODES: Record<EntryKind, string> = { file: '100644', executable: '100755', symlink: '120000' };

function newDir(): SourceDir {
  return { items: [], entries: [], dirs: new Map(), known: true, id: null, same: false };
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
  let dirPath = '';
  let dir = dirs.get('')!;
  for (const [rel, s] of items) {
    const slash = rel.lastIndexOf('/');
    // Listings come folder by folder: the previous entry's folder is usually this one's.
    if (slash < 0 ? dirPath !== '' : slash !== dirPath.length || !rel.startsWith(dirPath)) {
      dirPath = slash < 0 ? '' : rel.slice(0, slash);
      dir = dirAt(dirPath);
    }
    dir.items.push(rel);
    const e = s.entry;
    const oid = e.oid ?? (e.kind === 'symlink' && e.target !== undefined ? blobIdOf(Buffer.from(e.target)) : undefined);
    if (oid === undefined) dir.known = false;
    else if (dir.known) {
      const name = rel.slice(slash + 1);
      dir.entries.push({ name, key: name, mode: MODES[kindOf(s)], oid });
    }
  }
  treeId(dirs.get('')!);
  return dirs;
}

/** Fills in `id` bottom-up; children get ids even when a sibling's is unknown. */
function treeId(dir: SourceDir): string | null {
  const rows = dir.entries;
  let known = dir.known;
  for (const [name, sub] of dir.dirs) {
    const id = treeId(sub);
    if (id === null) known = false;
    else rows.push({ name, key: `${name}/`, mode: TREE_MODE, oid: id });
  }
  if (!known) return (dir.id = null);
  sortRows(rows);
  return (dir.id = sha1Hex(encodeTree(rows)));
}

/** One-shot hashing (Node 20.12+) spares a Hash object per tree; older versions build one. */
const sha1Hex: (data: Buffer) => string =
  typeof crypto.hash === 'function' ? (d) => crypto.hash('sha1', d, 'hex') : (d) => crypto.createHash('sha1').update(d).digest('hex');

interface Row {
  name: string;
  /** What git sorts by: the name, with '/' after a folder's. */
  key: string;
  mode: string;
  oid: string;
}

const TREE_MODE = '40000';
let scratch = Buffer.allocUnsafe(1 << 16);

/** Room left in front of a body for its `tree <size>\0` header. */
const HEADER_ROOM = 32;

/**
 * A tree object (header and body) in one reused buffer. Tree bodies are
 * small and many: ASCII names and hex ids are copied byte by byte, which
 * costs far less than a Buffer.write call for each of them.
 */
function encodeTree(rows: Row[]): Buffer {
  let pos = HEADER_ROOM;
  for (const r of rows) {
    const need = r.mode.length + 1 + r.name.length * 3 + 1 + 20;
    if (pos + need > scratch.length) {
      const bigger = Buffer.allocUnsafe(Math.max(scratch.length * 2, pos + need));
      scratch.copy(bigger, 0, 0, pos);
      scratch = bigger;
    }
    pos = writeAscii(r.mode, pos);
    scratch[pos++] = 0x20;
    const end = writeAscii(r.name, pos);
    pos = end < 0 ? pos + scratch.write(r.name, pos) : end;
    scratch[pos++] = 0;
    for (let i = 0; i < 40; i += 2) scratch[pos++] = (hexVal(r.oid.charCodeAt(i)) << 4) | hexVal(r.oid.charCodeAt(i + 1));
  }
  const header = `tree ${pos - HEADER_ROOM}\0`;
  const start = HEADER_ROOM - header.length;
  scratch.write(header, start, 'latin1');
  return scratch.subarray(start, pos);
}

/** The position after `s`, or -1 when `s` is not ASCII (then the caller encodes it). */
function writeAscii(s: string, pos: number): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) return -1;
    scratch[pos++] = c;
  }
  return pos;
}

/** Lowercase hex digit value (ids are lowercase hex). */
function hexVal(c: number): number {
  return c <= 0x39 ? c - 0x30 : c - 0x57;
}

const SURROGATE = /[\ud800-\udfff]/;

/** Git's entry order; native string comparison is that order whenever no surrogate is involved. */
function sortRows(rows: Row[]): void {
  if (SURROGATE.test(rows.map((r) => r.key).join(''))) rows.sort((a, b) => compareBytes(a.key, b.key));
  else rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Marks `dir` and everything below it as identical in the destination. */
export function markSame(dir: SourceDir): void {
  dir.same = true;
  for (const sub of dir.dirs.values()) markSame(sub);
}
