/**
 * `vost write` (cli.md §8.1): read stdin (optionally teeing it to stdout),
 * then commit it as one regular file, re-reading the branch tip and retrying
 * when another writer moved the branch in between.
 */
import { StaleSnapshotError } from '../../core/errors.js';
import type { FS, GitStore } from '../../core/index.js';
import { CliError } from '../errors.js';
import { renderMessage } from '../message.js';
import { CONCURRENT_MESSAGE } from './commit.js';
import { writeStdout } from './stdout.js';

/** Attempts in total before a concurrent branch move is reported (cli.md §1). */
export const WRITE_ATTEMPTS = 5;

/** All of stdin; with `passthrough`, every chunk is copied to stdout as soon as it is read. */
export async function readStdin(opts: { passthrough: boolean }): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    chunks.push(buf);
    if (opts.passthrough) await writeStdout(buf);
  }
  return Buffer.concat(chunks);
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
 * Commits `data` at `path` on the branch of `tip`. The result is the new
 * snapshot, or the tip itself when the content was already there.
 */
export async function writeWithRetry(
  store: GitStore,
  tip: FS,
  path: string,
  data: Uint8Array,
  opts: WriteFileOptions,
): Promise<FS> {
  const branch = tip.refName!;
  let fs = tip;
  for (let attempt = 0; ; attempt++) {
    await checkNotDirectory(fs, path);
    const entry = { path, type: 'blob' as const };
    const exists = await fs.exists(path);
    const report = { add: exists ? [] : [entry], update: exists ? [entry] : [], delete: [], errors: [], warnings: [] };
    const message = renderMessage(opts.template, report, '');
    try {
      return await fs.write(path, data, { message, parents: opts.parents });
    } catch (err) {
      if (!(err instanceof StaleSnapshotError)) throw err;
      if (attempt + 1 >= WRITE_ATTEMPTS) throw new CliError(CONCURRENT_MESSAGE, { code: 'STALE' });
    }
    await sleep(Math.random() * Math.min(10 * 2 ** attempt, 200));
    fs = await store.branches.get(branch);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
