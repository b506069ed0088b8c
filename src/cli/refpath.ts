/**
 * Parsing of path-like arguments (cli.md §3): `[ref[~N]]:path` for repo
 * paths, plain local paths, and the bare `ref~N` form taken by hash/log/diff.
 */
import { CliError } from './errors.js';

/** A local filesystem path (no `:`, a drive letter, or a `/` before the `:`). */
export interface LocalPathArg {
  kind: 'local';
  path: string;
  raw: string;
}

/** A path inside the repository: `ref` is `''` for the default snapshot. */
export interface RepoPathArg {
  kind: 'repo';
  ref: string;
  /** First-parent steps from `~N` (0 when absent). */
  back: number;
  /** The path text after the `:`, not yet normalised. */
  path: string;
  raw: string;
}

export type PathArg = LocalPathArg | RepoPathArg;

/** A ref with an optional ancestor suffix. */
export interface RefSpecArg {
  ref: string;
  back: number;
}

/** Classifies one argument by the rules of cli.md §3.1 (first `:` decides). */
export function parsePathArg(raw: string): PathArg {
  const colon = raw.indexOf(':');
  if (colon === -1) return { kind: 'local', path: raw, raw };
  const before = raw.slice(0, colon);
  const after = raw.slice(colon + 1);
  if (colon > 0 && /^\p{L}$/u.test(before) && (after.startsWith('/') || after.startsWith('\\'))) {
    return { kind: 'local', path: raw, raw };
  }
  if (before.includes('/') || before.includes('\\')) return { kind: 'local', path: raw, raw };
  const { ref, back } = splitAncestor(before, `${before.slice(0, Math.max(0, before.lastIndexOf('~')))}:${after}`);
  return { kind: 'repo', ref, back, path: after, raw };
}

/**
 * A path argument of ls/cat/rm/write: without `:` it is a repo path on the
 * default snapshot rather than a local path.
 */
export function parseRepoPathArg(raw: string): RepoPathArg {
  const parsed = parsePathArg(raw);
  if (parsed.kind === 'repo') return parsed;
  return { kind: 'repo', ref: '', back: 0, path: raw, raw };
}

/**
 * The TARGET/BASELINE of hash, log and diff: a bare word is a ref with an
 * optional `~N` (`main`, `main~2`, `~3`); anything with a `:` is `ref:path`.
 */
export function parseRefTarget(raw: string): RepoPathArg & { hasPath: boolean } {
  if (raw.includes(':')) {
    const parsed = parseRepoPathArg(raw);
    return { ...parsed, hasPath: true };
  }
  const tilde = raw.lastIndexOf('~');
  const { ref, back } = splitAncestor(raw, `${tilde === -1 ? raw : raw.slice(0, tilde)}:`);
  return { kind: 'repo', ref, back, path: '', raw, hasPath: false };
}

/**
 * Splits `ref~N` at the last `~`. `suggestion` is what the `~0` error offers
 * instead (e.g. `main:f`).
 */
export function splitAncestor(refPart: string, suggestion: string): RefSpecArg {
  const tilde = refPart.lastIndexOf('~');
  if (tilde === -1) return { ref: refPart, back: 0 };
  const suffix = refPart.slice(tilde + 1);
  if (!/^\d+$/.test(suffix)) {
    throw new CliError(`Invalid ancestor suffix '~${suffix}' — must be a positive integer`, { code: 'BAD_ANCESTOR' });
  }
  const back = Number.parseInt(suffix, 10);
  if (back === 0) {
    throw new CliError(`Invalid ancestor '~${suffix}' — use '${suggestion}' instead`, { code: 'BAD_ANCESTOR' });
  }
  return { ref: refPart.slice(0, tilde), back };
}

export interface NormalizeOptions {
  /** Accept an empty result as the root (`''`) instead of failing. */
  allowRoot?: boolean;
}

/**
 * Normalises a repo path (cli.md §3.2): outer `/` stripped, `.` dropped,
 * `..` and empty interior segments rejected.
 */
export function normalizeRepoPath(path: string, options: NormalizeOptions = {}): string {
  const stripped = path.replace(/^\/+/, '').replace(/\/+$/, '');
  const segments: string[] = [];
  if (stripped !== '') {
    for (const seg of stripped.split('/')) {
      if (seg === '') throw invalidPath(`Empty segment in path: '${stripped}'`);
      if (seg === '..') throw invalidPath(`Invalid path segment: '..'`);
      if (seg !== '.') segments.push(seg);
    }
  }
  const result = segments.join('/');
  if (result === '' && !options.allowRoot) {
    throw new CliError('Repo path must not be empty', { code: 'EMPTY_PATH' });
  }
  return result;
}

function invalidPath(detail: string): CliError {
  return new CliError(`Invalid repo path: ${detail}`, { code: 'INVALID_PATH' });
}
