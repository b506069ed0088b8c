/** Glob against the local filesystem with vost's dotfile and `**` rules (spec/api.md §22). */
import * as nodeFs from 'node:fs';
import * as nodePath from 'node:path';
import { globWalk, type GlobSource } from './glob.js';
import type { FsModule } from './types.js';

export interface DiskGlobOptions {
  fs?: FsModule;
}

/**
 * `diskGlob(fsModule, pattern)` (reference form) or `diskGlob(pattern, {fs})`.
 * Results are sorted and de-duplicated; `**` never loops through symlink cycles.
 */
export async function diskGlob(fsOrPattern: FsModule | string, patternOrOpts?: string | DiskGlobOptions): Promise<string[]> {
  const [fsModule, pattern] =
    typeof fsOrPattern === 'string'
      ? [(patternOrOpts as DiskGlobOptions | undefined)?.fs ?? (nodeFs as unknown as FsModule), fsOrPattern]
      : [fsOrPattern, String(patternOrOpts ?? '')];
  const p = pattern.replace(/\\/g, '/').replace(/\/+$/, '');
  if (p === '') return [];
  const absolute = p.startsWith('/');
  const segments = p.split('/').filter((s) => s !== '');
  const start = absolute ? '/' : '';
  if (segments.length === 0) return absolute ? ['/'] : [];
  const found = new Set<string>();
  for await (const hit of globWalk(diskSource(fsModule), start, segments)) found.add(hit);
  return [...found].sort();
}

function diskSource(fsm: FsModule): GlobSource {
  const real = (p: string) => p || '.';
  const isDir = async (p: string) => {
    try {
      return (await fsm.promises.stat(real(p))).isDirectory();
    } catch {
      return false;
    }
  };
  return {
    join: (base, name) => (base === '' ? name : nodePath.join(base, name)),
    async list(dir) {
      let names: string[];
      try {
        names = await fsm.promises.readdir(real(dir));
      } catch {
        return [];
      }
      return names.map(String).map((name) => ({ name, isDir: () => isDir(dir === '' ? name : nodePath.join(dir, name)) }));
    },
    async exists(p) {
      try {
        await fsm.promises.access(real(p));
        return true;
      } catch {
        return false;
      }
    },
    isDir,
    async identity(dir) {
      try {
        return fsm.realpathSync(real(dir));
      } catch {
        return null;
      }
    },
  };
}
