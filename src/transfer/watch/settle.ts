import { lstat } from 'node:fs/promises';
import * as path from 'node:path';
import type { SettleMode, Settler } from './types.js';

/** Identity of a file's content as far as stat can tell; null = absent. */
type Signature = string | null;

async function signature(absPath: string): Promise<Signature> {
  try {
    const st = await lstat(absPath, { bigint: true });
    if (st.isDirectory()) return 'dir';
    return `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
  } catch {
    return null;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Stability by stat: a path is settled when its last change event is at
 * least `quietMs` old (half a window) and its stat now equals the stat taken
 * after that event. A writer that is still appending keeps sending events or
 * changes size/mtime between the two looks, so its file waits for the next
 * window instead of being committed half-written. Directories and vanished
 * paths are always settled (their contents are separate paths; a deletion
 * is final).
 */
export class StatSettler implements Settler {
  private readonly seen = new Map<string, Promise<Signature>>();
  private readonly lastEvent = new Map<string, number>();

  constructor(
    private readonly root: string,
    private readonly quietMs: number,
  ) {}

  observe(relPath: string): void {
    this.lastEvent.set(relPath, Date.now());
    this.seen.set(relPath, signature(this.abs(relPath)));
  }

  async partition(relPaths: readonly string[], mode: SettleMode) {
    return mode === 'final' ? this.partitionFinal(relPaths) : this.partitionWindow(relPaths);
  }

  private async partitionWindow(relPaths: readonly string[]) {
    const settled: string[] = [];
    const unsettled: string[] = [];
    const t = Date.now();
    await Promise.all(
      relPaths.map(async (p) => {
        const eventAt = this.lastEvent.get(p);
        const before = await (this.seen.get(p) ?? Promise.resolve(undefined));
        const current = await signature(this.abs(p));
        const quiet = t - (eventAt ?? 0) >= this.quietMs;
        if (current === null || current === 'dir' || (quiet && before === current)) {
          settled.push(p);
          // A new event during this look starts a fresh observation; keep it.
          if (this.lastEvent.get(p) === eventAt) this.forget(p);
        } else {
          unsettled.push(p);
          this.seen.set(p, Promise.resolve(current));
        }
      }),
    );
    return { settled, unsettled };
  }

  /** On shutdown there is no next window: look twice, a short pause apart, for a bounded time. */
  private async partitionFinal(relPaths: readonly string[]) {
    const settled: string[] = [];
    let pending = [...relPaths];
    const pause = Math.max(50, Math.min(this.quietMs, 200));
    for (let round = 0; round < 10 && pending.length > 0; round++) {
      const first = await Promise.all(pending.map((p) => signature(this.abs(p))));
      await sleep(pause);
      const second = await Promise.all(pending.map((p) => signature(this.abs(p))));
      const next: string[] = [];
      pending.forEach((p, i) => {
        const s = second[i];
        if (s === null || s === 'dir' || s === first[i]) settled.push(p);
        else next.push(p);
      });
      pending = next;
    }
    for (const p of settled) this.forget(p);
    return { settled, unsettled: pending };
  }

  private forget(relPath: string): void {
    this.seen.delete(relPath);
    this.lastEvent.delete(relPath);
  }

  private abs(relPath: string): string {
    return relPath === '' ? this.root : path.join(this.root, relPath);
  }
}
