/**
 * The repository lock (spec/api.md §18): an in-process mutex keyed by the
 * filesystem and the repository's real path on it, plus the cross-process
 * advisory lock `vost.lock`. On Node's fs that is a proper-lockfile lock
 * directory, refreshed while held and considered stale when its holder
 * stops refreshing it (e.g. after a crash); on a custom fs module, which
 * proper-lockfile cannot see, the same protocol is kept by module-lock.ts.
 */
import { join } from 'node:path';
import { nodeRepoFs, type RepoFs } from './store/repo-fs.js';
import { MAX_ATTEMPTS, STALE_MS, lockedError, withModuleFileLock } from './module-lock.js';

const FOREIGN_FILE_STALE_MS = 2_000;

/** Per filesystem, so two stores on two fs modules never share (or block) each other's queue. */
const chainsByFs = new WeakMap<RepoFs, Map<string, Promise<void>>>();

/** Run `fn` while holding both the in-process mutex and `<gitdir>/vost.lock` on `fs` (default: Node's). */
export async function withRepoLock<T>(gitdir: string, fn: () => Promise<T>, fs: RepoFs = nodeRepoFs): Promise<T> {
  let chains = chainsByFs.get(fs);
  if (!chains) {
    chains = new Map();
    chainsByFs.set(fs, chains);
  }
  const key = fs.realpath(gitdir);
  const previous = chains.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  const tail = previous.then(() => mine);
  chains.set(key, tail);
  await previous;
  try {
    return await (fs.native ? withFileLock(key, fn) : withModuleFileLock(fs, key, fn));
  } finally {
    release();
    if (chains.get(key) === tail) chains.delete(key);
  }
}

async function withFileLock<T>(gitdir: string, fn: () => Promise<T>): Promise<T> {
  const lockPath = join(gitdir, 'vost.lock');
  await clearForeignLockFile(lockPath);
  // Loaded here, not at the top: reads never lock, and proper-lockfile with
  // graceful-fs and signal-exit is a noticeable share of CLI start-up.
  const { default: lockfile } = await import('proper-lockfile');
  let unlock: () => Promise<void>;
  try {
    unlock = await lockfile.lock(gitdir, {
      lockfilePath: lockPath,
      realpath: false,
      stale: STALE_MS,
      retries: { retries: MAX_ATTEMPTS, minTimeout: 5, maxTimeout: 60, factor: 1.3, randomize: true },
      // A lost lock cannot be fixed from a timer callback; the ref update's own
      // compare-and-swap still protects the branch, so only note it.
      onCompromised: () => undefined,
    });
  } catch (err) {
    if ((err as { code?: string }).code === 'ELOCKED') throw lockedError(lockPath);
    throw err;
  }
  try {
    return await fn();
  } finally {
    await unlock().catch(() => undefined);
  }
}

/**
 * Other vost ports use a plain file named `vost.lock`: the Python tool keeps
 * an empty one around for flock, the reference TS port holds one for the
 * few milliseconds of a ref move. A file older than that is not a live lock;
 * remove it so our lock directory can be created.
 */
async function clearForeignLockFile(lockPath: string): Promise<void> {
  try {
    const st = await nodeRepoFs.lstat(lockPath);
    if (!st.isDirectory() && st.mtimeMs < Date.now() - FOREIGN_FILE_STALE_MS) await nodeRepoFs.rm(lockPath);
  } catch {
    // Absent (the common case) or removed by someone else meanwhile.
  }
}
