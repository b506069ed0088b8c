/**
 * What a read returns belongs to the caller: changing it must not change
 * what later reads return, even for objects rebuilt from deltas (which the
 * store caches as bases for other deltas).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitStore } from '../../../src/core/index.js';

let root: string;
let gitdir: string;
const versions = [1, 2, 3].map((v) => `${Array.from({ length: 2000 }, (_, i) => i).join('\n')}\nversion ${v}\n`);

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'vost-read-isolation-'));
  const work = join(root, 'work');
  gitdir = join(root, 'repo.git');
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@t', ...args], { cwd: work });
  execFileSync('git', ['init', '-q', '-b', 'main', work]);
  for (const text of versions) {
    writeFileSync(join(work, 'a.txt'), text);
    git('add', 'a.txt');
    git('commit', '-q', '-m', text.slice(-10));
  }
  git('clone', '-q', '--bare', work, gitdir);
  execFileSync('git', ['--git-dir', gitdir, 'gc', '-q', '--aggressive']);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('reads hand out their own bytes', () => {
  it('a caller changing a read buffer changes nothing for later reads, deltas included', async () => {
    const idx = readdirSync(join(gitdir, 'objects/pack')).find((f) => f.endsWith('.idx'))!;
    const deltas = execFileSync('git', ['verify-pack', '-v', join(gitdir, 'objects/pack', idx)], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => / blob /.test(l) && l.trim().split(/\s+/).length >= 7);
    expect(deltas.length).toBeGreaterThan(0);
    const store = await GitStore.open(gitdir, { create: false });
    const tip = await store.branches.get('main');
    for (const back of [0, 1, 2]) {
      const fs = back ? await tip.back(back) : tip;
      const first = await fs.read('a.txt');
      first.fill(0x41);
      expect(Buffer.from(await fs.read('a.txt')).toString('utf8')).toBe(versions[2 - back]);
    }
  });
});
