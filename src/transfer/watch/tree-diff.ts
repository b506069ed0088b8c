import type { FS } from '../../core/fs.js';
import { MODE_TREE } from '../../core/modes.js';
import type { WalkEntry } from '../../core/types.js';
import { joinRel } from '../../plugins/paths.js';

/** Past this many changed paths a whole re-plan is as cheap as many small ones. */
const MAX_PATHS = 2000;

async function entriesOf(fs: FS, dir: string): Promise<Map<string, WalkEntry> | null> {
  if (dir !== '' && !(await fs.isDir(dir))) return null;
  return new Map((await fs.listdir(dir === '' ? null : dir)).map((e) => [e.name, e]));
}

/**
 * Paths below `base` (relative to it) whose entries differ between two
 * snapshots, found by descending only into subtrees whose ids differ, so a
 * one-file commit costs a few tree reads however big the tree is. A changed
 * or replaced directory is reported as the directory itself. `['']` means
 * "re-plan everything" (base appeared, vanished or is not a directory on one
 * side, or too much changed).
 */
export async function changedPaths(before: FS, after: FS, base: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string): Promise<boolean> => {
    const full = joinRel(base, rel);
    const [a, b] = await Promise.all([entriesOf(before, full), entriesOf(after, full)]);
    if (!a || !b) return false;
    for (const name of new Set([...a.keys(), ...b.keys()])) {
      const x = a.get(name);
      const y = b.get(name);
      if (x && y && x.oid === y.oid && x.mode === y.mode) continue;
      const path = joinRel(rel, name);
      if (x?.mode === MODE_TREE && y?.mode === MODE_TREE) {
        if (!(await walk(path))) return false;
      } else {
        out.push(path);
      }
      if (out.length > MAX_PATHS) return false;
    }
    return true;
  };
  return (await walk('')) ? out : [''];
}
