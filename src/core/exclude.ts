/**
 * gitignore-style exclusion for copies into the repo (spec/api.md §21), with
 * real gitignore semantics from the `ignore` package: `/` anchors, `**`,
 * `*` not crossing `/`, classes, escapes, negation, directory-only rules.
 */
import { readFileSync } from 'node:fs';
import { promises as nodeFsPromises } from 'node:fs';
import ignore, { type Ignore } from 'ignore';

export interface ExcludeFilterOptions {
  patterns?: string[];
  /** A file of patterns, one per line (missing file: ignored). */
  excludeFrom?: string;
  /** Load `.gitignore` from every directory a copy walk enters (see `enterDirectory`). */
  gitignore?: boolean;
}

interface Layer {
  /** Directory (relative to the walk root, `''` = root) whose `.gitignore` these rules came from. */
  dir: string;
  rules: Ignore;
}

type ReadText = (path: string) => Promise<string | Uint8Array>;

export class ExcludeFilter {
  private readonly patternList: string[] = [];
  private rules: Ignore = caseSensitive();
  private readonly layers = new Map<string, Layer>();
  readonly gitignore: boolean;

  constructor(options: ExcludeFilterOptions = {}) {
    this.gitignore = options.gitignore === true;
    if (options.patterns) this.addPatterns(options.patterns);
    if (options.excludeFrom) this.loadFromFile(options.excludeFrom);
  }

  /** True when any pattern is stored or `.gitignore` loading is on. */
  get active(): boolean {
    return this.patternList.length > 0 || this.gitignore;
  }

  /** The stored patterns, in insertion order. */
  get patterns(): readonly string[] {
    return this.patternList;
  }

  addPatterns(patterns: string[]): void {
    const clean = cleanLines(patterns);
    this.patternList.push(...clean);
    this.rules.add(clean);
  }

  /** Synchronous, like the reference; a missing file adds nothing. */
  loadFromFile(path: string): void {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      if (isMissing(err)) return;
      throw err;
    }
    this.addPatterns(text.split(/\r?\n/));
  }

  /** Asynchronous variant reading through any fs module (default node:fs). */
  async loadFromFileAsync(path: string, readFile: ReadText = (p) => nodeFsPromises.readFile(p)): Promise<void> {
    const text = await readTextOrNull(readFile, path);
    if (text !== null) this.addPatterns(text.split(/\r?\n/));
  }

  /** Test a path relative to the copy source against the explicit patterns. */
  isExcluded(relPath: string, isDir = false): boolean {
    const rel = cleanRelPath(relPath);
    if (rel === '' || this.patternList.length === 0 || !ignore.isPathValid(rel)) return false;
    return this.rules.ignores(isDir ? `${rel}/` : rel);
  }

  /**
   * Called by a walker when it enters a directory: with `gitignore` on, the
   * directory's `.gitignore` (if any) applies to everything below `relDir`.
   */
  async enterDirectory(absDir: string, relDir: string, readFile: ReadText = (p) => nodeFsPromises.readFile(p)): Promise<void> {
    if (!this.gitignore) return;
    const dir = cleanRelPath(relDir);
    const sep = absDir.endsWith('/') || absDir.endsWith('\\') ? '' : '/';
    const text = await readTextOrNull(readFile, `${absDir}${sep}.gitignore`);
    if (text === null) {
      this.layers.delete(dir);
      return;
    }
    this.layers.set(dir, { dir, rules: caseSensitive().add(cleanLines(text.split(/\r?\n/))) });
  }

  /**
   * The walker's test: explicit patterns first, then `.gitignore` rules from
   * the deepest directory up (a deeper file overrides a shallower one). The
   * `.gitignore` files themselves are excluded in gitignore mode.
   */
  isExcludedInWalk(relPath: string, isDir = false): boolean {
    const rel = cleanRelPath(relPath);
    if (rel === '' || !ignore.isPathValid(rel)) return false;
    if (this.isExcluded(rel, isDir)) return true;
    if (!this.gitignore) return false;
    if (!isDir && baseName(rel) === '.gitignore') return true;
    for (const layer of this.ancestorLayers(rel)) {
      const sub = layer.dir === '' ? rel : rel.slice(layer.dir.length + 1);
      const t = layer.rules.test(isDir ? `${sub}/` : sub);
      if (t.ignored) return true;
      if (t.unignored) return false;
    }
    return false;
  }

  /** Layers whose directory contains `rel`, deepest first. */
  private ancestorLayers(rel: string): Layer[] {
    const out: Layer[] = [];
    let dir = rel;
    for (;;) {
      const i = dir.lastIndexOf('/');
      dir = i < 0 ? '' : dir.slice(0, i);
      const layer = this.layers.get(dir);
      if (layer) out.push(layer);
      if (dir === '') return out;
    }
  }
}

function cleanLines(lines: string[]): string[] {
  const out: string[] = [];
  for (const raw of lines) {
    // Trailing blanks are dropped unless escaped, as in .gitignore files.
    const line = raw.replace(/(?<!\\)\s+$/, '');
    if (line === '' || line.startsWith('#')) continue;
    if (line === '!' || line === '/' || line === '!/') continue;
    out.push(line);
  }
  return out;
}

function cleanRelPath(p: string): string {
  return p.replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/^\/+|\/+$/g, '');
}

function baseName(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? p : p.slice(i + 1);
}

function isMissing(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

async function readTextOrNull(readFile: ReadText, path: string): Promise<string | null> {
  try {
    const data = await readFile(path);
    return typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
  } catch (err) {
    if (isMissing(err)) return null;
    throw err;
  }
}

/**
 * git matches ignore patterns case-sensitively (core.ignorecase is off on
 * Linux); the `ignore` package folds case unless told not to, which made
 * `--exclude A.txt` drop `a.txt` too.
 */
function caseSensitive(): Ignore {
  return ignore({ ignorecase: false });
}
