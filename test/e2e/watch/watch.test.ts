import { appendFileSync, chmodSync, chownSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitStore, retryWrite } from '../../../src/core/index.js';
import { BIN, blobId, commitCount, git, lastChanges, startVost, tempDir, treeOf, until, vost, type Watcher } from './helpers.js';

const SUMMARY = /^\[\d\d:\d\d:\d\d\] Sync: (no changes|(\+\d+ ?)?(~\d+ ?)?(-\d+)? \(commit [0-9a-f]{7}\))$/;

describe('vost sync --watch (disk → repo)', () => {
  let tmp: ReturnType<typeof tempDir>;
  let cwd: string;
  let repo: string;
  let w: Watcher | null = null;

  beforeEach(() => {
    tmp = tempDir('vost-e2e-watch-');
    cwd = tmp.path;
    repo = join(cwd, 'repo.git');
    mkdirSync(join(cwd, 'src'));
  });
  afterEach(async () => {
    await w?.stop('SIGKILL');
    w = null;
    tmp.cleanup();
  });

  const watch = (...extra: string[]) => startVost(cwd, ['-r', 'repo.git', 'sync', '--watch', '--debounce', '300', ...extra, 'src', ':data']);
  const started = (x: Watcher) =>
    until(() => x.out().includes('Sync:'), 30_000, 'initial sync').catch((e: Error) => {
      throw new Error(`${e.message}\nstdout: ${x.out()}\nstderr: ${x.err()}`);
    });

  it('commits creates, edits, renames and deletes, one commit per window, and stops cleanly on SIGTERM', async () => {
    writeFileSync(join(cwd, 'src', 'a.txt'), 'a1\n');
    // A long window, so that "one commit per window" holds on a loaded machine too.
    w = startVost(cwd, ['-r', 'repo.git', 'sync', '--watch', '--debounce', '1000', 'src', ':data']);
    await started(w);
    expect(w.out().split('\n')[0]).toBe('Watching src -> :data (debounce 1000ms)');
    expect(treeOf(repo)['data/a.txt']).toBe(blobId('a1\n'));
    const base = commitCount(repo);

    writeFileSync(join(cwd, 'src', 'a.txt'), 'a2\n');
    await until(() => lastChanges(repo).join() === 'M\tdata/a.txt', 15_000, 'single edit');

    mkdirSync(join(cwd, 'src', 'burst'));
    for (let i = 0; i < 20; i++) writeFileSync(join(cwd, 'src', 'burst', `${i}.txt`), `${i}\n`);
    await until(() => Object.keys(treeOf(repo)).length === 21, 15_000, 'burst');
    expect(commitCount(repo)).toBe(base + 2);
    expect(lastChanges(repo)).toHaveLength(20);

    renameSync(join(cwd, 'src', 'a.txt'), join(cwd, 'src', 'b.txt'));
    rmSync(join(cwd, 'src', 'burst', '0.txt'));
    await until(() => lastChanges(repo).join() === 'A\tdata/b.txt,D\tdata/a.txt,D\tdata/burst/0.txt', 15_000, 'rename + delete');
    expect(commitCount(repo)).toBe(base + 3);

    expect(await w.stop('SIGTERM')).toBe(0);
    expect(w.err()).toBe('');
    const lines = w.out().split('\n');
    expect(lines.slice(1, -3).every((l) => SUMMARY.test(l))).toBe(true);
    expect(w.out().endsWith('\n\nStopped watching.\n')).toBe(true);
    expect(w.out()).toMatch(/Sync: \+1 -2 \(commit [0-9a-f]{7}\)/);
    git(repo, 'fsck', '--strict');
  });

  it('SIGTERM in the middle of a window commits that window, then exits 0', async () => {
    w = startVost(cwd, ['-r', 'repo.git', 'sync', '--watch', '--debounce', '10000', 'src', ':data']);
    await started(w);
    const before = commitCount(repo);
    writeFileSync(join(cwd, 'src', 'late.txt'), 'late\n');
    await new Promise((r) => setTimeout(r, 300));
    expect(commitCount(repo)).toBe(before);
    expect(await w.stop('SIGTERM')).toBe(0);
    expect(treeOf(repo)['data/late.txt']).toBe(blobId('late\n'));
    expect(commitCount(repo)).toBe(before + 1);
  });

  it('SIGINT works the same; -q silences the summaries', async () => {
    w = watch('-q');
    await until(() => existsSync(join(repo, 'refs', 'heads', 'main')), 30_000, 'repo created');
    writeFileSync(join(cwd, 'src', 'x.txt'), 'x');
    await until(() => treeOf(repo)['data/x.txt'], 15_000, 'x committed');
    expect(await w.stop('SIGINT')).toBe(0);
    expect(w.out()).toBe('');
  });

  it('--exclude, --exclude-from and --gitignore reach the watcher', async () => {
    writeFileSync(join(cwd, 'ex.txt'), '# comment\n*.bak\n');
    w = watch('--exclude', 'cache/', '--exclude-from', 'ex.txt', '--gitignore');
    await started(w);
    mkdirSync(join(cwd, 'src', 'cache'));
    writeFileSync(join(cwd, 'src', 'cache', 'c.txt'), 'c');
    writeFileSync(join(cwd, 'src', 'a.bak'), 'b');
    writeFileSync(join(cwd, 'src', '.gitignore'), '*.log\n');
    writeFileSync(join(cwd, 'src', 'x.log'), 'l');
    writeFileSync(join(cwd, 'src', 'kept.txt'), 'k');
    await until(() => treeOf(repo)['data/kept.txt'], 15_000, 'kept');
    expect(await w.stop()).toBe(0);
    expect(Object.keys(treeOf(repo))).toEqual(['data/kept.txt']);
  });

  it('a branch moved by another process: both histories survive', async () => {
    w = watch();
    await started(w);
    // This test process is the other writer, racing the watcher for the branch.
    const other = await GitStore.open(repo, { create: false });
    for (let i = 0; i < 3; i++) {
      writeFileSync(join(cwd, 'src', `mine${i}.txt`), `${i}`);
      await retryWrite(other, 'main', `theirs/t${i}.txt`, new TextEncoder().encode(`${i}`), { retries: 50 });
      await new Promise((r) => setTimeout(r, 150));
    }
    expect(vost(cwd, ['-r', 'repo.git', 'write', ':theirs/cli.txt'], 'cli').code).toBe(0);
    await until(() => ['mine0', 'mine1', 'mine2'].every((m) => treeOf(repo)[`data/${m}.txt`]), 15_000, 'mine');
    expect(await w.stop()).toBe(0);
    const tree = treeOf(repo);
    for (let i = 0; i < 3; i++) expect(tree[`theirs/t${i}.txt`]).toBe(blobId(`${i}`));
    expect(tree['theirs/cli.txt']).toBe(blobId('cli'));
    expect(w.err()).not.toMatch(/ERROR/);
    git(repo, 'fsck', '--strict');
  });

  it('files that vanish right after appearing leave no trace and no error', async () => {
    w = watch();
    await started(w);
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 20; i++) writeFileSync(join(cwd, 'src', `tmp${i}`), 'x'.repeat(1000));
      for (let i = 0; i < 20; i++) rmSync(join(cwd, 'src', `tmp${i}`));
    }
    writeFileSync(join(cwd, 'src', 'marker'), 'm');
    await until(() => treeOf(repo)['data/marker'], 15_000, 'marker');
    expect(await w.stop()).toBe(0);
    expect(Object.keys(treeOf(repo))).toEqual(['data/marker']);
    expect(w.err()).not.toMatch(/ERROR/);
  });

  it('the watched folder deleted and recreated: one warning, then watching resumes', async () => {
    writeFileSync(join(cwd, 'src', 'old.txt'), 'old');
    w = watch();
    await started(w);
    rmSync(join(cwd, 'src'), { recursive: true });
    await until(() => /disappeared|missing/.test(w!.err()), 15_000, 'warning');
    mkdirSync(join(cwd, 'src'));
    writeFileSync(join(cwd, 'src', 'new.txt'), 'new');
    await until(() => treeOf(repo)['data/new.txt'] && !treeOf(repo)['data/old.txt'], 15_000, 'resynced');
    appendFileSync(join(cwd, 'src', 'new.txt'), '+');
    await until(() => treeOf(repo)['data/new.txt'] === blobId('new+'), 15_000, 'edit after recreate');
    expect(await w.stop()).toBe(0);
    expect(w.err().trim().split('\n').every((l) => l.startsWith('WARNING: '))).toBe(true);
  });

  // As root the watcher runs as nobody, so the checkout must be reachable by nobody (not under a 0700 home).
  const nobodyRuns = process.getuid?.() !== 0 || spawnSync(process.execPath, [BIN, '--version'], { uid: 65534, gid: 65534 }).status === 0;
  it.skipIf(!nobodyRuns)('an unreadable file is a one-line warning; the rest keeps syncing', async () => {
    // Root reads everything, so as root the watcher runs as nobody to meet a real EACCES.
    const asRoot = process.getuid?.() === 0;
    const nobody = { uid: 65534, gid: 65534 };
    const own = (p: string) => asRoot && chownSync(p, nobody.uid, nobody.gid);
    own(cwd);
    own(join(cwd, 'src'));
    w = startVost(cwd, ['-r', 'repo.git', 'sync', '--watch', '--debounce', '300', 'src', ':data'], asRoot ? { ...nobody, home: cwd } : {});
    await started(w);
    const secret = join(cwd, 'src', 'secret.txt');
    writeFileSync(secret, 'secret');
    own(secret);
    chmodSync(secret, 0o000);
    writeFileSync(join(cwd, 'src', 'open.txt'), 'open');
    own(join(cwd, 'src', 'open.txt'));
    await until(() => treeOf(repo)['data/open.txt'], 15_000, 'open committed');
    await until(() => w!.err().includes('secret.txt'), 15_000, 'warning');
    writeFileSync(join(cwd, 'src', 'later.txt'), 'later');
    await until(() => treeOf(repo)['data/later.txt'], 15_000, 'still watching');
    expect(await w.stop()).toBe(0);
    expect(treeOf(repo)['data/secret.txt']).toBeUndefined();
    const warnings = w.err().trim().split('\n');
    expect(warnings.filter((l) => l.includes('secret.txt'))).toHaveLength(1);
    expect(warnings.every((l) => l.startsWith('WARNING: ')), w.err()).toBe(true);
  });
});

describe('vost sync --watch :data ./site (repo → disk)', () => {
  let tmp: ReturnType<typeof tempDir>;
  let w: Watcher | null = null;
  beforeEach(() => {
    tmp = tempDir('vost-e2e-follow-');
  });
  afterEach(async () => {
    await w?.stop('SIGKILL');
    w = null;
    tmp.cleanup();
  });

  it('keeps the folder identical to the branch as it moves', async () => {
    const cwd = tmp.path;
    const store = await GitStore.open(join(cwd, 'repo.git'), { create: true, branch: 'main' });
    const enc = (t: string) => new TextEncoder().encode(t);
    await (await store.branches.get('main')).write('data/index.html', enc('<h1>1</h1>'));
    w = startVost(cwd, ['-r', 'repo.git', 'sync', '--watch', '--debounce', '200', ':data', './site']);
    await until(() => existsSync(join(cwd, 'site', 'index.html')), 30_000, 'initial checkout').catch((e) => { throw new Error(`${e.message}\n${w!.out()}\n${w!.err()}`); });
    expect(w.out().split('\n')[0]).toBe('Watching :data -> ./site (debounce 200ms)');

    // Another process (this one) moves the branch.
    await (await store.branches.get('main')).write('data/sub/page.html', enc('page'));
    await until(() => existsSync(join(cwd, 'site', 'sub', 'page.html')), 15_000, 'new file');
    await (await store.branches.get('main')).write('data/index.html', enc('<h1>2</h1>'));
    await until(() => readFileSync(join(cwd, 'site', 'index.html'), 'utf8') === '<h1>2</h1>', 15_000, 'update');
    await (await store.branches.get('main')).remove('data/sub/page.html');
    await until(() => !existsSync(join(cwd, 'site', 'sub')), 15_000, 'delete and prune');
    // The CLI as the writer, too.
    expect(vost(cwd, ['-r', 'repo.git', 'write', ':data/cli.txt'], 'cli').code).toBe(0);
    await until(() => existsSync(join(cwd, 'site', 'cli.txt')), 15_000, 'cli write');

    expect(await w.stop()).toBe(0);
    expect(w.err()).toBe('');
    expect(w.out()).toMatch(/Sync: \+1 \(commit [0-9a-f]{7}\)/);
    expect(w.out()).toMatch(/Sync: ~1 \(commit [0-9a-f]{7}\)/);
  });
});
