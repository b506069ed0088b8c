/**
 * JSON text identical to Python's `json.dumps` defaults (cli.md §2.5):
 * `", "` / `": "` separators on one line, non-ASCII escaped as lower-case
 * `\uXXXX` (astral characters as surrogate pairs), and with `indent` the
 * pretty layout of `json.dumps(x, indent=n)`.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue | undefined };

export interface DumpOptions {
  /** Spaces per level; absent = single line. */
  indent?: number;
  /** Nesting level the value starts at (for streaming array items). */
  level?: number;
}

/** Serialises `value` like Python's `json.dumps`. Object keys keep insertion order; `undefined` members are left out. */
export function dumps(value: JsonValue, options: DumpOptions = {}): string {
  return encode(value, options.indent, options.level ?? 0);
}

function encode(value: JsonValue, indent: number | undefined, level: number): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return encodeNumber(value);
  if (typeof value === 'string') return encodeString(value);
  // Loops rather than entries/map/join: `log --format jsonl` encodes one object per commit.
  const open = Array.isArray(value) ? '[' : '{';
  const close = Array.isArray(value) ? ']' : '}';
  const sep = indent === undefined ? ', ' : `,\n${' '.repeat(indent * (level + 1))}`;
  let body = '';
  let first = true;
  const add = (item: string) => {
    body += first ? item : sep + item;
    first = false;
  };
  if (Array.isArray(value)) {
    for (const v of value) add(encode(v, indent, level + 1));
  } else {
    for (const k in value) {
      const v = value[k];
      if (v !== undefined && Object.hasOwn(value, k)) add(`${encodeString(k)}: ${encode(v, indent, level + 1)}`);
    }
  }
  if (first) return open + close;
  if (indent === undefined) return open + body + close;
  return `${open}\n${' '.repeat(indent * (level + 1))}${body}\n${' '.repeat(indent * level)}${close}`;
}

function encodeNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  if (Number.isInteger(n)) return String(n);
  return String(n).replace(/e([+-])(\d)$/, 'e$10$2');
}

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/** Characters that need an escape: quote, backslash, anything outside printable ASCII. */
const NEEDS_ESCAPE = /["\\]|[^ -~]/;

/** A JSON string literal with Python's ASCII-only escaping. */
export function encodeString(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return `"${s}"`;
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const code = s.charCodeAt(i);
    const short = SHORT_ESCAPES[ch];
    if (short !== undefined) out += short;
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}
