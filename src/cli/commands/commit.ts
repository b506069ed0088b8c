/**
 * Committing for the write commands: a stale snapshot (another process moved
 * the branch between our read and our ref update) becomes the spec's
 * `Branch modified concurrently — retry` error; nothing was committed.
 */
import { StaleSnapshotError } from '../../core/errors.js';
import { CliError } from '../errors.js';

export const CONCURRENT_MESSAGE = 'Branch modified concurrently — retry';

/** Runs a commit, mapping a stale snapshot to the CLI's concurrency error. */
export async function commitOrFail<T>(commit: () => Promise<T>): Promise<T> {
  try {
    return await commit();
  } catch (err) {
    if (err instanceof StaleSnapshotError) throw new CliError(CONCURRENT_MESSAGE, { code: 'STALE' });
    throw err;
  }
}
