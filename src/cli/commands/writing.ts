/**
 * `vost write` (cli.md §8.1): stream stdin into the object store (optionally
 * teeing it to stdout), then commit the blob as one regular file, re-reading
 * the branch tip and retrying when another writer moved the branch in
 * between. Memory does not grow with the input size, and a retry never
 * re-reads the data: only the blob id is staged again.
 */
import { commitChanges } from '../../core/commit.js';
import { StaleSnapshotError } from '../../core/errors.js';
import type { FS, GitStore } from '../../core/index.js';
import { CliError } from '../errors.js';
import { renderMessage } from '../message.js';
import { CONCURRENT_MESSAGE } from './commit.js';

/** Attempts in total before a concurrent branch move is reported (cli.md §1). */
export const WRITE_ATTEMPTS = 5;

const MODE_BLOB = '100644';

/**
 * Stores all of stdin as a blob; with `passthrough`, each chunk is copied to
 * stdout as soon as it is read. If the reader of stdout goes away, copying
 * stops but the input is still stored and committed: a closed pipe must not
 * silently lose the write.
 */
export async function storeStdin(fs: FS, opts: { passthrough: boolean }): Promise<string> {
  const tee = opts.passthrough ? new Tee() : null;
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for await (const chunk of process.stdin) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      if (tee) await tee.write(buf);
      yield buf;
    }
  }
  const repo = await fs._repo();
  return (await repo.objects.writeStream(chunks())).oid;
}

/** stdout copy for `write -p` that turns itself off on a broken pipe instead of ending the process. */
class Tee {
  private open = true;

  constructor() {
    // Replaces the usual "exit quietly on EPIPE": here the write must still be committed.
    process.stdout.removeAllListeners('error');
    process.stdout.on('error', () => {
      this.open = false;
    });
  }

  write(buf: Buffer): Promise<void> {
    if (!this.open) return Promise.resolve();
    return new Promise((resolve) => {
      const ok = process.stdout.write(buf, (err) => {
        if (!err) return;
        this.open = false;
        resolve();
      });
      if (ok) resolve();
      else process.stdout.once('drain', resolve);
    });
  }
}

/** Writing a file where a directory is would drop the whole directory: refuse (cli.md §8.1 Note). */
export async function checkNotDirectory(fs: FS, path: string): Promise<void> {
  if (await fs.isDir(path)) throw new CliError(`${path} is a directory, not a file`, { code: 'EISDIR' });
}

export interface WriteFileOptions {
  /** `-m` value: a message or template (cli.md §5.2). */
  template?: string;
  parents: FS[];
}

/**
 * Commits blob `oid` at `path` on `branch`, starting from its tip as it is
 * now (stdin may have taken long). The result is the new snapshot, or the
 * tip itself when the content was already there.
 */
export async function writeWithRetry(store: GitStore, branch: string, path: string, oid: string, opts: WriteFileOptions): Promise<FS> {
  const writes = new Map([[path, { oid, mode: MODE_BLOB }]]);
  for (let attempt = 0; ; attempt++) {
    const fs = await store.branches.get(branch);
    await checkNotDirectory(fs, path);
    const entry = { path, type: 'blob' as const };
    const exists = await fs.exists(path);
    const report = { add: exists ? [] : [entry], update: exists ? [entry] : [], delete: [], errors: [], warnings: [] };
    const message = renderMessage(opts.template, report, '');
    try {
      return await commitChanges(fs, { writes, removes: new Set() }, { message, parents: opts.parents });
    } catch (err) {
      if (!(err instanceof StaleSnapshotError)) throw err;
      if (attempt + 1 >= WRITE_ATTEMPTS) throw new CliError(CONCURRENT_MESSAGE, { code: 'STALE' });
    }
    await sleep(Math.random() * Math.min(10 * 2 ** attempt, 200));
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
