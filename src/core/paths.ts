/** Repository path and ref-name rules (spec/api.md §6). */
import { InvalidPathError, InvalidRefNameError } from './errors.js';

/** Canonicalise a repo path: `/a/./b/` → `a/b`; throws InvalidPathError for empty paths, `//` and `..`. */
export function normalizePath(path: string): string {
  const stripped = path.replace(/\\/g, '/').replace(/^\/+|\/+$/g, '');
  if (stripped === '') throw new InvalidPathError('Path must not be empty');
  const out: string[] = [];
  for (const seg of stripped.split('/')) {
    if (seg === '') throw new InvalidPathError(`Empty segment in path: '${stripped}'`);
    if (seg === '..') throw new InvalidPathError("Invalid path segment: '..'");
    if (seg !== '.') out.push(seg);
  }
  if (out.length === 0) throw new InvalidPathError('Path must not be empty');
  return out.join('/');
}

/** `null`, `undefined` or a string of only `/` and `\` denote the repository root. */
export function isRootPath(path: string | null | undefined): boolean {
  return path === null || path === undefined || /^[/\\]*$/.test(path);
}

/** Root paths → `''`, anything else normalized. */
export function normalizeOrRoot(path: string | null | undefined): string {
  return isRootPath(path) ? '' : normalizePath(path as string);
}

export function basename(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? path : path.slice(i + 1);
}

export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

export function joinPath(...parts: string[]): string {
  return parts.filter((p) => p !== '').join('/');
}

/**
 * Reject ref names git cannot store. The four reference checks (colon, space,
 * tab, newline) come first so their messages stay identical; the rest are
 * git-check-ref-format rules, strictly additive.
 */
export function validateRefName(name: string): void {
  const basic: Array<[string, string]> = [[':', 'colon'], [' ', 'space'], ['\t', 'tab'], ['\n', 'newline']];
  for (const [ch, label] of basic) {
    if (name.includes(ch)) throw new InvalidRefNameError(`Invalid ref name '${name}': contains ${label}`);
  }
  const problem = refFormatProblem(name);
  if (problem) throw new InvalidRefNameError(`Invalid ref name '${name}': ${problem}`);
}

function refFormatProblem(name: string): string | null {
  if (name === '') return 'is empty';
  if (name === '@') return "is '@'";
  if (/[\x00-\x1f\x7f]/.test(name)) return 'contains a control character';
  const bad = /[~^?*[\\]/.exec(name);
  if (bad) return `contains '${bad[0]}'`;
  if (name.includes('..')) return "contains '..'";
  if (name.includes('@{')) return "contains '@{'";
  if (name.startsWith('-')) return "starts with '-'";
  if (name.startsWith('/') || name.endsWith('/') || name.includes('//')) return 'has an empty component';
  if (name.endsWith('.')) return "ends with '.'";
  for (const comp of name.split('/')) {
    if (comp.startsWith('.')) return "has a component starting with '.'";
    if (comp.endsWith('.lock')) return "has a component ending with '.lock'";
  }
  return null;
}
