import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withRepoLock } from '../../../src/core/lock.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vost-lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('withRepoLock', () => {
  it('serialises critical sections in one process and holds vost.lock while inside', async () => {
    const events: string[] = [];
    const section = (name: string) =>
      withRepoLock(dir, async () => {
        expect(existsSync(join(dir, 'vost.lock'))).toBe(true);
        events.push(`${name}:in`);
        await new Promise((r) => setTimeout(r, 20));
        events.push(`${name}:out`);
        return name;
      });
    expect(await Promise.all([section('a'), section('b'), section('c')])).toEqual(['a', 'b', 'c']);
    expect(events).toEqual(['a:in', 'a:out', 'b:in', 'b:out', 'c:in', 'c:out']);
    expect(existsSync(join(dir, 'vost.lock'))).toBe(false);
  });

  it('releases after an error', async () => {
    await expect(withRepoLock(dir, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await withRepoLock(dir, async () => 42)).toBe(42);
  });

  it('takes over a lock directory left by a crashed process once it is stale', async () => {
    const lock = join(dir, 'vost.lock');
    mkdirSync(lock);
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    expect(await withRepoLock(dir, async () => 'recovered')).toBe('recovered');
    expect(existsSync(lock)).toBe(false);
  });

  it('clears an old plain vost.lock file left by another vost port', async () => {
    const lock = join(dir, 'vost.lock');
    writeFileSync(lock, '');
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    expect(await withRepoLock(dir, async () => 'ok')).toBe('ok');
  });
});
