import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readdirSync, writeFileSync } from 'node:fs';
import { GitStore, StaleSnapshotError, type FS } from '../../../src/index.js';
import { PACK_COUNT_THRESHOLD } from '../../../src/core/batch.js';
import { fsck, git, gitInput, tempDir, type TempDir } from './helpers.js';

let tmp: TempDir;
let repoPath: string;

beforeEach(() => {
  tmp = tempDir();
  repoPath = join(tmp.path, 'repo.git');
});
afterEach(() => {
  delete process.env.VOST_AUTO_PACK;
  tmp.cleanup();
});

const looseCount = () => Number(/^count: (\d+)/m.exec(git(repoPath, 'count-objects', '-v'))?.[1]);
const packCount = () => readdirSync(join(repoPath, 'objects/pack')).filter((n) => n.endsWith('.pack')).length;

/** One commit big enough to get a pack of its own. */
async function bigBatch(fs: FS, tag: string): Promise<FS> {
  const batch = fs.batch();
  for (let i = 0; i <= PACK_COUNT_THRESHOLD; i++) await batch.writeText(`${tag}/f${i}.txt`, `${tag} ${i}`);
  return batch.commit();
}

async function expectFiles(fs: FS, tags: string[]): Promise<void> {
  for (const tag of tags) expect(await fs.readText(`${tag}/f7.txt`)).toBe(`${tag} 7`);
}

describe('automatic packing after commits', () => {
  it('merges packs past the limit, keeping unreachable objects, loose ones included', async () => {
    const store = await GitStore.open(repoPath, { autoPack: { packs: 2 } });
    const stray = gitInput(repoPath, 'never referenced', 'hash-object', '-w', '--stdin').trim();
    let fs = await bigBatch(await store.branches.get('main'), 'a');
    const stale = fs.batch();
    for (let i = 0; i <= PACK_COUNT_THRESHOLD; i++) await stale.writeText(`lost/f${i}.txt`, `lost ${i}`);
    fs = await bigBatch(fs, 'b');
    await expect(stale.commit()).rejects.toBeInstanceOf(StaleSnapshotError);
    expect(packCount()).toBe(3);
    fs = await bigBatch(fs, 'c');
    expect(packCount()).toBe(1);
    expect(looseCount()).toBe(0);
    expect(git(repoPath, 'cat-file', 'blob', stray)).toBe('never referenced');
    const lost = gitInput(repoPath, 'lost 3', 'hash-object', '--stdin').trim();
    expect(git(repoPath, 'cat-file', 'blob', lost)).toBe('lost 3');
    await expectFiles(fs, ['a', 'b', 'c']);
    fsck(repoPath);
  });

  it('packs loose objects past the limit', async () => {
    const store = await GitStore.open(repoPath, { autoPack: { looseObjects: 12 } });
    let fs = await store.branches.get('main');
    for (let i = 0; i < 6; i++) {
      fs = await fs.writeText(`d${i}/f.txt`, `v${i}`);
      expect(looseCount()).toBeLessThanOrEqual(12);
    }
    expect(packCount()).toBeGreaterThan(0);
    for (let i = 0; i < 6; i++) expect(await fs.readText(`d${i}/f.txt`)).toBe(`v${i}`);
    fsck(repoPath);
  });

  it('is off with autoPack: false or VOST_AUTO_PACK=0', async () => {
    const off = await GitStore.open(repoPath, { autoPack: false });
    let fs = await off.branches.get('main');
    for (let i = 0; i < 4; i++) fs = await fs.writeText(`f${i}.txt`, `v${i}`);
    expect(packCount()).toBe(0);
    process.env.VOST_AUTO_PACK = '0';
    const envOff = await GitStore.open(repoPath, { autoPack: { looseObjects: 1, packs: 0 } });
    fs = await (await envOff.branches.get('main')).writeText('g.txt', 'g');
    expect(packCount()).toBe(0);
    expect(looseCount()).toBeGreaterThan(10);
  });

  it("follows the repository's gc.auto and gc.autoPackLimit unless open() says otherwise", async () => {
    const store = await GitStore.open(repoPath);
    git(repoPath, 'config', 'gc.auto', '8');
    let fs = await store.branches.get('main');
    for (let i = 0; i < 3; i++) fs = await fs.writeText(`d${i}/f.txt`, `v${i}`);
    expect(packCount()).toBe(1);
    git(repoPath, 'config', 'gc.auto', '0');
    for (let i = 0; i < 3; i++) fs = await fs.writeText(`e${i}/f.txt`, `v${i}`);
    expect(packCount()).toBe(1);
    const explicit = await GitStore.open(repoPath, { autoPack: { looseObjects: 4 } });
    await (await explicit.branches.get('main')).writeText('x.txt', 'x');
    expect(looseCount()).toBe(0);
    git(repoPath, 'config', 'gc.auto', '100');
    git(repoPath, 'config', 'gc.autoPackLimit', '1');
    fs = await bigBatch(await store.branches.get('main'), 'a');
    expect(packCount()).toBe(1);
    fsck(repoPath);
  });

  it('merging packs made by git keeps their deltas and .keep packs', async () => {
    const work = join(tmp.path, 'work');
    git(tmp.path, 'init', '-q', '-b', 'main', work);
    const big = Array.from({ length: 400 }, (_, i) => `line ${i} of a file git will store as deltas`).join('\n');
    for (let i = 0; i < 3; i++) {
      writeFileSync(join(work, 'big.txt'), `${big}\nedit ${i}\n`);
      git(work, 'add', '.');
      git(work, 'commit', '-q', '-m', `c${i}`);
      git(work, 'repack', '-q');
    }
    git(tmp.path, 'clone', '-q', '--bare', '--no-local', work, repoPath);
    git(repoPath, 'repack', '-q', '-a', '-d', '-f');
    writeFileSync(join(work, 'big.txt'), `${big}\nedit 3\n`);
    git(work, 'commit', '-q', '-am', 'c3');
    git(work, 'push', '-q', repoPath, 'main');
    const packNames = () => readdirSync(join(repoPath, 'objects/pack')).filter((n) => n.endsWith('.pack'));
    const deltaPack = packNames()[0]!;
    git(repoPath, 'repack', '-q');
    const kept = packNames().find((n) => n !== deltaPack)!;
    writeFileSync(join(repoPath, 'objects/pack', kept.replace(/\.pack$/, '.keep')), '');
    const store = await GitStore.open(repoPath, { autoPack: { packs: 1 } });
    let fs = await bigBatch(await store.branches.get('main'), 'a');
    fs = await bigBatch(fs, 'b');
    const names = readdirSync(join(repoPath, 'objects/pack'));
    expect(names).toContain(kept);
    expect(names.filter((n) => n.endsWith('.pack'))).toHaveLength(2);
    const merged = names.find((n) => n.endsWith('.idx') && n !== kept.replace(/\.pack$/, '.idx'))!;
    expect(git(repoPath, 'verify-pack', '-v', join(repoPath, 'objects/pack', merged))).toMatch(/chain length = 1: \d+ object/);
    expect(await fs.readText('big.txt')).toBe(`${big}\nedit 3\n`);
    fsck(repoPath);
  });

  it('skips while another process holds the claim', async () => {
    const store = await GitStore.open(repoPath, { autoPack: { looseObjects: 1 } });
    writeFileSync(join(repoPath, 'vost-autopack.lock'), '');
    await (await store.branches.get('main')).writeText('f.txt', 'x');
    expect(packCount()).toBe(0);
  });

  it('a reader that listed the old packs still finds every object afterwards', async () => {
    const writer = await GitStore.open(repoPath, { autoPack: { packs: 2 } });
    let fs = await bigBatch(await writer.branches.get('main'), 'a');
    fs = await bigBatch(fs, 'b');
    const reader = await GitStore.open(repoPath, { autoPack: false });
    const before = await reader.branches.get('main');
    await expectFiles(before, ['a', 'b']);
    fs = await bigBatch(fs, 'c');
    expect(packCount()).toBe(1);
    const readerFs = await reader.fs(fs.commitHash);
    await expectFiles(readerFs, ['a', 'b', 'c']);
    expect(await before.readText('a/f9.txt')).toBe('a 9');
  });
});
