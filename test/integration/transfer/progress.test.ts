/** The progress bar: its line format, and that it stays silent off a terminal or before a second has passed. */
import { describe, expect, it } from 'vitest';
import { formatBytes, progressBar, progressLine } from '../../../src/cli/transfer/progress.js';

function fakeStream(isTTY: boolean): NodeJS.WriteStream & { text: string } {
  const s = { isTTY, text: '', write(chunk: string) { s.text += chunk; return true; } };
  return s as unknown as NodeJS.WriteStream & { text: string };
}

describe('progress', () => {
  it('formats files, bytes and rate', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3.0 MiB');
    const line = progressLine({ phase: 'apply', filesDone: 5, filesTotal: 10, bytesDone: 2048, bytesTotal: 4096 }, 2000);
    expect(line).toBe('[##########----------] 50% 5/10 files, 2.0 KiB/4.0 KiB, 1.0 KiB/s');
    expect(progressLine({ phase: 'commit', filesDone: 3, filesTotal: 3, bytesDone: 100, bytesTotal: 0 }, 1000)).toContain('100 B, 100 B/s committing…');
  });

  it('draws nothing when stderr is not a terminal, when disabled (-q) or during the first second', () => {
    const e = { phase: 'apply' as const, filesDone: 1, filesTotal: 2, bytesDone: 1, bytesTotal: 2 };
    for (const [tty, enabled] of [[false, true], [true, false]] as const) {
      const s = fakeStream(tty);
      const bar = progressBar(s, enabled);
      bar.listener(e);
      bar.stop();
      expect(s.text).toBe('');
    }
    const s = fakeStream(true);
    const bar = progressBar(s, true);
    bar.listener(e);
    expect(s.text).toBe('');
  });
});
