/**
 * The planner in-process: the library's copyIn/copyOut/syncIn/syncOut
 * report shapes, the stat cache never trusting mtime alone, .gitignore
 * handling with delete protection, and failures midway leaving the
 * destination as it was (no commit; folder untouched).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync, mkdirSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import '../../../src/transfer/library.js';
import { ExcludeFilter, GitStore } from '../../../src/core/index.js';
import type { FS } from '../../../src/core/fs.js';
import type { Endpoint, Entry } from '../../../src/plugins/contract.js';
import { DirEndpoint } from '../../../src/plugins/dir/endpoint.js';
import { RefEndpoint } from '../../../src/plugins/ref/endpoint.js';
import { applyPlan } from '../../../src/transfer/apply.js';
import { planTransfer } from '../../../src/transfer/plan.js';

let root: string;
let store: GitStore;
let main: FS;
const git = (...args: string[]) => execFileSync('git', ['--git-dir', join(root, 'repo.git'), ...args], { encoding: 'utf8' });

function tree(dir: string, files: Record<string, string>): string {
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), c);
  }
  return dir;
}

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'vost-planner-'));
  store = await GitStore.open(join(root, 'repo.git'), { create: true, branch: 'main' });
  main = await store.branches.get('main');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('library copy/sync', () => {
  it('copyIn reports paths relative to dest with types and sources; copyOut and syncOut report the receiver', async () => {
    const src = tree(join(root, 'src'), { 'a.txt': 'a', 'sub/b.txt': 'b' });
    const fs = await main.copyIn([`${src}/`], 'dest');
    expect(fs.changes!.add).toEqual([
      { path: 'a.txt', type: 'blob', src: join(src, 'a.txt') },
      { path: 'sub/b.txt', type: 'blob', src: join(src, 'sub/b.txt') },
    ]);
    expect(await fs.getMessage()).toBe('Batch cp: +2');
    const out = join(root, 'out');
    const same = await fs.copyOut(['dest/'], out);
    expect(same).toBe(fs);
    expect(readFileSync(join(out, 'sub/b.txt'), 'utf8')).toBe('b');
    writeFileSync(join(out, 'extra.txt'), 'x');
    await fs.syncOut('dest', out);
    expect(fs.changes!.delete).toEqual([{ path: 'extra.txt', type: 'blob' }]);
    expect(existsSync(join(out, 'extra.txt'))).toBe(false);
    const dry = await fs.syncIn(src, 'dest', { dryRun: true });
    expect(dry).toBe(fs);
    expect(dry.changes).toBeNull();
  });

  it('copyIn with ignoreErrors records unresolvable sources and rejects when all fail', async () => {
    const src = tree(join(root, 'src'), { 'a.txt': 'a' });
    const fs = await main.copyIn([join(root, 'missing'), `${src}/`], '', { ignoreErrors: true });
    expect(fs.changes!.errors).toEqual([{ path: join(root, 'missing'), error: `File not found: ${join(root, 'missing')}` }]);
    await expect(main.copyIn([join(root, 'missing')], '', { ignoreErrors: true })).rejects.toThrow('All files failed to copy');
  });
});

describe('plan options', () => {
  it('ignoreExisting skips existing paths; a forced type changes the mode; overlaps keep the first source with a warning', async () => {
    const a = tree(join(root, 'a'), { 'same.txt': 'a-version', 'only-a.txt': 'a' });
    const b = tree(join(root, 'b'), { 'same.txt': 'b-version', 'new.txt': 'n' });
    let fs = await main.copyIn([`${a}/`], '');
    fs = await fs.copyIn([`${b}/`], '', { ignoreExisting: true });
    expect(git('show', 'main:same.txt')).toBe('a-version');
    expect(git('show', 'main:new.txt')).toBe('n');
    fs = await fs.copyIn([`${b}/`], '', { mode: 'executable' });
    expect(git('ls-tree', 'main', 'new.txt').split(' ')[0]).toBe('100755');
    const dry = await fs.copyIn([`${a}/`, `${b}/`], 'both', { delete: true, dryRun: true });
    expect(dry.changes!.warnings).toEqual([{ path: join(b, 'same.txt'), error: "Overlapping destination 'same.txt': skipping (kept earlier source)" }]);
  });
});

describe('a repository inside the synced folder', () => {
  it('is not copied into itself', async () => {
    const src = tree(join(root, 'proj'), { 'a.txt': 'a' });
    const inner = await GitStore.open(join(src, 'repo.git'), { create: true, branch: 'main' });
    const fs = await (await inner.branches.get('main')).syncIn(src, '');
    expect(fs.changes!.add.map((e) => e.path)).toEqual(['a.txt']);
  });
});

describe('special files', () => {
  it('a FIFO in the source is skipped with a warning instead of blocking the copy', async () => {
    const src = tree(join(root, 'src'), { 'a.txt': 'a' });
    execFileSync('mkfifo', [join(src, 'pipe')]);
    const fs = await main.copyIn([`${src}/`], '');
    expect(fs.changes!.add.map((e) => e.path)).toEqual(['a.txt']);
    expect(fs.changes!.warnings).toEqual([{ path: join(src, 'pipe'), error: 'Skipping special file (not a regular file, directory or symlink)' }]);
  });
});

describe('symlinked folders as sources', () => {
  it('`link` is stored as one link entry, `link/` copies the target folder\'s contents', async () => {
    const target = tree(join(root, 'real'), { 'in.txt': 'in' });
    symlinkSync(target, join(root, 'link'));
    let fs = await main.copyIn([join(root, 'link')], 'asLink');
    fs = await fs.copyIn([`${join(root, 'link')}/`], 'asDir');
    const lines = git('ls-tree', '-r', 'main').trim().split('\n').map((l) => `${l.split(' ')[0]} ${l.split('\t')[1]}`);
    expect(lines).toEqual(['100644 asDir/in.txt', '120000 asLink/link']);
  });
});

describe('change detection', () => {
  it('never concludes "unchanged" from mtime alone; the stat cache is filled and reused', async () => {
    const src = tree(join(root, 'src'), { 'a.txt': 'one', 'b.txt': 'two' });
    const past = new Date(Date.now() - 3600_000);
    utimesSync(join(src, 'a.txt'), past, past);
    utimesSync(join(src, 'b.txt'), past, past);
    // Files whose ctime is this fresh are "racy" and deliberately not cached yet.
    await new Promise((r) => setTimeout(r, 120));
    let fs = await main.syncIn(src, '');
    const cacheDir = join(root, 'repo.git', 'vost', 'statcache');
    expect(readdirSync(cacheDir).length).toBe(1);
    writeFileSync(join(src, 'a.txt'), 'ONE');
    utimesSync(join(src, 'a.txt'), past, past);
    fs = await fs.syncIn(src, '');
    expect(fs.changes!.update.map((e) => e.path)).toEqual(['a.txt']);
    expect(git('show', 'main:a.txt')).toBe('ONE');
    const again = await fs.syncIn(src, '');
    expect(again).toBe(fs);
  });

  it('gitignore rules exclude files and protect ignored destination files from deletion', async () => {
    const src = tree(join(root, 'src'), { '.gitignore': '*.log\nbuild/\n', 'a.txt': 'a', 'x.log': 'log', 'build/o.o': 'o', 'sub/.gitignore': '!keep.log\n', 'sub/keep.log': 'k' });
    let fs = await main.copyIn([`${tree(join(root, 'old'), { 'old.log': 'old', 'gone.txt': 'g' })}/`], '');
    fs = await fs.syncIn(src, '', { exclude: new ExcludeFilter({ gitignore: true }) });
    expect(git('ls-tree', '-r', '--name-only', 'main').trim().split('\n').sort()).toEqual(['a.txt', 'old.log', 'sub/keep.log']);
  });
});

describe('failure midway', () => {
  /** A source whose second file fails while being read. */
  function failingSource(): Endpoint {
    const entries: Entry[] = [
      { path: 'a.txt', kind: 'file', size: 1 },
      { path: 'b.txt', kind: 'file', size: 1 },
    ];
    return {
      display: 'failing',
      stat: async (p) => entries.find((e) => e.path === p) ?? (p === '' ? { path: '', kind: 'dir' } : null),
      list: async function* () {
        yield* entries;
      },
      read: async (p) => ({
        data: Readable.from(
          (async function* () {
            yield Buffer.from('x');
            if (p === 'b.txt') throw new Error('disk on fire');
          })(),
        ),
      }),
    };
  }

  it('a repo destination gets no commit', async () => {
    const dest = new RefEndpoint(main);
    const eps = [failingSource(), dest];
    const plan = await planTransfer(eps, [{ endpoint: 0, path: '', mode: 'contents', under: '', name: '', display: 'failing' }], { endpoint: 1, base: '' }, { op: 'cp' });
    expect(plan.items.map((i) => i.action + i.path)).toEqual(['adda.txt', 'addb.txt']);
    await expect(applyPlan(plan, eps, 1)).rejects.toThrow('disk on fire');
    expect(git('rev-list', '--count', 'main').trim()).toBe('1');
    git('fsck', '--strict');
  });

  it('a folder destination is left exactly as it was', async () => {
    const out = tree(join(root, 'out'), { 'a.txt': 'original' });
    const before = statSync(join(out, 'a.txt')).mtimeMs;
    const eps = [failingSource(), new DirEndpoint(out)];
    const plan = await planTransfer(eps, [{ endpoint: 0, path: '', mode: 'contents', under: '', name: '', display: 'failing' }], { endpoint: 1, base: '' }, { op: 'cp' });
    await expect(applyPlan(plan, eps, 1)).rejects.toThrow('disk on fire');
    expect(readdirSync(out)).toEqual(['a.txt']);
    expect(readFileSync(join(out, 'a.txt'), 'utf8')).toBe('original');
    expect(statSync(join(out, 'a.txt')).mtimeMs).toBe(before);
  });
});
