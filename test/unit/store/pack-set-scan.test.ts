import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PackSet } from '../../../src/core/store/pack-set.js';

let dir: string;
const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
const git = (args: string[], input?: string): string => execFileSync('git', args, { cwd: dir, env, input }).toString().trim();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vost-packscan-'));
  git(['init', '-q', '--bare', '.']);
  for (const s of ['a\n', 'b\n']) {
    const oid = git(['hash-object', '-w', '--stdin'], s);
    git(['pack-objects', '-q', 'objects/pack/pack'], `${oid}\n`);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('PackSet scanning', () => {
  it('concurrent list/rescan calls share one scan, so every caller sees the same PackFile objects', async () => {
    const set = new PackSet(join(dir, 'objects', 'pack'), async () => null);
    const [a, b, , c] = await Promise.all([set.list(), set.list(), set.rescan({ force: true }), set.list()]);
    expect(a).toHaveLength(2);
    for (const other of [b, c, await set.list()]) {
      expect(other).toHaveLength(2);
      other.forEach((p) => expect(a).toContain(p));
    }
    await set.close();
  });
});
