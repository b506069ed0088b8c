import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitStore, retryWrite } from '../../../src/core/index.js';
import { blobId, commitCount, git, tempDir, treeOf, until } from './helpers.js';
import { startWatch } from './session.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('runWatch keeps going through trouble', () => {
  let tmp: ReturnType<typeof tempDir>;
  let repo: string;
  let local: string;

  beforeEach(async () => {
    tmp = tempDir('vost-watch-t-');
    repo = join(tmp.path, 'repo.git');
    local = join(tmp.path, 'src');
    mkdirSync(local);
    await GitStore.open(repo, { create: true, branch: 'main' });
  });
  afterEach(() => tmp.cleanup());

  it('never commits a file while it is still being written', async () => {
    const s = startWatch({ repo, branch: 'main', direction: 'in', local, repoPath: '', debounceMs: 200 });
    await until(() => s.out().includes('Sync:'), 15_000, 'initial sync');
    const file = join(local, 'slow.log');
    let content = '';
    for (let i = 0; i < 50; i++) {
      const chunk = `line ${i} ${'x'.repeat(200)}\n`;
      appendFileSync(file, chunk);
      content += chunk;
      await sleep(15);
    }
    await until(() => treeOf(repo)['slow.log'] === blobId(content), 15_000, 'final content');
    await s.stop();
    const commits = git(repo, 'rev-list', 'main').split('\n').filter(Boolean);
    for (const c of commits) {
      const blob = treeOf(repo, c)['slow.log'];
      if (blob) expect(blob).toBe(blobId(content));
    }
  });

  it('builds on commits another process made meanwhile, losing none', async () => {
    const s = startWatch({ repo, branch: 'main', direction: 'in', local, repoPath: 'mine', debounceMs: 120 });
    await until(() => s.out().includes('Sync:'), 15_000, 'initial sync');
    const other = await GitStore.open(repo, { create: false });
    for (let i = 0; i < 5; i++) {
      writeFileSync(join(local, `f${i}.txt`), `${i}\n`);
      await retryWrite(other, 'main', `theirs/t${i}.txt`, new TextEncoder().encode(`${i}\n`), { retries: 50 });
      await sleep(60);
    }
    await until(() => Object.keys(treeOf(repo)).filter((p) => p.startsWith('mine/')).length === 5, 15_000, 'all mine');
    await s.stop();
    const tree = treeOf(repo);
    for (let i = 0; i < 5; i++) expect(tree[`theirs/t${i}.txt`]).toBe(blobId(`${i}\n`));
    expect(s.err()).not.toMatch(/ERROR/);
    git(repo, 'fsck', '--strict');
  });

  it('waits while the folder is gone, resyncs when it comes back', async () => {
    writeFileSync(join(local, 'old.txt'), 'old\n');
    const s = startWatch({ repo, branch: 'main', direction: 'in', local, repoPath: '', debounceMs: 120 });
    await until(() => treeOf(repo)['old.txt'], 15_000, 'initial sync');
    const before = commitCount(repo);
    rmSync(local, { recursive: true });
    await until(() => /disappeared|missing/.test(s.err()), 15_000, 'disappearance noticed');
    expect(commitCount(repo)).toBeLessThanOrEqual(before + 1);
    mkdirSync(local);
    writeFileSync(join(local, 'new.txt'), 'new\n');
    await until(() => {
      const t = treeOf(repo);
      return t['new.txt'] && !t['old.txt'];
    }, 15_000, 'resync after recreate');
    writeFileSync(join(local, 'later.txt'), 'later\n');
    await until(() => treeOf(repo)['later.txt'], 15_000, 'watching the new folder');
    await s.stop();
    expect(s.err().trim().split('\n').every((l) => l.startsWith('WARNING: '))).toBe(true);
  });

  it('honours --exclude and .gitignore files created while watching, keeping ignored repo files', async () => {
    const store = await GitStore.open(repo, { create: false });
    await (await store.branches.get('main')).apply({ 'keep.tmp': 'repo only\n', 'sub/.gitignore': 'old rules\n' });
    const s = startWatch({ repo, branch: 'main', direction: 'in', local, repoPath: '', debounceMs: 120, exclude: ['*.tmp'], gitignore: true });
    await until(() => s.out().includes('Sync:'), 15_000, 'initial sync');
    writeFileSync(join(local, 'a.tmp'), 'x');
    writeFileSync(join(local, 'build.out'), 'x');
    writeFileSync(join(local, 'ok.txt'), 'ok');
    await until(() => treeOf(repo)['build.out'], 15_000, 'first window');
    writeFileSync(join(local, '.gitignore'), '*.out\n');
    mkdirSync(join(local, 'sub'));
    writeFileSync(join(local, 'sub', 'x.out'), 'ignored');
    writeFileSync(join(local, 'sub', 'y.txt'), 'kept');
    await until(() => treeOf(repo)['sub/y.txt'], 15_000, 'sub');
    await s.stop();
    const tree = treeOf(repo);
    expect(tree['keep.tmp']).toBe(blobId('repo only\n'));
    expect(tree['a.tmp']).toBeUndefined();
    expect(tree['sub/x.out']).toBeUndefined();
    // .gitignore files are not copied, and one already in the repo goes (cli.md §10.3).
    expect(tree['.gitignore']).toBeUndefined();
    expect(tree['sub/.gitignore']).toBeUndefined();
    expect(tree['ok.txt']).toBe(blobId('ok'));
    // Ignored now, but already in the repo: preserved, as cli.md §10.3 recommends.
    expect(tree['build.out']).toBe(blobId('x'));
    expect(readFileSync(join(local, 'build.out'), 'utf8')).toBe('x');
  });

  it('a repository inside the watched folder is neither copied nor fed back into itself', async () => {
    const inner = join(local, '.store.git');
    await GitStore.open(inner, { create: true, branch: 'main' });
    writeFileSync(join(local, 'a.txt'), 'a');
    const s = startWatch({ repo: inner, branch: 'main', direction: 'in', local, repoPath: '', debounceMs: 120 });
    await until(() => treeOf(inner)['a.txt'], 15_000, 'initial sync');
    writeFileSync(join(local, 'b.txt'), 'b');
    await until(() => treeOf(inner)['b.txt'], 15_000, 'b');
    const settled = commitCount(inner);
    await sleep(600);
    await s.stop();
    expect(commitCount(inner)).toBe(settled);
    expect(Object.keys(treeOf(inner)).sort()).toEqual(['a.txt', 'b.txt']);
  });

  it('a deleted folder takes its .gitignore along: its ignored files leave the repo too', async () => {
    mkdirSync(join(local, 'sub'));
    writeFileSync(join(local, 'sub', '.gitignore'), '*.x\n');
    writeFileSync(join(local, 'sub', 'keep.txt'), 'k');
    const store = await GitStore.open(repo, { create: false });
    await (await store.branches.get('main')).apply({ 'sub/old.x': 'ignored, in repo' });
    const s = startWatch({ repo, branch: 'main', direction: 'in', local, repoPath: '', debounceMs: 120, gitignore: true });
    await until(() => treeOf(repo)['sub/keep.txt'], 15_000, 'initial sync');
    expect(treeOf(repo)['sub/old.x']).toBeDefined();
    rmSync(join(local, 'sub'), { recursive: true });
    await until(() => Object.keys(treeOf(repo)).length === 0, 15_000, 'sub gone');
    await s.stop();
  });
});
