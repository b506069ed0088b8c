/**
 * File-level comparison of two snapshots for `diff` (cli.md §11.2): every
 * blob, executable and link compared by (object id, mode). Identical subtrees
 * are skipped by id, so the cost follows the size of the change, not the tree.
 */
import type { FS } from '../core/index.js';

export type DiffStatus = 'A' | 'M' | 'D';

export interface DiffEntry {
  path: string;
  status: DiffStatus;
}

interface Entry {
  name: string;
  oid: string;
  mode: string;
}

const isTree = (e: Entry) => e.mode === '040000';

/** Changes from `oldFs` to `newFs`: all A (sorted), then M, then D. */
export async function diffSnapshots(oldFs: FS, newFs: FS): Promise<DiffEntry[]> {
  const out: DiffEntry[] = [];
  if (oldFs.treeHash !== newFs.treeHash) await diffDirs(oldFs, newFs, '', out);
  const order: Record<DiffStatus, number> = { A: 0, M: 1, D: 2 };
  return out.sort((a, b) => order[a.status] - order[b.status] || compareCodePoints(a.path, b.path));
}

async function diffDirs(oldFs: FS, newFs: FS, dir: string, out: DiffEntry[]): Promise<void> {
  const olds = new Map((await oldFs.listdir(dir || null)).map((e) => [e.name, e]));
  const news = new Map((await newFs.listdir(dir || null)).map((e) => [e.name, e]));
  for (const name of new Set([...olds.keys(), ...news.keys()])) {
    const path = dir ? `${dir}/${name}` : name;
    const o = olds.get(name);
    const n = news.get(name);
    if (o && n && o.oid === n.oid && o.mode === n.mode) continue;
    if (o && n && isTree(o) && isTree(n)) {
      await diffDirs(oldFs, newFs, path, out);
      continue;
    }
    if (o && n && !isTree(o) && !isTree(n)) {
      out.push({ path, status: 'M' });
      continue;
    }
    if (o) await addAll(oldFs, o, path, 'D', out);
    if (n) await addAll(newFs, n, path, 'A', out);
  }
}

async function addAll(fs: FS, entry: Entry, path: string, status: DiffStatus, out: DiffEntry[]): Promise<void> {
  if (!isTree(entry)) {
    out.push({ path, status });
    return;
  }
  for (const child of await fs.listdir(path)) await addAll(fs, child, `${path}/${child.name}`, status, out);
}

/** Orders by Unicode code point (not UTF-16 unit), as cli.md §2.5 sorts names. */
export function compareCodePoints(a: string, b: string): number {
  const ai = a[Symbol.iterator]();
  const bi = b[Symbol.iterator]();
  for (;;) {
    const x = ai.next();
    const y = bi.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    const d = (x.value.codePointAt(0) ?? 0) - (y.value.codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
}
