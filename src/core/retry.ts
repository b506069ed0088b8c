/** retryWrite: a single-file write that retries on StaleSnapshotError with jittered backoff (spec/api.md §18). */
import { StaleSnapshotError } from './errors.js';
import type { FileType } from './modes.js';
import type { FS } from './fs.js';
import type { GitStore } from './gitstore.js';

export interface RetryWriteOptions {
  message?: string;
  mode?: FileType | string;
  parents?: FS[];
  /** Attempts in total (default 5); values below 1 mean a single attempt. */
  retries?: number;
}

export async function retryWrite(store: GitStore, branch: string, path: string, data: Uint8Array, opts: RetryWriteOptions = {}): Promise<FS> {
  const attempts = Math.max(1, opts.retries ?? 5);
  const writeOpts = { message: opts.message, mode: opts.mode, parents: opts.parents };
  for (let attempt = 0; ; attempt++) {
    const snap = await store.branches.get(branch);
    try {
      return await snap.write(path, data, writeOpts);
    } catch (err) {
      if (!(err instanceof StaleSnapshotError) || attempt >= attempts - 1) throw err;
      const cap = Math.min(10 * 2 ** attempt, 200);
      await new Promise((r) => setTimeout(r, Math.random() * cap));
    }
  }
}
