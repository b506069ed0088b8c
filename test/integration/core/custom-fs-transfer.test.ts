/**
 * copyIn / copyOut / syncIn / syncOut on a store opened with a custom fs
 * module (spec/api.md §20): the local side goes through the same module as
 * the repository, so a memfs volume holds the repo and the local folders
 * and nothing reaches the real disk. Node's own fs keeps the disk endpoint.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import * as nodeFsNamespace from 'node:fs';
import nodeFsDefault from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Volume, createFsFromVolume } from 'memfs';
import { GitStore, type FS } from '../../../src/index.js';
import type { FsModule } from '../../../src/core/types.js';
import { ModuleDirEndpoint } from '../../../src/plugins/dir/module-endpoint.js';
import { blobIdOf } from '../../../src/plugins/hash.js';
import { endpointContract } from '../../contract/endpoint-contract.js';
import { fsck, git, tempDir, type TempDir } from './helpers.js';

type Vol = InstanceType<typeof Volume>;

/** What a folder holds, path → 'file:<content>', 'exec:<content>', 'link:<target>' or 'dir'. */
type Tree = Record<string, string>;

/** A base folder that does not exist on the real disk (and must not come to). */
function phantomBase(): string {
  return join(tmpdir(), `vost-memfs-transfer-${randomBytes(6).toString('hex')}`);
}

function snapshot(vol: Vol, root: string, rel = ''): Tree {
  const out: Tree = {};
  const abs = rel ? `${root}/${rel}` : root;
  if (!vol.existsSync(abs)) return out;
  for (const name of (vol.readdirSync(abs) as string[]).sort()) {
    const r = rel ? `${rel}/${name}` : name;
    const p = `${root}/${r}`;
    const st = vol.lstatSync(p);
    if (st.isSymbolicLink()) out[r] = `link:${String(vol.readlinkSync(p))}`;
    else if (st.isDirectory()) Object.assign(out, { [r]: 'dir' }, snapshot(vol, root, r));
    else out[r] = `${(Number(st.mode) & 0o111) !== 0 ? 'exec' : 'file'}:${String(vol.readFileSync(p))}`;
  }
  return out;
}

/** Lay out a folder in the volume from a Tree ('dir' entries are implied by their files). */
function build(vol: Vol, root: string, tree: Tree): void {
  vol.mkdirSync(root, { recursive: true });
  for (const [rel, spec] of Object.entries(tree)) {
    const p = `${root}/${rel}`;
    const colon = spec.indexOf(':');
    const [kind, body] = colon < 0 ? [spec, ''] : [spec.slice(0, colon), spec.slice(colon + 1)];
    if (kind === 'dir') {
      vol.mkdirSync(p, { recursive: true });
      continue;
    }
    vol.mkdirSync(p.slice(0, p.lastIndexOf('/')), { recursive: true });
    if (kind === 'link') vol.symlinkSync(body, p);
    else vol.writeFileSync(p, body, { mode: kind === 'exec' ? 0o755 : 0o644 });
  }
}

/** Copy the repository out of the volume onto the real disk for git to inspect. */
function dumpVolume(vol: Vol, from: string, to: string): void {
  nodeFsDefault.mkdirSync(to, { recursive: true });
  for (const name of vol.readdirSync(from) as string[]) {
    const src = `${from}/${name}`;
    if (vol.statSync(src).isDirectory()) dumpVolume(vol, src, join(to, name));
    else nodeFsDefault.writeFileSync(join(to, name), vol.readFileSync(src) as Buffer);
  }
}

/** The files of a Tree as `git ls-tree -r` lines (mode, blob id, path). */
function treeLines(tree: Tree, prefix: string): string[] {
  const lines: string[] = [];
  for (const [rel, spec] of Object.entries(tree)) {
    if (spec === 'dir') continue;
    const colon = spec.indexOf(':');
    const kind = spec.slice(0, colon);
    const mode = kind === 'link' ? '120000' : kind === 'exec' ? '100755' : '100644';
    lines.push(`${mode} blob ${blobIdOf(Buffer.from(spec.slice(colon + 1)))}\t${prefix}${rel}`);
  }
  return lines.sort();
}

function lsTree(gitdir: string, ref: string): string[] {
  return git(gitdir, '-c', 'core.quotepath=false', 'ls-tree', '-r', ref).trim().split('\n').filter(Boolean).sort();
}

function filesOnly(tree: Tree): Tree {
  return Object.fromEntries(Object.entries(tree).filter(([, v]) => v !== 'dir'));
}

const LOCAL: Tree = {
  'a.txt': 'file:alpha\n',
  'empty.txt': 'file:',
  'bin/run.sh': 'exec:#!/bin/sh\necho run\n',
  'nested/deep/er/b.txt': 'file:deep b\n',
  'link': 'link:nested/deep/er/b.txt',
  'ünïcödé/日本語 ファイル.md': 'file:unicode ✓\n',
};

describe('transfers on a store inside a memfs volume', () => {
  let vol: Vol;
  let mfs: FsModule;
  let base: string;
  let repo: string;
  let main: FS;
  const bases: string[] = [];
  const tmps: TempDir[] = [];

  beforeEach(async () => {
    vol = new Volume();
    mfs = createFsFromVolume(vol) as unknown as FsModule;
    base = phantomBase();
    bases.push(base);
    repo = `${base}/repo.git`;
    const store = await GitStore.open(repo, { fs: mfs, author: 'Mem', email: 'mem@example.com' });
    main = await store.branches.get('main');
  });
  afterAll(() => {
    for (const b of bases) expect(nodeFsDefault.existsSync(b)).toBe(false);
    for (const t of tmps) t.cleanup();
  });

  function dumped(): string {
    const t = tempDir('vost-memfs-dump-');
    tmps.push(t);
    dumpVolume(vol, repo, join(t.path, 'repo.git'));
    return join(t.path, 'repo.git');
  }

  it('copyIn stores exactly the folder: nested files, executable, symlink, empty file, unicode names', async () => {
    build(vol, `${base}/src`, LOCAL);
    const out = await main.copyIn([`${base}/src/`], 'in');
    expect(out.commitHash).not.toBe(main.commitHash);
    expect(out.changes!.add.map((e) => e.path).sort()).toEqual(Object.keys(LOCAL).sort());
    expect(out.changes!.add.find((e) => e.path === 'a.txt')!.src).toBe(`${base}/src/a.txt`);
    expect(Buffer.from(await out.read('in/a.txt')).toString()).toBe('alpha\n');
    expect(await out.read('in/empty.txt')).toHaveLength(0);
    expect(await out.fileType('in/bin/run.sh')).toBe('executable');
    expect(await out.readlink('in/link')).toBe('nested/deep/er/b.txt');
    expect(Buffer.from(await out.read('in/ünïcödé/日本語 ファイル.md')).toString()).toBe('unicode ✓\n');
    const copy = dumped();
    fsck(copy);
    expect(lsTree(copy, 'main')).toEqual(treeLines(LOCAL, 'in/'));
    expect(git(copy, 'cat-file', 'blob', 'main:in/link')).toBe('nested/deep/er/b.txt');
    expect(git(copy, 'cat-file', 'blob', 'main:in/nested/deep/er/b.txt')).toBe('deep b\n');
  });

  it('copyIn of a folder without a trailing slash places it under its name; followSymlinks stores the content', async () => {
    build(vol, `${base}/src`, LOCAL);
    const out = await main.copyIn([`${base}/src`], '', { followSymlinks: true });
    expect(await out.fileType('src/link')).toBe('blob');
    expect(Buffer.from(await out.read('src/link')).toString()).toBe('deep b\n');
    expect(await out.fileType('src/bin/run.sh')).toBe('executable');
  });

  it('copyOut writes exactly the repo files: contents, exec bits, symlinks', async () => {
    build(vol, `${base}/src`, LOCAL);
    const filled = await main.copyIn([`${base}/src/`], 'data');
    const res = await filled.copyOut(['data/'], `${base}/out`);
    expect(res.changes!.add).toHaveLength(Object.keys(LOCAL).length);
    expect(snapshot(vol, `${base}/out`)).toEqual(snapshot(vol, `${base}/src`));
    expect(vol.readlinkSync(`${base}/out/link`)).toBe('nested/deep/er/b.txt');
    expect(Number(vol.statSync(`${base}/out/bin/run.sh`).mode) & 0o111).not.toBe(0);
    expect(Number(vol.statSync(`${base}/out/a.txt`).mode) & 0o111).toBe(0);
    expect((vol.readdirSync(`${base}/out`) as string[]).filter((n) => n.startsWith('.vost-staging-'))).toEqual([]);
  });

  it('syncOut deletes extra files, replaces what is in the way, and never writes through a link', async () => {
    build(vol, `${base}/src`, LOCAL);
    const filled = await main.copyIn([`${base}/src/`], 'data');
    build(vol, `${base}/victim`, { 'keep.txt': 'file:untouched\n' });
    build(vol, `${base}/out`, {
      'extra.txt': 'file:extra\n',
      'stale/dir/x.txt': 'file:x\n',
      'a.txt/inner.txt': 'file:a folder where a file goes\n',
      'nested': `link:${base}/victim`,
      'bin/run.sh': 'file:old, not executable\n',
    });
    const res = await filled.syncOut('data', `${base}/out`);
    // What sits where a write goes is replaced by the write, not reported as deleted.
    expect(res.changes!.delete.map((e) => e.path).sort()).toEqual(['extra.txt', 'stale/dir/x.txt']);
    expect(res.changes!.update.map((e) => e.path)).toEqual(['bin/run.sh']);
    expect(snapshot(vol, `${base}/out`)).toEqual(snapshot(vol, `${base}/src`));
    expect(snapshot(vol, `${base}/victim`)).toEqual({ 'keep.txt': 'file:untouched\n' });
  });

  it('syncOut dry run changes nothing; a second sync has nothing to do', async () => {
    build(vol, `${base}/src`, LOCAL);
    const filled = await main.copyIn([`${base}/src/`], 'data');
    await filled.syncOut('data', `${base}/out`);
    vol.writeFileSync(`${base}/out/extra.txt`, 'extra');
    vol.unlinkSync(`${base}/out/a.txt`);
    const before = snapshot(vol, `${base}/out`);
    const dry = await filled.syncOut('data', `${base}/out`, { dryRun: true });
    expect(dry.changes!.add.map((e) => e.path)).toEqual(['a.txt']);
    expect(dry.changes!.delete.map((e) => e.path)).toEqual(['extra.txt']);
    expect(snapshot(vol, `${base}/out`)).toEqual(before);
    await filled.syncOut('data', `${base}/out`);
    const again = await filled.syncOut('data', `${base}/out`);
    const c = again.changes;
    expect(c === null ? 0 : c.add.length + c.update.length + c.delete.length).toBe(0);
    expect(snapshot(vol, `${base}/out`)).toEqual(snapshot(vol, `${base}/src`));
  });

  it('syncOut of a missing repo path empties the folder', async () => {
    build(vol, `${base}/out`, { 'a/b.txt': 'file:b', 'c.txt': 'file:c' });
    const res = await main.syncOut('nothing-here', `${base}/out`);
    expect(res.changes!.delete.map((e) => e.path).sort()).toEqual(['a/b.txt', 'c.txt']);
    expect(snapshot(vol, `${base}/out`)).toEqual({});
  });

  it('syncIn mirrors the folder into the repo: deletes, dry run, no-op second sync', async () => {
    build(vol, `${base}/src`, LOCAL);
    const first = await main.syncIn(`${base}/src`, 'data');
    vol.unlinkSync(`${base}/src/a.txt`);
    vol.writeFileSync(`${base}/src/new.txt`, 'new\n');
    const dry = await first.syncIn(`${base}/src`, 'data', { dryRun: true });
    expect(dry.commitHash).toBe(first.commitHash);
    expect(dry.changes!.delete.map((e) => e.path)).toEqual(['a.txt']);
    expect(dry.changes!.add.map((e) => e.path)).toEqual(['new.txt']);
    const second = await first.syncIn(`${base}/src`, 'data');
    expect(second.commitHash).not.toBe(first.commitHash);
    expect(await second.exists('data/a.txt')).toBe(false);
    const third = await second.syncIn(`${base}/src`, 'data');
    expect(third.commitHash).toBe(second.commitHash);
    const copy = dumped();
    expect(lsTree(copy, 'main')).toEqual(treeLines(filesOnly(snapshot(vol, `${base}/src`)), 'data/'));
  });

  it('syncIn of a missing folder removes everything under the repo path', async () => {
    build(vol, `${base}/src`, LOCAL);
    const filled = await main.copyIn([`${base}/src/`], 'data');
    const emptied = await filled.syncIn(`${base}/absent`, 'data');
    expect(await emptied.exists('data')).toBe(false);
  });

  /** The volume's fs, with writeFile failing from the `n`th call under `under`. */
  function failingFs(under: string, n: number): FsModule {
    let calls = 0;
    const promises = Object.create(mfs.promises) as FsModule['promises'];
    promises.writeFile = async (path, data, opts) => {
      if (String(path).startsWith(under) && ++calls >= n) throw Object.assign(new Error('disk full (injected)'), { code: 'ENOSPC' });
      return mfs.promises.writeFile(path, data, opts);
    };
    return Object.assign(Object.create(mfs) as FsModule, { promises });
  }

  it('a write failing midway leaves the destination exactly as it was, without a staging folder', async () => {
    build(vol, `${base}/src`, LOCAL);
    await main.copyIn([`${base}/src/`], 'data');
    build(vol, `${base}/out`, { 'a.txt': 'file:original\n', 'extra.txt': 'file:extra\n', 'old': 'link:a.txt' });
    const before = snapshot(vol, `${base}/out`);
    const store = await GitStore.open(repo, { fs: failingFs(`${base}/out`, 3) });
    await expect((await store.branches.get('main')).syncOut('data', `${base}/out`)).rejects.toThrow('disk full (injected)');
    expect(snapshot(vol, `${base}/out`)).toEqual(before);
    const other = await GitStore.open(repo, { fs: failingFs(`${base}/fresh`, 4) });
    await expect((await other.branches.get('main')).copyOut(['data/'], `${base}/fresh`)).rejects.toThrow('disk full (injected)');
    expect(vol.existsSync(`${base}/fresh`)).toBe(false);
  });

  it('a local read failing during copyIn commits nothing', async () => {
    build(vol, `${base}/src`, LOCAL);
    const promises = Object.create(mfs.promises) as FsModule['promises'];
    promises.readFile = async (path, opts) => {
      if (String(path).endsWith('b.txt')) throw Object.assign(new Error('read error (injected)'), { code: 'EIO' });
      return mfs.promises.readFile(path, opts);
    };
    const store = await GitStore.open(repo, { fs: Object.assign(Object.create(mfs) as FsModule, { promises }) });
    const snap = await store.branches.get('main');
    await expect(snap.copyIn([`${base}/src/`], 'data')).rejects.toThrow('read error (injected)');
    expect((await store.branches.get('main')).commitHash).toBe(main.commitHash);
  });

  it('keeps no stat cache in the volume or on the real disk', async () => {
    build(vol, `${base}/src`, LOCAL);
    const filled = await main.syncIn(`${base}/src`, 'data');
    await filled.syncOut('data', `${base}/out`);
    expect(vol.existsSync(`${repo}/vost/statcache`)).toBe(false);
    expect(nodeFsDefault.existsSync(base)).toBe(false);
  });
});

describe("Node's fs passed explicitly keeps the disk endpoint", () => {
  for (const [name, fsModule] of [
    ['default import', nodeFsDefault],
    ['namespace import', nodeFsNamespace],
  ] as const) {
    it(`${name}: the stat cache appears under the repository`, async () => {
      const t = tempDir('vost-nodefs-transfer-');
      try {
        const repo = join(t.path, 'repo.git');
        const src = join(t.path, 'src');
        nodeFsDefault.mkdirSync(join(src, 'sub'), { recursive: true });
        nodeFsDefault.writeFileSync(join(src, 'a.txt'), 'alpha\n');
        nodeFsDefault.writeFileSync(join(src, 'sub', 'b.txt'), 'b\n');
        // Only files changed well before the listing are cached (recent ones are "racy").
        await new Promise((resume) => setTimeout(resume, 150));
        const store = await GitStore.open(repo, { fs: fsModule as unknown as FsModule });
        const filled = await (await store.branches.get('main')).syncIn(src, 'data');
        expect(nodeFsDefault.readdirSync(join(repo, 'vost', 'statcache')).some((n) => n.endsWith('.bin'))).toBe(true);
        await filled.syncOut('data', join(t.path, 'out'));
        expect(nodeFsDefault.readFileSync(join(t.path, 'out', 'sub', 'b.txt'), 'utf8')).toBe('b\n');
      } finally {
        t.cleanup();
      }
    });
  }
});

endpointContract(
  'dir through an fs module (memfs)',
  async () => {
    const vol = new Volume();
    const mfs = createFsFromVolume(vol) as unknown as FsModule;
    const root = `${phantomBase()}/dest`;
    return {
      endpoint: new ModuleDirEndpoint(mfs, root),
      reopen: async () => new ModuleDirEndpoint(mfs, root),
      verify: async () => {
        const left = vol.existsSync(root) ? (vol.readdirSync(root) as string[]).filter((n) => n.startsWith('.vost-staging-')) : [];
        expect(left).toEqual([]);
      },
      cleanup: async () => undefined,
    };
  },
  { largeBytes: 3 * 1024 * 1024 + 17 },
);
