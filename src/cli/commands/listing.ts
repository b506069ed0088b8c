/**
 * `vost ls` (cli.md §7.1): collect entries for each PATH argument from its
 * snapshot, merge them by displayed name, and render text / long / JSON rows.
 */
import type { FS } from '../../core/index.js';
import { CliError } from '../errors.js';
import type { JsonValue } from '../json.js';

/** How one PATH argument is listed. */
export interface ListRequest {
  fs: FS;
  /** Normalised repo path; `''` is the root. */
  path: string;
  /** The argument is a glob (`*`/`?` present and no `--no-glob`). */
  glob: boolean;
}

export interface ListOptions {
  recursive: boolean;
  /** `-l`: directory names in plain listings get a trailing `/`. */
  long: boolean;
}

/** One displayed row, still without size and link target. */
export interface ListedEntry {
  name: string;
  /** Full repo path of the entry, to look up its size or link target. */
  path: string;
  oid: string;
  mode: string;
  fs: FS;
}

const TREE = '040000';
const LINK = '120000';
/** A submodule entry (see core/modes.ts). */
const GITLINK = '160000';

/** Entries for every request, merged by name (first occurrence wins) and sorted by code point. */
export async function collectListing(requests: ListRequest[], opts: ListOptions): Promise<ListedEntry[]> {
  const merged = new Map<string, ListedEntry>();
  const add = (e: ListedEntry): void => {
    if (!merged.has(e.name)) merged.set(e.name, e);
  };
  for (const req of requests) {
    if (req.glob) await listGlob(req, opts, add);
    else await listPath(req, opts, add);
  }
  return [...merged.values()].sort((a, b) => compareCodePoints(a.name, b.name));
}

async function listGlob(req: ListRequest, opts: ListOptions, add: (e: ListedEntry) => void): Promise<void> {
  for (const match of await req.fs.glob(req.path)) {
    const st = await req.fs.stat(match);
    const mode = modeString(st.mode);
    if (opts.recursive && mode === TREE) await addFilesBelow(req.fs, match, add);
    else add({ name: match, path: match, oid: st.hash, mode, fs: req.fs });
  }
}

async function listPath(req: ListRequest, opts: ListOptions, add: (e: ListedEntry) => void): Promise<void> {
  const { fs, path } = req;
  const st = await statOrNull(fs, path);
  if (!st) throw new CliError(`Path not found: ${path}`, { code: 'ENOENT' });
  const mode = path === '' ? TREE : modeString(st.mode);
  if (mode !== TREE) {
    add({ name: path, path, oid: st.hash, mode, fs });
    return;
  }
  if (opts.recursive) {
    await addFilesBelow(fs, path, add);
    return;
  }
  for (const e of await fs.listdir(path)) {
    const full = path === '' ? e.name : `${path}/${e.name}`;
    const name = opts.long && e.mode === TREE ? `${e.name}/` : e.name;
    add({ name, path: full, oid: e.oid, mode: e.mode, fs });
  }
}

async function addFilesBelow(fs: FS, dir: string, add: (e: ListedEntry) => void): Promise<void> {
  for await (const [dirpath, , files] of fs.walk(dir)) {
    for (const f of files) {
      const full = dirpath === '' ? f.name : `${dirpath}/${f.name}`;
      add({ name: full, path: full, oid: f.oid, mode: f.mode, fs });
    }
  }
}

async function statOrNull(fs: FS, path: string): Promise<Awaited<ReturnType<FS['stat']>> | null> {
  try {
    return await fs.stat(path);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw err;
  }
}

function modeString(mode: number): string {
  return mode.toString(8).padStart(6, '0');
}

/** Sort by Unicode code point (JS `<` compares UTF-16 units, which differs for astral characters). */
export function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return (x.done ? 0 : 1) - (y.done ? 0 : 1);
    const cx = x.value.codePointAt(0)!;
    const cy = y.value.codePointAt(0)!;
    if (cx !== cy) return cx - cy;
  }
}

/** A row with everything `-l` shows. */
export interface LongRow {
  name: string;
  hash: string;
  type: 'blob' | 'executable' | 'link' | 'tree' | 'commit';
  size?: number;
  target?: string;
}

/** Adds sizes and link targets (read from the objects) to collected entries. */
export async function toLongRows(entries: ListedEntry[]): Promise<LongRow[]> {
  const rows: LongRow[] = [];
  for (const e of entries) {
    if (e.mode === TREE) {
      rows.push({ name: e.name, hash: e.oid, type: 'tree' });
    } else if (e.mode === GITLINK) {
      // A submodule: its id is a commit of another repository, so there is no size to read.
      rows.push({ name: e.name, hash: e.oid, type: 'commit' });
    } else if (e.mode === LINK) {
      // The size is the blob's, like git's: the decoded target string loses bytes that are not UTF-8.
      const [target, size] = await Promise.all([e.fs.readlink(e.path), e.fs.size(e.path)]);
      rows.push({ name: e.name, hash: e.oid, size, type: 'link', target });
    } else {
      const size = await e.fs.size(e.path);
      rows.push({ name: e.name, hash: e.oid, size, type: e.mode === '100755' ? 'executable' : 'blob' });
    }
  }
  return rows;
}

/** The text form of `ls -l`: `<hash>  <size padded to W>  <name>[ -> <target>]`. */
export function renderLongText(rows: LongRow[], fullHash: boolean): string {
  const width = rows.reduce((w, r) => (r.size === undefined ? w : Math.max(w, String(r.size).length)), 0);
  let out = '';
  for (const r of rows) {
    const hash = fullHash ? r.hash : r.hash.slice(0, 7);
    const size = r.size === undefined ? ' '.repeat(width) : String(r.size).padStart(width);
    const name = r.target === undefined ? r.name : `${r.name} -> ${r.target}`;
    out += `${hash}  ${size}  ${name}\n`;
  }
  return out;
}

/** JSON objects for `ls -l --format json|jsonl`, keys in spec order. */
export function longRowObject(r: LongRow): JsonValue {
  if (r.type === 'tree' || r.type === 'commit') return { name: r.name, hash: r.hash, type: r.type };
  if (r.type === 'link') return { name: r.name, hash: r.hash, size: r.size, type: 'link', target: r.target };
  return { name: r.name, hash: r.hash, size: r.size, type: r.type };
}
