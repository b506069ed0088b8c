import { chmodSync, mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitStore } from '../../../src/core/index.js';
import { blobId, commitCount, git, lastChanges, tempDir, treeOf, until } from './helpers.js';
import { startWatch as start } from './session.js';

describe('runWatch (in process)', () => {
  let tmp: ReturnType<typeof tempDir>;
  let repo: string;
  let local: string;

  beforeEach(async () => {
    tmp = tempDir('vost-watch-');
    repo = join(tmp.path, 'repo.git');
    local = join(tmp.path, 'src');
    mkdirSync(local);
    await GitStore.open(repo, { create: true, branch: 'main' });
  });
  afterEach(() => tmp.cleanup());

  it('initial sync, then one commit per window; renames and deletes follow', async () => {
    writeFileSync(join(local, 'a.txt'), 'alpha\n');
    // A generous window: chokidar delays unlink events ~100 ms to spot atomic saves.
    const s = start({ repo, branch: 'main', direction: 'in', local, repoPath: 'data', debounceMs: 800 });
    await until(() => treeOf(repo)['data/a.txt'] === blobId('alpha\n'), 15_000, 'initial sync');
    expect(commitCount(repo)).toBe(2);

    mkdirSync(join(local, 'sub'));
    for (let i = 0; i < 5; i++) writeFileSync(join(local, 'sub', `f${i}.txt`), `f${i}\n`);
    await until(() => Object.keys(treeOf(repo)).length === 6, 15_000, 'burst');
    expect(commitCount(repo)).toBe(3);

    renameSync(join(local, 'a.txt'), join(local, 'b.txt'));
    rmSync(join(local, 'sub', 'f0.txt'));
    await until(() => lastChanges(repo).join(',') === 'A\tdata/b.txt,D\tdata/a.txt,D\tdata/sub/f0.txt', 15_000, 'rename');

    await s.stop();
    expect(s.err()).toBe('');
    const lines = s.out().split('\n');
    expect(lines[0]).toBe(`Watching ${local} -> :data (debounce 800ms)`);
    expect(lines.filter((l) => /^\[\d\d:\d\d:\d\d\] Sync: /.test(l)).length).toBeGreaterThanOrEqual(3);
    expect(s.out()).toMatch(/Sync: \+1 -2 \(commit [0-9a-f]{7}\)/);
    expect(s.out().endsWith('\nStopped watching.\n')).toBe(true);
    git(repo, 'fsck', '--strict');
  });

  it('follows the branch repo → disk', async () => {
    const store = await GitStore.open(repo, { create: false });
    const fs0 = await store.branches.get('main');
    await fs0.write('site/index.html', new TextEncoder().encode('<h1>1</h1>'));
    const s = start({ repo, branch: 'main', direction: 'out', local, repoPath: 'site', debounceMs: 150 });
    const { readFileSync, existsSync } = await import('node:fs');
    await until(() => existsSync(join(local, 'index.html')), 15_000, 'initial checkout');
    const tip = await store.branches.get('main');
    await tip.apply({ 'site/about.html': 'about', 'site/index.html': '<h1>2</h1>' });
    await until(() => existsSync(join(local, 'about.html')) && readFileSync(join(local, 'index.html'), 'utf8') === '<h1>2</h1>', 15_000, 'follow');
    const t2 = await store.branches.get('main');
    await t2.remove('site/about.html');
    await until(() => !existsSync(join(local, 'about.html')), 15_000, 'delete followed');
    await s.stop();
    expect(s.err()).toBe('');
    expect(s.out()).toMatch(/Sync: \+1 ~1 \(commit [0-9a-f]{7}\)/);
  });

  it('renders -m templates per window from what the window changed', async () => {
    writeFileSync(join(local, 'a.txt'), 'a');
    const s = start({ repo, branch: 'main', direction: 'in', local, repoPath: 'd', debounceMs: 150, message: 'watch {op}: {default} {add_count}/{update_count}/{delete_count}' });
    await until(() => treeOf(repo)['d/a.txt'], 15_000, 'initial sync');
    expect(git(repo, 'log', '-1', '--format=%s').trim()).toBe('watch sync: + d/a.txt 1/0/0');
    writeFileSync(join(local, 'a.txt'), 'a2');
    writeFileSync(join(local, 'b.txt'), 'b');
    await until(() => treeOf(repo)['d/b.txt'], 15_000, 'window');
    await s.stop();
    expect(git(repo, 'log', '-1', '--format=%s').trim()).toBe('watch sync: Batch sync: +1 ~1 1/1/0');
  });

  it('follows chmod +x, symlinks and directory renames', async () => {
    mkdirSync(join(local, 'dir'));
    writeFileSync(join(local, 'dir', 'run.sh'), 'echo hi\n');
    const s = start({ repo, branch: 'main', direction: 'in', local, repoPath: '', debounceMs: 150 });
    await until(() => treeOf(repo)['dir/run.sh'], 15_000, 'initial sync');
    const mode = (p: string) => git(repo, 'ls-tree', 'main', p).split(' ')[0];
    chmodSync(join(local, 'dir', 'run.sh'), 0o755);
    await until(() => mode('dir/run.sh') === '100755', 15_000, 'exec bit');
    symlinkSync('dir/run.sh', join(local, 'link'));
    await until(() => mode('link') === '120000', 15_000, 'symlink');
    renameSync(join(local, 'dir'), join(local, 'moved'));
    await until(() => treeOf(repo)['moved/run.sh'] && !treeOf(repo)['dir/run.sh'], 15_000, 'dir rename');
    await s.stop();
    expect(mode('moved/run.sh')).toBe('100755');
    expect(git(repo, 'cat-file', 'blob', 'main:link')).toBe('dir/run.sh');
    expect(s.err()).toBe('');
  });

  it('repo → disk: the periodic reconcile repairs local drift', async () => {
    const store = await GitStore.open(repo, { create: false });
    await (await store.branches.get('main')).apply({ 'site/a.txt': 'a', 'site/b.txt': 'b' });
    const s = start({ repo, branch: 'main', direction: 'out', local, repoPath: 'site', debounceMs: 100, reconcileSeconds: 1 });
    const { existsSync, readFileSync } = await import('node:fs');
    await until(() => existsSync(join(local, 'b.txt')), 15_000, 'checkout');
    rmSync(join(local, 'a.txt'));
    writeFileSync(join(local, 'b.txt'), 'tampered');
    writeFileSync(join(local, 'stray.txt'), 'stray');
    await until(
      () => existsSync(join(local, 'a.txt')) && readFileSync(join(local, 'b.txt'), 'utf8') === 'b' && !existsSync(join(local, 'stray.txt')),
      15_000,
      'reconciled',
    );
    await s.stop();
  });
});
