/**
 * The progress bar of long transfers: files, bytes and rate on one stderr
 * line, redrawn at most 10 times a second, shown only when stderr is a
 * terminal and the work has run for over a second; silent otherwise.
 */
import type { ProgressEvent, ProgressListener } from '../../transfer/types.js';

const SHOW_AFTER_MS = 1000;
const REDRAW_MS = 100;

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} ${units[u]}` : `${v.toFixed(1)} ${units[u]}`;
}

/** One progress line (no terminal control characters). */
export function progressLine(e: ProgressEvent, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? (e.bytesDone * 1000) / elapsedMs : 0;
  const pct = e.filesTotal > 0 ? Math.floor((e.filesDone * 100) / e.filesTotal) : 100;
  const width = 20;
  const filled = Math.round((pct / 100) * width);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
  const phase = e.phase === 'commit' ? ' committing…' : '';
  // Repo listings do not know sizes up front, so the byte total may lag behind.
  const bytes = e.bytesTotal >= e.bytesDone && e.bytesTotal > 0 ? `${formatBytes(e.bytesDone)}/${formatBytes(e.bytesTotal)}` : formatBytes(e.bytesDone);
  return `${bar} ${pct}% ${e.filesDone}/${e.filesTotal} files, ${bytes}, ${formatBytes(rate)}/s${phase}`;
}

export interface ProgressBar {
  listener: ProgressListener;
  /** Clears the line if one was drawn. */
  stop(): void;
}

export function progressBar(stream: NodeJS.WriteStream, enabled: boolean): ProgressBar {
  if (!enabled || !stream.isTTY) return { listener: () => undefined, stop: () => undefined };
  const start = Date.now();
  let last = 0;
  let drawn = false;
  return {
    listener: (e) => {
      const now = Date.now();
      if (now - start < SHOW_AFTER_MS || (now - last < REDRAW_MS && e.phase === 'apply')) return;
      last = now;
      drawn = true;
      stream.write(`\r\x1b[2K${progressLine(e, now - start)}`);
    },
    stop: () => {
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
}
