/**
 * `vost.lock` on a custom fs module (spec/api.md §18): a file created
 * exclusively, retried after a short random sleep while another holder has
 * it. The holder touches it while the critical section runs; one whose
 * mtime is older than STALE_MS was left by a holder that died, and is
 * removed (a lock directory left by proper-lockfile on a copied repository
 * included).
 */
import { join } from 'node:path';
import { isErrno, sleep } from './store/fsutil.js';
import type { RepoFs } from './store/repo-fs.js';

export const STALE_MS = 10_000;
export const MAX_ATTEMPTS = 400;

export function lockedError(lockPath: string): Error {
  return new Error(`Could not acquire lock after ${MAX_ATTEMPTS} attempts: ${lockPath}`);
}

export async function withModuleFileLock<T>(fs: RepoFs, gitdir: string, fn: () => Promise<T>): Promise<T> {
  const lockPath = join(gitdir, 'vost.lock');
  await acquire(fs, lockPath);
  const refresh = setInterval(() => void fs.touch(lockPath).catch(() => undefined), STALE_MS / 3);
  refresh.unref();
  try {
    return await fn();
  } finally {
    clearInterval(refresh);
    await fs.rm(lockPath, { recursive: true }).catch(() => undefined);
  }
}

async function acquire(fs: RepoFs, lockPath: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await fs.writeFile(lockPath, `${process.pid}\n`, { exclusive: true });
      return;
    } catch (err) {
      if (!isErrno(err, 'EEXIST')) throw err;
    }
    if (attempt >= MAX_ATTEMPTS) throw lockedError(lockPath);
    const st = await fs.lstat(lockPath).catch(() => null);
    if (st && st.mtimeMs < Date.now() - STALE_MS) await fs.rm(lockPath, { recursive: true });
    else await sleep(10 + Math.random() * 20);
  }
}
