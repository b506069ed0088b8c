/**
 * The glob language shared by `FS.glob`, `diskGlob` and `log({match})`
 * (spec/api.md §10.6): per-segment `*`, `?`, `[...]` classes, the dotfile
 * rule and `**` for any number of directory levels.
 */

const regexCache = new Map<string, RegExp>();

/** A segment is a wildcard when it has `*`, `?` or a closed `[...]` class; otherwise it is looked up literally. */
export function isWildcardSegment(seg: string): boolean {
  if (seg.includes('*') || seg.includes('?')) return true;
  for (let i = seg.indexOf('['); i >= 0; i = seg.indexOf('[', i + 1)) {
    if (classEnd(seg, i) > 0) return true;
  }
  return false;
}

/** Index of the `]` closing the class opened at `start`, or -1 when it stays open. */
function classEnd(pat: string, start: number): number {
  let j = start + 1;
  if (pat[j] === '!' || pat[j] === '^') j += 1;
  if (pat[j] === ']') j += 1;
  const end = pat.indexOf(']', j);
  return end;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Translate a glob (no `/` handling) into an anchored RegExp; `*` and `?` do not match newlines. */
export function globToRegExp(pattern: string): RegExp {
  const cached = regexCache.get(pattern);
  if (cached) return cached;
  let src = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '*') src += '.*';
    else if (ch === '?') src += '.';
    else if (ch === '[') {
      const end = classEnd(pattern, i);
      if (end < 0) {
        src += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, end);
      let negate = false;
      if (body.startsWith('!') || body.startsWith('^')) {
        negate = true;
        body = body.slice(1);
      }
      src += `[${negate ? '^' : ''}${body.replace(/[\\\]^[]/g, '\\$&')}]`;
      i = end;
    } else src += escapeRegex(ch);
  }
  const re = compile(src, pattern);
  if (regexCache.size > 1000) regexCache.clear();
  regexCache.set(pattern, re);
  return re;
}

/** A class git would reject (e.g. `[z-a]`) makes the whole pattern literal rather than an exception. */
function compile(src: string, pattern: string): RegExp {
  try {
    return new RegExp(`^(?:${src})$`, 'u');
  } catch {
    return new RegExp(`^${escapeRegex(pattern)}$`, 'u');
  }
}

/** Whole-name match with the dotfile rule: a leading `.` must be matched by a leading `.` in the pattern. */
export function globMatch(pattern: string, name: string): boolean {
  if (name.startsWith('.') && !pattern.startsWith('.')) return false;
  return globToRegExp(pattern).test(name);
}

/** What a glob walk needs to know about a tree of names (a repo snapshot or a local folder). */
export interface GlobSource {
  /**
   * Entries directly in `dir` (`''` = the start); empty when `dir` is not a
   * directory. `isDir` is asked only for names that need it (a stat on disk).
   */
  list(dir: string): Promise<Array<{ name: string; isDir: () => Promise<boolean> }>>;
  exists(path: string): Promise<boolean>;
  isDir(path: string): Promise<boolean>;
  join(base: string, name: string): string;
  /** Identity of a directory for cycle detection (e.g. its realpath); omit when cycles are impossible. */
  identity?(dir: string): Promise<string | null>;
}

/** Yield every path matching `segments` below `base`; may yield duplicates (callers de-duplicate). */
export async function* globWalk(src: GlobSource, base: string, segments: string[]): AsyncGenerator<string> {
  yield* expand(src, base, segments, 0, new Set());
}

async function* expand(
  src: GlobSource,
  base: string,
  segs: string[],
  idx: number,
  seen: Set<string>,
): AsyncGenerator<string> {
  const seg = segs[idx];
  const last = idx === segs.length - 1;
  if (seg === '**') {
    if (!(await firstVisit(src, base, idx, seen))) return;
    if (last) {
      yield* everything(src, base, seen, idx);
      return;
    }
    yield* expand(src, base, segs, idx + 1, seen);
    for (const e of await src.list(base)) {
      if (!e.name.startsWith('.') && (await e.isDir())) yield* expand(src, src.join(base, e.name), segs, idx, seen);
    }
    return;
  }
  if (!isWildcardSegment(seg)) {
    const p = src.join(base, seg);
    if (last) {
      if (await src.exists(p)) yield p;
    } else if (await src.isDir(p)) {
      yield* expand(src, p, segs, idx + 1, seen);
    }
    return;
  }
  for (const e of await src.list(base)) {
    if (!globMatch(seg, e.name)) continue;
    const p = src.join(base, e.name);
    if (last) yield p;
    else if (await e.isDir()) yield* expand(src, p, segs, idx + 1, seen);
  }
}

async function* everything(src: GlobSource, base: string, seen: Set<string>, idx: number): AsyncGenerator<string> {
  for (const e of await src.list(base)) {
    if (e.name.startsWith('.')) continue;
    const p = src.join(base, e.name);
    yield p;
    if ((await e.isDir()) && (await firstVisit(src, p, idx, seen))) yield* everything(src, p, seen, idx);
  }
}

/** Guards `**` against symlink cycles: each (segment, directory identity) is expanded once. */
async function firstVisit(src: GlobSource, dir: string, idx: number, seen: Set<string>): Promise<boolean> {
  if (!src.identity) return true;
  const id = await src.identity(dir);
  if (id === null) return true;
  const key = `${idx}\0${id}`;
  if (seen.has(key)) return false;
  seen.add(key);
  return true;
}

/** Split a pattern into segments after trimming `/`; `[]` for an empty pattern. */
export function patternSegments(pattern: string): string[] {
  const trimmed = pattern.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? [] : trimmed.split('/').filter((s) => s !== '');
}
