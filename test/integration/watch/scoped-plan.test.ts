import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitStore } from '../../../src/core/index.js';
import type { Endpoint } from '../../../src/plugins/contract.js';
import { DirEndpoint } from '../../../src/plugins/dir/endpoint.js';
import { RefEndpoint } from '../../../src/plugins/ref/endpoint.js';
import { applyScoped } from '../../../src/transfer/watch/apply.js';
import { planScoped, type PathRules, type PlanInput } from '../../../src/transfer/watch/scoped-plan.js';
import { blobId, tempDir, treeOf } from './helpers.js';

const NO_RULES: PathRules = { excluded: () => false, enterDir: async () => undefined, deletable: () => false };

/** A folder endpoint whose reads of some paths fail the way the OS would make them fail. */
function withTrouble(inner: DirEndpoint, trouble: Record<string, 'vanish' | 'deny'>): Endpoint {
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'read') {
        return async (p: string) => {
          if (trouble[p] === 'vanish') rmSync(join(target.root, p));
          if (trouble[p] === 'deny') throw Object.assign(new Error(`EACCES: permission denied, open '${p}'`), { code: 'EACCES' });
          return target.read(p);
        };
      }
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

describe('scoped plan and apply', () => {
  let tmp: ReturnType<typeof tempDir>;
  let repo: string;
  let local: string;
  let store: GitStore;

  beforeEach(async () => {
    tmp = tempDir('vost-watch-p-');
    repo = join(tmp.path, 'repo.git');
    local = join(tmp.path, 'src');
    mkdirSync(local);
    store = await GitStore.open(repo, { create: true, branch: 'main' });
    const tip = await store.branches.get('main');
    await tip.apply({ 'd/keep.txt': 'keep', 'd/old.txt': 'old', 'd/sub/deep.txt': 'deep', 'other.txt': 'other' });
  });
  afterEach(() => tmp.cleanup());

  async function input(source: Endpoint, prefixes: string[]): Promise<PlanInput> {
    const tip = await store.branches.get('main');
    return {
      source: { ep: source, base: '' },
      dest: { ep: new RefEndpoint(tip), base: 'd' },
      prefixes,
      hold: new Set(),
      rules: NO_RULES,
      checksum: false,
      display: (p) => `src/${p}`,
    };
  }

  it('touches only the reported paths', async () => {
    writeFileSync(join(local, 'keep.txt'), 'keep');
    writeFileSync(join(local, 'new.txt'), 'new');
    const inp = await input(new DirEndpoint(local), ['new.txt', 'old.txt', 'keep.txt']);
    const plan = await planScoped(inp);
    expect({ add: plan.add, update: plan.update, remove: plan.remove.map((e) => e.path) }).toEqual({ add: 1, update: 0, remove: ['old.txt'] });
    const commit = await applyScoped(plan, inp);
    expect(commit).toMatch(/^[0-9a-f]{40}$/);
    const tree = treeOf(repo);
    // d/sub was not reported, so it is left alone although it is absent locally.
    expect(Object.keys(tree).sort()).toEqual(['d/keep.txt', 'd/new.txt', 'd/sub/deep.txt', 'other.txt']);
  });

  it('a file vanishing mid-read is dropped from the commit and retried; denied reads are reported once', async () => {
    for (const f of ['a.txt', 'gone.txt', 'locked.txt']) writeFileSync(join(local, f), f);
    const source = withTrouble(new DirEndpoint(local), { 'gone.txt': 'vanish', 'locked.txt': 'deny' });
    const inp = await input(source, ['a.txt', 'gone.txt', 'locked.txt']);
    const plan = await planScoped(inp);
    expect(plan.add).toBe(3);
    const commit = await applyScoped(plan, inp);
    expect(commit).not.toBeNull();
    expect(plan.add).toBe(1);
    expect(plan.retry).toEqual(['gone.txt']);
    expect(plan.problems).toEqual([
      { level: 'warning', path: 'src/gone.txt', message: 'vanished while reading' },
      { level: 'warning', path: 'src/locked.txt', message: "EACCES: permission denied, open 'locked.txt'" },
    ]);
    expect(treeOf(repo)['d/a.txt']).toBe(blobId('a.txt'));
    expect(treeOf(repo)['d/gone.txt']).toBeUndefined();
  });

  it('held paths are left exactly as they are on the destination', async () => {
    writeFileSync(join(local, 'keep.txt'), 'changed');
    const inp = { ...(await input(new DirEndpoint(local), [''])), hold: new Set(['keep.txt']) };
    const plan = await planScoped(inp);
    expect(plan.put).toEqual([]);
    expect(plan.remove.map((e) => e.path).sort()).toEqual(['old.txt', 'sub/deep.txt']);
  });

  it('a file replacing a directory, and the reverse', async () => {
    writeFileSync(join(local, 'sub'), 'now a file');
    mkdirSync(join(local, 'keep.txt'));
    writeFileSync(join(local, 'keep.txt', 'inner'), 'inner');
    const inp = await input(new DirEndpoint(local), ['sub', 'keep.txt']);
    await applyScoped(await planScoped(inp), inp);
    const tree = treeOf(repo);
    expect(tree['d/sub']).toBe(blobId('now a file'));
    expect(tree['d/keep.txt/inner']).toBe(blobId('inner'));
    expect(tree['d/sub/deep.txt']).toBeUndefined();
  });
});
