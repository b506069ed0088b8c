import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRepository } from '../../../src/core/store/index.js';
import { gitMadeRepo } from './fixtures.js';
import { allObjects, catBatch, git, makeTmp } from './helpers.js';

function packs(gitdir: string, ext: string): string[] {
  const dir = join(gitdir, 'objects', 'pack');
  return readdirSync(dir)
    .filter((n) => n.endsWith(ext))
    .map((n) => join(dir, n));
}

describe('gc of a repository git packed with deltas', () => {
  const tmp = makeTmp();
  let gitdir: string;
  beforeAll(() => {
    gitdir = gitMadeRepo(tmp.dir, 'aggressive', 60);
    // Something unreachable, packed among the rest, for gc to drop.
    const orphan = git(gitdir, ['hash-object', '-w', '--stdin'], 'orphan\n');
    git(gitdir, ['pack-objects', '-q', 'objects/pack/pack'], `${orphan}\n`);
    git(gitdir, ['prune-packed']);
  });
  afterAll(() => tmp.cleanup());

  it('keeps deltas, drops the unreachable, and git agrees with every object', async () => {
    const before = allObjects(gitdir);
    const sizeBefore = packs(gitdir, '.pack').reduce((n, p) => n + statSync(p).size, 0);
    git(gitdir, ['commit-graph', 'write', '--reachable']);
    git(gitdir, ['multi-pack-index', 'write']);
    const roots = git(gitdir, ['for-each-ref', '--format=%(objectname)']).split('\n');
    const repo = await openRepository(gitdir);
    const count = await repo.objects.gc(roots);
    await repo.objects.close();
    expect(count).toBe(before.length - 1);
    const [pack] = packs(gitdir, '.pack');
    const [idx] = packs(gitdir, '.idx');
    expect(packs(gitdir, '.pack')).toHaveLength(1);
    expect(statSync(pack!).size).toBeLessThan(sizeBefore * 1.5);
    const verify = git(gitdir, ['verify-pack', '-v', idx!]);
    expect(verify).toMatch(/chain length = [2-9]/);
    git(gitdir, ['fsck', '--strict', '--no-dangling']);
    expect(git(gitdir, ['rev-list', '--count', 'main'])).toBe('60');
    const rebuilt = join(tmp.dir, 'rebuilt.idx');
    git(gitdir, ['index-pack', '-o', rebuilt, pack!]);
    expect(readFileSync(rebuilt).equals(readFileSync(idx!))).toBe(true);
    const after = allObjects(gitdir);
    expect(after).toHaveLength(before.length - 1);
    const want = catBatch(gitdir, after);
    const fresh = await openRepository(gitdir);
    for (const oid of after) expect((await fresh.objects.read(oid)).data.equals(want.get(oid)!.data)).toBe(true);
    await fresh.objects.close();
  });
});
