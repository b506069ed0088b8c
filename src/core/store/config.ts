import { join } from 'node:path';
import { isErrno, sleep, writeFileAtomic } from './fsutil.js';
import { nodeRepoFs, type RepoFs } from './repo-fs.js';

/**
 * A small reader/writer for a repository's `config` file: enough of git's
 * syntax for `[section]`, `[section "sub"]` and `key = value` lines. Writes
 * edit the text in place so unrelated content and comments survive.
 */
export class RepoConfig {
  constructor(private text: string) {}

  /** Last value of `section[.sub].key` (names case-insensitive, like git), or undefined. */
  get(section: string, key: string, subsection?: string): string | undefined {
    let found: string | undefined;
    for (const line of this.scan()) {
      if (line.kind === 'entry' && line.matches(section, subsection) && line.key === key.toLowerCase()) {
        found = line.value;
      }
    }
    return found;
  }

  /** Set (or add) a value; returns the new file text. */
  set(section: string, key: string, value: string, subsection?: string): string {
    const lines = this.text.split('\n');
    let lastInSection = -1;
    let keyLine = -1;
    this.scan().forEach((line) => {
      if (!line.matches(section, subsection)) return;
      lastInSection = line.index;
      if (line.kind === 'entry' && line.key === key.toLowerCase()) keyLine = line.index;
    });
    const entry = `\t${key} = ${quote(value)}`;
    if (keyLine >= 0) lines[keyLine] = entry;
    else if (lastInSection >= 0) lines.splice(lastInSection + 1, 0, entry);
    else {
      if (lines.length && lines[lines.length - 1] === '') lines.pop();
      const head = subsection === undefined ? `[${section}]` : `[${section} "${subsection}"]`;
      lines.push(head, entry, '');
    }
    this.text = lines.join('\n');
    return this.text;
  }

  toString(): string {
    return this.text;
  }

  private scan(): ConfigLine[] {
    const out: ConfigLine[] = [];
    let sec = '';
    let sub: string | undefined;
    this.text.split('\n').forEach((raw, index) => {
      const line = raw.trim();
      const head = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\]/.exec(line);
      if (head) {
        const name = (head[1] ?? '').toLowerCase();
        const dot = name.indexOf('.');
        sec = dot < 0 ? name : name.slice(0, dot);
        sub = head[2] !== undefined ? head[2].replace(/\\(.)/g, '$1') : dot < 0 ? undefined : name.slice(dot + 1);
      }
      const [lineSec, lineSub] = [sec, sub];
      const matches = (s: string, ss?: string): boolean => lineSec === s.toLowerCase() && lineSub === ss;
      if (head) {
        out.push({ kind: 'section', index, key: '', value: '', matches });
        return;
      }
      if (!line || line.startsWith('#') || line.startsWith(';')) return;
      const eq = line.indexOf('=');
      const key = (eq < 0 ? line : line.slice(0, eq)).trim().toLowerCase();
      const value = eq < 0 ? 'true' : unquote(line.slice(eq + 1).trim());
      out.push({ kind: 'entry', index, key, value, matches });
    });
    return out;
  }
}

interface ConfigLine {
  kind: 'section' | 'entry';
  index: number;
  key: string;
  value: string;
  matches(section: string, subsection?: string): boolean;
}

/** Git value syntax: quotes group, backslash escapes, `#`/`;` start a comment, unquoted trailing blanks drop. */
function unquote(v: string): string {
  let out = '';
  let blanks = '';
  let inQuote = false;
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    if (!inQuote && (c === ' ' || c === '\t')) {
      blanks += c;
      continue;
    }
    if (!inQuote && (c === '#' || c === ';')) break;
    out += blanks;
    blanks = '';
    if (c === '"') inQuote = !inQuote;
    else if (c === '\\' && i + 1 < v.length) {
      const n = v[++i];
      out += n === 'n' ? '\n' : n === 't' ? '\t' : n;
    } else out += c;
  }
  return out;
}

function quote(v: string): string {
  const escaped = v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
  return /^\s|\s$|[#;]/.test(v) ? `"${escaped}"` : escaped;
}

/** Parse git's size syntax: `512`, `16k`, `32m`, `1g`. */
export function parseGitSize(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+)\s*([kmg]?)$/i.exec(value.trim());
  if (!m) return undefined;
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(m[2] ?? '').toLowerCase()] ?? 1;
  return Number(m[1]) * mult;
}

export async function readRepoConfig(gitdir: string, fs: RepoFs = nodeRepoFs): Promise<RepoConfig> {
  try {
    return new RepoConfig((await fs.readFile(join(gitdir, 'config'))).toString('utf8'));
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return new RepoConfig('');
    throw err;
  }
}

/** Set values in the repo config under `config.lock`, as git does. */
export async function updateRepoConfig(
  gitdir: string,
  values: Array<{ section: string; key: string; value: string; subsection?: string }>,
  fs: RepoFs = nodeRepoFs,
): Promise<void> {
  const lockPath = join(gitdir, 'config.lock');
  for (let attempt = 0; ; attempt++) {
    try {
      await fs.writeFile(lockPath, '', { exclusive: true });
      break;
    } catch (err) {
      if (!isErrno(err, 'EEXIST') || attempt > 100) throw err;
      await sleep(20);
    }
  }
  try {
    const cfg = await readRepoConfig(gitdir, fs);
    for (const v of values) cfg.set(v.section, v.key, v.value, v.subsection);
    await writeFileAtomic(fs, join(gitdir, 'config'), cfg.toString());
  } finally {
    await fs.rm(lockPath);
  }
}
