import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitFixture, removeDir, tempDir, vost } from './helpers.js';

/**
 * `log` gathers lines into large writes; a walk that fails part-way must
 * still have printed every commit it read before the failure.
 */
describe('log output before an error', () => {
  let dir: string;
  let gitdir: string;
  const ids: string[] = [];
  beforeAll(() => {
    dir = tempDir();
    const fx = new GitFixture(dir);
    for (let i = 1; i <= 6; i++) ids.push(fx.commit({ 'n.txt': String(i) }, `commit ${i}`));
    gitdir = join(fx.work, '.git');
    // Commit 3 goes missing: the walk from 6 reads 6, 5, 4, then fails.
    rmSync(join(gitdir, 'objects', ids[2]!.slice(0, 2), ids[2]!.slice(2)));
  });
  afterAll(() => removeDir(dir));

  for (const format of ['text', 'jsonl']) {
    it(`prints the commits read before the failure (${format})`, async () => {
      const r = await vost(gitdir, ['log', '--format', format]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(ids[2]!.slice(0, 7));
      const printed = r.stdout.split('\n').filter(Boolean);
      expect(printed).toHaveLength(3);
      [6, 5, 4].forEach((n, i) => expect(printed[i]).toContain(`commit ${n}`));
    });
  }
});
