/**
 * Pure tree operations on a branch: remove, move and copyFromRef
 * (spec/api.md §16.1, §16.6-16.8). Entries are referenced by blob id and
 * mode, so no file content is ever read or re-written.
 */
import { realpathSync } from 'node:fs';
import { FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError } from './errors.js';
import { fileTypeFromMode, isTreeMode } from './modes.js';
import { basename, dirname, isRootPath, joinPath, normalizeOrRoot, normalizePath } from './paths.js';
import { buildChanges, commitChanges, requireWritable, type StagedChanges } from './commit.js';
import { emptyChangeReport } from './changes.js';
import type { ChangeReport } from './types.js';
import type { Oid } from './store/types.js';
import type { Repo } from './repo.js';
import type { FS } from './fs.js';

export interface RemoveOptions {
  recursive?: boolean;
  dryRun?: boolean;
  message?: string;
  parents?: FS[];
}
export type MoveOptions = RemoveOptions;
export interface CopyFromRefOptions {
  delete?: boolean;
  dryRun?: boolean;
  message?: string;
  parents?: FS[];
}

type SourceMode = 'file' | 'dir' | 'contents';

/** One resolved source: the item at `path`, placed under `<dest>/<prefix>` (prefix from a `/./` pivot). */
export interface RepoSource {
  input: string;
  path: string;
  mode: SourceMode;
  prefix: string;
}

export interface RepoFile {
  path: string;
  oid: Oid;
  mode: string;
}

/** §16.1 on the repo side, including the rsync `-R` style `/./` pivot. */
export async function resolveRepoSources(fs: FS, sources: string[]): Promise<RepoSource[]> {
  const repo = await fs._repo();
  const out: RepoSource[] = [];
  for (const input of sources) {
    if (isRootPath(input)) {
      out.push({ input, path: '', mode: 'contents', prefix: '' });
      continue;
    }
    const unified = input.replace(/\\/g, '/');
    const pivot = unified.indexOf('/./', 1);
    const prefix = pivot > 0 ? dirname(normalizeOrRoot(unified.slice(pivot + 3))) : '';
    const contents = unified.endsWith('/');
    const path = normalizePath(unified);
    const hit = await repo.lookup(fs.treeHash, path);
    if (contents) {
      if (hit.kind === 'found' && isTreeMode(hit.mode)) out.push({ input, path, mode: 'contents', prefix });
      else if (hit.kind === 'found') throw new NotADirectoryError(path);
      else throw new FileNotFoundError(path);
      continue;
    }
    if (hit.kind !== 'found') throw new FileNotFoundError(path);
    out.push({ input, path, mode: isTreeMode(hit.mode) ? 'dir' : 'file', prefix });
  }
  return out;
}

/** Every non-directory entry at or below `path`, in walk order. */
export async function filesUnder(repo: Repo, tree: Oid, path: string): Promise<RepoFile[]> {
  const hit = await repo.lookup(tree, path);
  if (hit.kind !== 'found') return [];
  if (!isTreeMode(hit.mode)) return [{ path, oid: hit.oid, mode: hit.mode }];
  const out: RepoFile[] = [];
  const visit = async (dir: string, oid: Oid): Promise<void> => {
    for (const e of await repo.readTree(oid)) {
      const p = joinPath(dir, e.name);
      if (isTreeMode(e.mode)) await visit(p, e.oid);
      else out.push({ path: p, oid: e.oid, mode: e.mode });
    }
  };
  await visit(path, hit.oid);
  return out;
}

/** Source files paired with their path relative to the destination. */
async function placedFiles(repo: Repo, tree: Oid, src: RepoSource): Promise<Array<RepoFile & { rel: string }>> {
  const files = await filesUnder(repo, tree, src.path);
  const strip = (p: string) => (src.path === '' ? p : p.slice(src.path.length + 1));
  return files.map((f) => {
    let rel: string;
    if (src.mode === 'file') rel = basename(src.path);
    else if (src.mode === 'dir') rel = joinPath(basename(src.path), strip(f.path));
    else rel = strip(f.path);
    return { ...f, rel: joinPath(src.prefix, rel) };
  });
}

function toList(sources: string | string[]): string[] {
  return typeof sources === 'string' ? [sources] : [...sources];
}

function requireRecursive(src: RepoSource, recursive: boolean | undefined): void {
  if (src.mode !== 'file' && !recursive) {
    throw new IsADirectoryError(`${src.path} is a directory (use recursive=true)`);
  }
}

function requireBatchable(fs: FS): void {
  if (!fs.writable) throw new PermissionError('Cannot batch on a read-only snapshot');
}

/** Commit and attach the operation's own report to the resulting snapshot. */
async function commitWithReport(fs: FS, staged: StagedChanges, report: ChangeReport, op: string, opts: RemoveOptions): Promise<FS> {
  requireBatchable(fs);
  const result = await commitChanges(fs, staged, { message: opts.message, operation: op, parents: opts.parents });
  if (result !== fs) result._changes = report;
  return result;
}

export async function remove(fs: FS, sourcesArg: string | string[], opts: RemoveOptions): Promise<FS> {
  const sources = toList(sourcesArg);
  const repo = await fs._repo();
  const files = new Map<string, RepoFile>();
  for (const src of await resolveRepoSources(fs, sources)) {
    requireRecursive(src, opts.recursive);
    for (const f of await filesUnder(repo, fs.treeHash, src.path)) files.set(f.path, f);
  }
  if (files.size === 0) throw new FileNotFoundError(`No matches for: ${sources.join(',')}`);
  const paths = [...files.keys()].sort();
  const report = emptyChangeReport();
  for (const p of paths) report.delete.push({ path: p, type: fileTypeFromMode(files.get(p)!.mode), src: p });
  if (opts.dryRun) {
    fs._changes = report;
    return fs;
  }
  return commitWithReport(fs, { writes: new Map(), removes: new Set(paths) }, report, 'rm', opts);
}

export async function move(fs: FS, sourcesArg: string | string[], dest: string, opts: MoveOptions): Promise<FS> {
  const sources = toList(sourcesArg);
  const repo = await fs._repo();
  const resolved = await resolveRepoSources(fs, sources);
  const destPath = normalizeOrRoot(dest);
  const destHit = destPath === '' ? null : await repo.lookup(fs.treeHash, destPath);
  const destIsDir = destPath === '' || (destHit?.kind === 'found' && isTreeMode(destHit.mode));
  const rename =
    resolved.length === 1 && resolved[0].mode !== 'contents' && !dest.replace(/\\/g, '/').endsWith('/') && !destIsDir;
  const pairs: Array<{ from: RepoFile; to: string }> = [];
  for (const src of resolved) {
    requireRecursive(src, opts.recursive);
    if (rename && src.mode === 'file') {
      const f = (await filesUnder(repo, fs.treeHash, src.path))[0];
      pairs.push({ from: f, to: destPath === '' ? basename(src.path) : destPath });
    } else if (rename) {
      for (const f of await filesUnder(repo, fs.treeHash, src.path)) {
        pairs.push({ from: f, to: joinPath(destPath, f.path.slice(src.path.length + 1)) });
      }
    } else {
      for (const f of await placedFiles(repo, fs.treeHash, src)) pairs.push({ from: f, to: joinPath(destPath, f.rel) });
    }
  }
  if (pairs.length === 0) throw new FileNotFoundError(`No matches for: ${sources.join(',')}`);
  for (const { from, to } of pairs) {
    if (from.path === to) throw new Error(`Source and destination are the same: ${to}`);
  }
  const staged: StagedChanges = { writes: new Map(), removes: new Set() };
  const report = emptyChangeReport();
  const targets = new Set(pairs.map((p) => p.to));
  for (const { from, to } of pairs) {
    staged.writes.set(to, { oid: from.oid, mode: from.mode });
    report.add.push({ path: to, type: fileTypeFromMode(from.mode), src: to });
  }
  for (const { from } of pairs) {
    if (targets.has(from.path) || staged.removes.has(from.path)) continue;
    staged.removes.add(from.path);
    report.delete.push({ path: from.path, type: fileTypeFromMode(from.mode), src: from.path });
  }
  if (opts.dryRun) {
    fs._changes = report;
    return fs;
  }
  return commitWithReport(fs, staged, report, 'mv', opts);
}

function sameRepo(a: FS, b: FS): boolean {
  if (a._store === b._store) return true;
  try {
    return realpathSync(a._store._gitdir) === realpathSync(b._store._gitdir);
  } catch {
    return false;
  }
}

async function resolveSourceFs(fs: FS, source: FS | string): Promise<FS> {
  if (typeof source !== 'string') return source;
  const store = fs._store;
  if (await store.branches.has(source)) return store.branches.get(source);
  if (await store.tags.has(source)) return store.tags.get(source);
  throw new Error(`Cannot resolve '${source}': not a branch or tag`);
}

export async function copyFromRef(
  fs: FS,
  source: FS | string,
  sourcesArg: string | string[] | undefined,
  dest: string | undefined,
  opts: CopyFromRefOptions,
): Promise<FS> {
  requireWritable(fs);
  const srcFs = await resolveSourceFs(fs, source);
  if (!sameRepo(fs, srcFs)) throw new Error('source must belong to the same repo as self');
  const repo = await fs._repo();
  const destPath = normalizeOrRoot(dest);
  const staged: StagedChanges = { writes: new Map(), removes: new Set() };
  const mapped = new Set<string>();
  const prefixes = new Set<string>();
  for (const src of await resolveRepoSources(srcFs, toList(sourcesArg ?? ['']))) {
    prefixes.add(src.mode === 'dir' ? joinPath(destPath, src.prefix, basename(src.path)) : joinPath(destPath, src.prefix));
    for (const f of await placedFiles(repo, srcFs.treeHash, src)) {
      const to = joinPath(destPath, f.rel);
      mapped.add(to);
      const hit = await repo.lookup(fs.treeHash, to);
      if (hit.kind === 'found' && hit.oid === f.oid && hit.mode === f.mode) continue;
      staged.writes.set(to, { oid: f.oid, mode: f.mode });
    }
  }
  if (opts.delete) {
    const writeDirs = ancestorDirs(staged.writes.keys());
    for (const prefix of prefixes) {
      for (const f of await filesUnder(repo, fs.treeHash, prefix)) {
        if (!mapped.has(f.path) && !coveredByWrite(f.path, staged, writeDirs)) staged.removes.add(f.path);
      }
    }
  }
  if (opts.dryRun) {
    fs._changes = await buildChanges(repo, fs.treeHash, staged);
    return fs;
  }
  return commitChanges(fs, staged, { message: opts.message, operation: 'cp', parents: opts.parents });
}

/** A delete that conflicts with a write (one path is a directory prefix of the other) is dropped. */
function coveredByWrite(path: string, staged: StagedChanges, writeDirs: Set<string>): boolean {
  if (staged.writes.has(path) || writeDirs.has(path)) return true;
  for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) {
    if (staged.writes.has(path.slice(0, i))) return true;
  }
  return false;
}

/** Every proper ancestor directory of the written paths. */
function ancestorDirs(paths: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const p of paths) {
    for (let i = p.indexOf('/'); i >= 0; i = p.indexOf('/', i + 1)) out.add(p.slice(0, i));
  }
  return out;
}
