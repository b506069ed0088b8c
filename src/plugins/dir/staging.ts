/**
 * The folder writers' staging folders, `.vost-staging-<pid>-<random>`
 * inside the destination root. They are never listed as content (a crashed
 * run's leftovers must not be synced back into a repository), and one left
 * behind by a process that died (kill -9, power loss) is removed by the next
 * writer in that folder.
 */
import { randomBytes } from 'node:crypto';
import { lstatSync, readdirSync, rmSync, type Stats } from 'node:fs';

const PREFIX = '.vost-staging-';
/** Also matches the older `.vost-staging-<random>` form. */
const NAME = /^\.vost-staging-(?:(\d+)-)?[0-9a-f]{12}$/;
/**
 * A dead writer's folder is removed only once it is this old: its pid may
 * have been reused, or belong to another host writing the same folder.
 */
const STALE_MS = 60_000;

/** A new staging folder name for this process. */
export function stagingName(): string {
  return `${PREFIX}${process.pid}-${randomBytes(6).toString('hex')}`;
}

/** Is this folder name a writer's staging folder? */
export function isStagingName(name: string): boolean {
  return NAME.test(name);
}

/** Remove the staging folders in `root` whose writer is not running here and that have not changed for a while. */
export function removeStaleStaging(root: string, now = Date.now()): void {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return;
  }
  for (const name of names) {
    const m = NAME.exec(name);
    if (!m || (m[1] !== undefined && running(Number(m[1])))) continue;
    const path = root.endsWith('/') ? root + name : `${root}/${name}`;
    const st = lstatOrNull(path);
    if (st?.isDirectory() && now - st.mtimeMs >= STALE_MS) rmSync(path, { recursive: true, force: true });
  }
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, under another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}
