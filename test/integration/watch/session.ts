import { PassThrough } from 'node:stream';
import { runWatch, type WatchOptions } from '../../../src/transfer/watch/index.js';

export interface Session {
  done: Promise<void>;
  stop: () => Promise<void>;
  out: () => string;
  err: () => string;
}

/** Run a watch session in this process, stopped through an AbortSignal instead of a real signal. */
export function startWatch(opts: Omit<WatchOptions, 'stdout' | 'stderr' | 'signal' | 'handleSignals'>): Session {
  const ac = new AbortController();
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (b) => (o += String(b)));
  err.on('data', (b) => (e += String(b)));
  const done = runWatch({ ...opts, stdout: out, stderr: err, signal: ac.signal, handleSignals: false });
  return {
    done,
    stop: async () => {
      ac.abort();
      await done;
    },
    out: () => o,
    err: () => e,
  };
}
