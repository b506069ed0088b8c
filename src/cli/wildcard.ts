/**
 * Shell-style wildcard matching of whole commit messages for `--match`
 * (cli.md §4.2): `*` any run of characters including newlines, `?` one
 * character, `[abc]` / `[!abc]` sets; case sensitive; anchored at both ends.
 */

/** Compiles `pattern` into an anchored regular expression. */
export function wildcardToRegExp(pattern: string): RegExp {
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    i += 1;
    if (c === '*') {
      out += '[\\s\\S]*';
    } else if (c === '?') {
      out += '[\\s\\S]';
    } else if (c === '[') {
      const set = readSet(pattern, i);
      if (set === null) {
        out += '\\[';
      } else {
        out += set.source;
        i = set.next;
      }
    } else {
      out += escapeChar(c);
    }
  }
  return new RegExp(`^${out}$`, 'u');
}

/** Reads a `[...]` set starting just after `[`; null when it is not closed. */
function readSet(pattern: string, start: number): { source: string; next: number } | null {
  let j = start;
  let negate = false;
  if (pattern[j] === '!') {
    negate = true;
    j += 1;
  }
  // A `]` right after `[` or `[!` is a literal member.
  const bodyStart = j;
  if (pattern[j] === ']') j += 1;
  while (j < pattern.length && pattern[j] !== ']') j += 1;
  if (j >= pattern.length) return null;
  const members = setMembers([...pattern.slice(bodyStart, j)]).join('');
  // An empty set matches nothing; its negation any one character (as fnmatch does).
  if (members === '') return { source: negate ? '[\\s\\S]' : '[^\\s\\S]', next: j + 1 };
  return { source: `[${negate ? '^' : ''}${members}]`, next: j + 1 };
}

/**
 * The members of a set body as regex class items: `x-y` is a range (the
 * first and last `-` of the body, and a `-` right after a range, are
 * literal); a reversed range such as `z-a` is empty, so it is dropped.
 */
function setMembers(chars: string[]): string[] {
  const out: string[] = [];
  let p = 0;
  while (p < chars.length) {
    if (chars[p + 1] === '-' && p + 2 < chars.length) {
      const [lo, hi] = [chars[p], chars[p + 2]];
      if (lo.codePointAt(0)! <= hi.codePointAt(0)!) out.push(`${escapeSetChar(lo)}-${escapeSetChar(hi)}`);
      p += 3;
    } else {
      out.push(escapeSetChar(chars[p]));
      p += 1;
    }
  }
  return out;
}

function escapeChar(c: string): string {
  // Only syntax characters: under the `u` flag, escaping anything else (`\-`) is an error.
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}

function escapeSetChar(c: string): string {
  return /[\\\]^[-]/.test(c) ? `\\${c}` : c;
}

/** True when the whole `text` matches the wildcard `pattern`. */
export function wildcardMatch(pattern: string, text: string): boolean {
  return wildcardToRegExp(pattern).test(text);
}
