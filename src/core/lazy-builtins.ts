/**
 * Node built-ins that only some operations need and that are costly to load
 * (worker_threads brings streams and messaging with it): each is loaded on
 * first use, synchronously, so that `import 'vost'` and the start of every
 * command stay cheap and callers' constructors can stay synchronous.
 */
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

/** node:worker_threads, loaded on first call. */
export function workerThreads(): typeof import('node:worker_threads') {
  return load('node:worker_threads') as typeof import('node:worker_threads');
}
