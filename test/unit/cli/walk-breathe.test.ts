import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitStore } from '../../../src/index.js';
import { walkMatching } from '../../../src/cli/snapshot.js';

const COMMITS = 12_000;

/** A packed history where only the newest and the oldest commit touch `x.txt`. */
function sparseHistory(gitdir: string): void {
  const lines: string[] = [];
  for (let c = 1; c <= COMMITS; c++) {
    const path = c === 1 || c === COMMITS ? 'x.txt' : 'y.txt';
    lines.push('commit refs/heads/main', `committer T <t@example.com> ${1700000000 + c} +0000`, 'data 1', 'm');
    lines.push(`M 100644 inline ${path}`, `data ${String(c).length}`, String(c), '');
  }
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
  for (const args of [['init', '-q', '--bare', '--initial-branch=main', gitdir], ['--git-dir', gitdir, 'fast-import', '--quiet']]) {
    const r = spawnSync('git', args, { env, input: `${lines.join('\n')}\n` });
    if (r.status !== 0) throw new Error(r.stderr.toString());
  }
}

describe('walkMatching over a long stretch without matches', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vost-breathe-'));
    sparseHistory(join(dir, 'repo.git'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lets timers run (pending output is flushed) while it searches', async () => {
    const store = await GitStore.open(join(dir, 'repo.git'), { create: false });
    const walk = walkMatching(await store.branches.get('main'), { path: 'x.txt' });
    const newest = await walk.next();
    expect(newest.done).toBe(false);
    let timerRan = false;
    setTimeout(() => {
      timerRan = true;
    }, 5);
    const started = performance.now();
    const oldest = await walk.next();
    const searched = performance.now() - started;
    expect(oldest.done).toBe(false);
    expect(await (oldest.value as { getMessage(): Promise<string> }).getMessage()).toBe('m');
    expect((await walk.next()).done).toBe(true);
    // A search shorter than the breathing interval proves nothing either way.
    if (searched > 150) expect(timerRan).toBe(true);
    expect(searched).toBeGreaterThan(0);
  }, 60_000);
});
