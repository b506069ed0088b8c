import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { StaleSnapshotError } from '../../../src/core/errors.js';
import { WatchEngine } from '../../../src/transfer/watch/engine.js';
import { WatchReporter } from '../../../src/transfer/watch/report.js';
import { emptyOutcome, type Settler, type SyncOutcome, type SyncScope } from '../../../src/transfer/watch/types.js';

interface Call {
  paths: readonly string[] | 'all';
  hold: string[];
}

/** A syncer that records what it was asked and answers from a script. */
class FakeSyncer {
  calls: Call[] = [];
  answers: Array<(scope: SyncScope) => SyncOutcome> = [];
  async sync(scope: SyncScope): Promise<SyncOutcome> {
    this.calls.push({ paths: scope.paths, hold: [...scope.hold].sort() });
    const answer = this.answers.shift();
    if (answer) return answer(scope);
    const n = scope.paths === 'all' ? 0 : scope.paths.length;
    return { ...emptyOutcome(), add: n, commit: n ? 'abcdef1234567890' : null };
  }
}

function capture() {
  const out = new PassThrough();
  const err = new PassThrough();
  const text = { out: '', err: '' };
  out.on('data', (b) => (text.out += String(b)));
  err.on('data', (b) => (text.err += String(b)));
  return { out, err, text };
}

function setup(extra: { settler?: Settler; reconcileMs?: number; debounceMs?: number } = {}) {
  const syncer = new FakeSyncer();
  const io = capture();
  const reporter = new WatchReporter(io.out, io.err, false, () => new Date(2026, 0, 1, 9, 5, 7));
  const engine = new WatchEngine({
    syncer,
    reporter,
    debounceMs: extra.debounceMs ?? 60,
    reconcileMs: extra.reconcileMs ?? 0,
    settler: extra.settler,
  });
  return { syncer, engine, io };
}

async function until(cond: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('WatchEngine', () => {
  it('starts with one full sync and then groups a burst into one window', async () => {
    const { syncer, engine, io } = setup();
    await engine.start();
    expect(syncer.calls).toEqual([{ paths: 'all', hold: [] }]);
    engine.touch('a.txt');
    engine.touch('d/x');
    engine.touch('d');
    engine.touch('a.txt');
    await until(() => syncer.calls.length === 2);
    expect(syncer.calls[1]).toEqual({ paths: ['a.txt', 'd'], hold: [] });
    await engine.stop();
    expect(syncer.calls).toHaveLength(2);
    expect(io.text.out).toBe('[09:05:07] Sync: no changes\n[09:05:07] Sync: +2 (commit abcdef1)\n');
  });

  it('does nothing while nothing changes', async () => {
    const { syncer, engine } = setup({ debounceMs: 20 });
    await engine.start();
    await new Promise((r) => setTimeout(r, 100));
    await engine.stop();
    expect(syncer.calls).toHaveLength(1);
  });

  it('a window waits debounce from its first change, later changes make a second window', async () => {
    const { syncer, engine } = setup({ debounceMs: 150 });
    await engine.start();
    const t0 = Date.now();
    engine.touch('one');
    await until(() => syncer.calls.length === 2);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    engine.touch('two');
    await until(() => syncer.calls.length === 3);
    expect(syncer.calls.slice(1).map((c) => c.paths)).toEqual([['one'], ['two']]);
    await engine.stop();
  });

  it('holds unsettled paths back and syncs them once they settle', async () => {
    let busy = true;
    const settler: Settler = {
      observe: () => undefined,
      partition: async (paths) => ({
        settled: paths.filter((p) => !(busy && p === 'big.bin')),
        unsettled: paths.filter((p) => busy && p === 'big.bin'),
      }),
    };
    const { syncer, engine } = setup({ settler });
    await engine.start();
    engine.touch('big.bin');
    engine.touch('small.txt');
    await until(() => syncer.calls.length === 2);
    expect(syncer.calls[1]).toEqual({ paths: ['small.txt'], hold: ['big.bin'] });
    busy = false;
    await until(() => syncer.calls.length === 3);
    expect(syncer.calls[2]).toEqual({ paths: ['big.bin'], hold: [] });
    await engine.stop();
  });

  it('retries a stale snapshot with a fresh sync and never drops the window', async () => {
    const { syncer, engine, io } = setup();
    await engine.start();
    const stale = () => {
      throw new StaleSnapshotError("Branch 'main' has advanced since this snapshot");
    };
    syncer.answers.push(stale, stale);
    engine.touch('f');
    await until(() => syncer.calls.length === 4);
    expect(syncer.calls.slice(1).map((c) => c.paths)).toEqual([['f'], ['f'], ['f']]);
    await engine.stop();
    expect(io.text.err).toBe('');
    expect(io.text.out).toContain('Sync: +1 (commit abcdef1)');
  });

  it('parks a failed window until the next change, reporting one line', async () => {
    const { syncer, engine, io } = setup();
    await engine.start();
    syncer.answers.push(() => {
      throw new Error('disk on fire');
    });
    engine.touch('a');
    await until(() => syncer.calls.length === 2);
    await new Promise((r) => setTimeout(r, 150));
    expect(syncer.calls).toHaveLength(2);
    expect(io.text.err).toBe('ERROR: Sync failed: disk on fire\n');
    engine.touch('b');
    await until(() => syncer.calls.length === 3);
    expect(syncer.calls[2].paths).toEqual(['a', 'b']);
    await engine.stop();
  });

  it('reports an initial failure and keeps watching', async () => {
    const { syncer, engine, io } = setup();
    syncer.answers.push(() => {
      throw new Error('boom');
    });
    await engine.start();
    expect(io.text.err).toBe('ERROR: Initial sync failed: boom\n');
    engine.touch('x');
    await until(() => syncer.calls.length === 2);
    expect(syncer.calls[1].paths).toBe('all');
    await engine.stop();
  });

  it('stop() commits the pending window at once', async () => {
    const { syncer, engine } = setup({ debounceMs: 60_000 });
    await engine.start();
    engine.touch('late.txt');
    const t0 = Date.now();
    await engine.stop();
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(syncer.calls[1].paths).toEqual(['late.txt']);
  });

  it('reconciles periodically, silently when nothing changed', async () => {
    const { syncer, engine, io } = setup({ reconcileMs: 40 });
    await engine.start();
    await until(() => syncer.calls.length >= 3);
    await engine.stop();
    expect(syncer.calls.every((c) => c.paths === 'all')).toBe(true);
    expect(io.text.out).toBe('[09:05:07] Sync: no changes\n');
  });

  it('requestFull turns the next window into a full sync', async () => {
    const { syncer, engine } = setup();
    await engine.start();
    engine.touch('a');
    engine.requestFull();
    await until(() => syncer.calls.length === 2);
    expect(syncer.calls[1].paths).toBe('all');
    await engine.stop();
  });

  it('prints nothing for a window the syncer calls quiet (everything in it excluded)', async () => {
    const { syncer, engine, io } = setup();
    await engine.start();
    syncer.answers.push(() => ({ ...emptyOutcome(), quiet: true }));
    engine.touch('ignored.log');
    await until(() => syncer.calls.length === 2);
    await engine.stop();
    expect(io.text.out).toBe('[09:05:07] Sync: no changes\n');
  });

  it('stop() also runs a pending full pass', async () => {
    const { syncer, engine } = setup({ debounceMs: 5000 });
    await engine.start();
    engine.requestFull();
    await engine.stop();
    expect(syncer.calls.map((c) => c.paths)).toEqual(['all', 'all']);
  });

  it('says once when a file never settles', async () => {
    const settler: Settler = {
      observe: () => undefined,
      partition: async (paths) => ({ settled: [], unsettled: [...paths] }),
    };
    const { engine, io } = setup({ settler, debounceMs: 20 });
    await engine.start();
    engine.touch('growing.log');
    await until(() => io.text.err.length > 0);
    await new Promise((r) => setTimeout(r, 300));
    await engine.stop();
    expect(io.text.err).toBe('WARNING: growing.log: still being written, waiting for it to settle\nWARNING: growing.log: still being written, not committed\n');
  });
});
