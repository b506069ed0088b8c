import { dirname } from 'node:path';
import { LockTimeoutError } from '../errors.js';
import { isErrno, sleep } from './fsutil.js';
import { nodeRepoFs, type RepoFs, type WritableFile } from './repo-fs.js';

/** How long a writer waits for another process's `.lock` file before giving up. */
const LOCK_WAIT_MS = 10_000;

/**
 * Git's lock protocol: create `<path>.lock` exclusively, write the new
 * content into it, rename it over `<path>`. Holding the lock file is what
 * serialises writers across processes.
 */
export class LockFile {
  private constructor(
    private readonly fs: RepoFs,
    readonly path: string,
    readonly lockPath: string,
    private fh: WritableFile | null,
  ) {}

  static async acquire(path: string, opts: { fs?: RepoFs; waitMs?: number } = {}): Promise<LockFile> {
    const fs = opts.fs ?? nodeRepoFs;
    const waitMs = opts.waitMs ?? LOCK_WAIT_MS;
    const lockPath = `${path}.lock`;
    const deadline = Date.now() + waitMs;
    for (;;) {
      try {
        return new LockFile(fs, path, lockPath, await fs.createWritable(lockPath, 0o644));
      } catch (err) {
        if (isErrno(err, 'ENOENT')) {
          // The directory vanished (a concurrent delete pruned it): recreate and retry.
          await fs.mkdir(dirname(lockPath));
          continue;
        }
        if (!isErrno(err, 'EEXIST')) throw err;
        if (Date.now() > deadline) throw new LockTimeoutError(lockPath);
        await sleep(2 + Math.random() * 15);
      }
    }
  }

  /** Write the new content, fsync, and rename it into place (releases the lock). */
  async commit(content: string | Uint8Array): Promise<void> {
    const fh = this.take();
    try {
      await fh.write(typeof content === 'string' ? Buffer.from(content, 'utf8') : content, 0);
      await fh.sync();
    } catch (err) {
      await fh.close();
      await this.fs.rm(this.lockPath);
      throw err;
    }
    await fh.close();
    try {
      await this.fs.rename(this.lockPath, this.path);
    } catch (err) {
      await this.fs.rm(this.lockPath);
      throw err;
    }
  }

  /** Drop the lock without touching the locked file. */
  async release(): Promise<void> {
    // After commit() the lock path may already belong to the next writer.
    if (!this.fh) return;
    await this.take().close();
    await this.fs.rm(this.lockPath);
  }

  private take(): WritableFile {
    const fh = this.fh;
    if (!fh) throw new Error(`Lock ${this.lockPath} already released`);
    this.fh = null;
    return fh;
  }
}
