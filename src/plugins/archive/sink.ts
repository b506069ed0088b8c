/** Writing to a Node stream with backpressure, failing fast if the stream broke. */
import type { Writable } from 'node:stream';

export function writeChunk(out: Writable, chunk: Uint8Array): Promise<void> {
  if (out.destroyed) return Promise.reject(out.errored ?? new Error('output stream closed'));
  if (out.write(chunk)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      out.off('drain', onDrain);
      out.off('error', onError);
      out.off('close', onClose);
    };
    const onDrain = (): void => { cleanup(); resolve(); };
    const onError = (e: Error): void => { cleanup(); reject(e); };
    const onClose = (): void => { cleanup(); reject(out.errored ?? new Error('output stream closed')); };
    out.on('drain', onDrain);
    out.on('error', onError);
    out.on('close', onClose);
  });
}
