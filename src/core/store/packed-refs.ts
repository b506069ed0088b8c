import { join } from 'node:path';
import { LockFile } from './lock.js';
import type { RepoFs, RepoStat } from './repo-fs.js';
import type { Oid } from './types.js';

export interface PackedEntry {
  oid: Oid;
  /** The `^<oid>` line after an annotated tag: what it points at. */
  peeled?: Oid;
}

/** The `packed-refs` file, re-read whenever its stat changes. */
export class PackedRefs {
  private cache: { stamp: string; map: Map<string, PackedEntry> } | null = null;
  private readonly path: string;

  constructor(
    gitdir: string,
    private readonly fs: RepoFs,
  ) {
    this.path = join(gitdir, 'packed-refs');
  }

  async get(ref: string): Promise<PackedEntry | undefined> {
    return (await this.load()).get(ref);
  }

  async entries(): Promise<Map<string, PackedEntry>> {
    return this.load();
  }

  /** Rewrite packed-refs without `ref` (under packed-refs.lock); no-op when absent. */
  async remove(ref: string): Promise<void> {
    if (!(await this.load()).has(ref)) return;
    const lock = await LockFile.acquire(this.path, { fs: this.fs });
    try {
      const text = await this.fs.readFile(this.path).then((b) => b.toString('utf8'), () => '');
      const kept: string[] = [];
      let dropping = false;
      for (const line of text.split('\n')) {
        if (line.startsWith('^')) {
          if (!dropping) kept.push(line);
          continue;
        }
        dropping = line.slice(41) === ref && /^[0-9a-f]{40} /.test(line);
        if (!dropping && line !== '') kept.push(line);
      }
      await lock.commit(kept.length ? `${kept.join('\n')}\n` : '');
      this.cache = null;
    } finally {
      await lock.release();
    }
  }

  private async load(): Promise<Map<string, PackedEntry>> {
    let st: RepoStat;
    try {
      st = await this.fs.stat(this.path);
    } catch {
      this.cache = null;
      return new Map();
    }
    const stamp = `${st.ino}:${st.size}:${st.mtimeMs}`;
    if (this.cache?.stamp === stamp) return this.cache.map;
    const map = new Map<string, PackedEntry>();
    let last: PackedEntry | undefined;
    for (const line of (await this.fs.readFile(this.path)).toString('utf8').split('\n')) {
      if (line.startsWith('^') && last) last.peeled = line.slice(1, 41);
      else if (/^[0-9a-f]{40} /.test(line)) {
        last = { oid: line.slice(0, 40) };
        map.set(line.slice(41), last);
      }
    }
    this.cache = { stamp, map };
    return map;
  }
}
