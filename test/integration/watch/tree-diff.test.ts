import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitStore } from '../../../src/core/index.js';
import { changedPaths } from '../../../src/transfer/watch/tree-diff.js';
import { tempDir } from './helpers.js';

describe('changedPaths', () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: GitStore;
  beforeEach(async () => {
    tmp = tempDir('vost-watch-diff-');
    store = await GitStore.open(join(tmp.path, 'r.git'), { create: true, branch: 'main' });
  });
  afterEach(() => tmp.cleanup());

  it('reports only what changed under the base, descending only into changed subtrees', async () => {
    const a = await (await store.branches.get('main')).apply({
      'site/a.txt': 'a', 'site/same/x.txt': 'x', 'site/dir/y.txt': 'y', 'site/gone/z.txt': 'z', 'other/o.txt': 'o',
    });
    const b = await a.apply(
      { 'site/a.txt': 'a2', 'site/dir/new.txt': 'n', 'site/gone': 'now a file', 'other/o.txt': 'o2', 'site/link': { target: 'a.txt' } },
      ['site/gone/z.txt'],
    );
    expect((await changedPaths(a, b, 'site')).sort()).toEqual(['a.txt', 'dir/new.txt', 'gone', 'link']);
    expect(await changedPaths(a, a, 'site')).toEqual([]);
    expect(await changedPaths(a, b, 'missing')).toEqual(['']);
    expect((await changedPaths(a, b, '')).sort()).toEqual(['other/o.txt', 'site/a.txt', 'site/dir/new.txt', 'site/gone', 'site/link']);
  });
});
