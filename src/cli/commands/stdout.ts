/**
 * Raw writes to stdout that respect back-pressure and end the process
 * quietly with exit 0 when the reader has gone away (`vost cat f | head -c1`).
 */

function isBrokenPipe(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === 'EPIPE';
}

/** Writes `data` to stdout and resolves once it may be written again. */
export function writeStdout(data: Uint8Array | string): Promise<void> {
  if (data.length === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const ok = process.stdout.write(data, (err) => {
      if (!err) return;
      if (isBrokenPipe(err)) process.exit(0);
      reject(err);
    });
    if (ok) resolve();
    else process.stdout.once('drain', resolve);
  });
}
