/**
 * A store opened on an in-memory FsModule (memfs) lives entirely inside it
 * (spec/api.md §20): nothing reaches the real disk, and the repository it
 * leaves in the volume is one git itself accepts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Volume, createFsFromVolume } from 'memfs';
import { GitStore, StaleSnapshotError, retryWrite, type FS } from '../../../src/index.js';
import type { FsModule } from '../../../src/core/types.js';
import type { FileObjectStore } from '../../../src/core/store/object-store.js';
import { fsck, git, tempDir, type TempDir } from './helpers.js';

type Vol = InstanceType<typeof Volume>;

function memFs(): { vol: Vol; fs: FsModule } {
  const vol = new Volume();
  return { vol, fs: createFsFromVolume(vol) as unknown as FsModule };
}

/** A path that does not exist on the real disk (and must not come to). */
function phantomPath(): string {
  return join(tmpdir(), `vost-memfs-${randomBytes(6).toString('hex')}`, 'repo.git');
}

/** Copy a directory tree out of the volume onto the real disk, byte for byte. */
function dumpVolume(vol: Vol, from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const name of vol.readdirSync(from) as string[]) {
    const src = `${from}/${name}`;
    const dst = join(to, name);
    if (vol.statSync(src).isDirectory()) dumpVolume(vol, src, dst);
    else writeFileSync(dst, vol.readFileSync(src) as Buffer);
  }
}

/** Copy a real directory tree into the volume. */
function loadVolume(vol: Vol, from: string, to: string): void {
  vol.mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    const src = join(from, name);
    if (statSync(src).isDirectory()) loadVolume(vol, src, `${to}/${name}`);
    else vol.writeFileSync(`${to}/${name}`, readFileSync(src));
  }
}

function text(data: Uint8Array): string {
  return Buffer.from(data).toString('utf8');
}

describe('a store on a memfs volume', () => {
  let tmp: TempDir;
  const { vol, fs } = memFs();
  const path = phantomPath();
  const big = randomBytes(3 * 1024 * 1024);
  /** Past the pack writer's whole-read limit: streamed from the volume. */
  const huge = randomBytes(5 * 1024 * 1024);
  const many = Array.from({ length: 100 }, (_, i) => [`many/f${String(i).padStart(3, '0')}.txt`, `file ${i}\n`] as const);
  let tagged: FS;

  beforeAll(async () => {
    tmp = tempDir();
    const store = await GitStore.open(path, { fs, author: 'Mem', email: 'mem@example.com' });
    let main = await store.branches.get('main');
    main = await main.write('a.txt', Buffer.from('alpha\n'), { message: 'add a' });
    main = await main.writeSymlink('link', 'a.txt', { message: 'add link' });
    main = await main.write('bin/run.sh', Buffer.from('#!/bin/sh\necho run\n'), { mode: 'executable', message: 'add run' });
    const batch = main.batch({ message: 'bulk' });
    for (const [p, body] of many) await batch.write(p, Buffer.from(body));
    await batch.write('big.bin', big);
    // "Local" files live in the same volume: past the pack threshold they are read by the pack writer.
    vol.mkdirSync('/local');
    vol.writeFileSync('/local/tool.sh', '#!/bin/sh\necho tool\n', { mode: 0o755 });
    vol.writeFileSync('/local/huge.bin', huge);
    await batch.writeFromFile('local/tool.sh', '/local/tool.sh');
    await batch.writeFromFile('local/huge.bin', '/local/huge.bin');
    main = await batch.commit();
    await store.tags.set('v1', main);
    tagged = main;
    await store.branches.set('dev', main);
    main = await main.write('a.txt', Buffer.from('alpha v2\n'), { message: 'edit a' });
    main = await main.write('gone.txt', Buffer.from('short-lived\n'), { message: 'add gone' });
    main = await main.undo();
    await store.notes.namespace('commits').set(main, 'reviewed');
  });
  afterAll(() => tmp.cleanup());

  it('writes nothing to the real disk', () => {
    expect(existsSync(path)).toBe(false);
    expect(existsSync(join(path, '..'))).toBe(false);
    expect(vol.existsSync(`${path}/HEAD`)).toBe(true);
  });

  it('wrote the batch as a packfile inside the volume', () => {
    const names = vol.readdirSync(`${path}/objects/pack`) as string[];
    expect(names.filter((n) => n.endsWith('.pack')).length).toBeGreaterThanOrEqual(1);
    expect(names.filter((n) => n.endsWith('.idx')).length).toBe(names.filter((n) => n.endsWith('.pack')).length);
  });

  it('reads everything back through a second store on the same volume', async () => {
    const again = await GitStore.open(path, { fs, create: false });
    const main = await again.branches.get('main');
    expect(text(await main.read('a.txt'))).toBe('alpha v2\n');
    expect(await main.exists('gone.txt')).toBe(false);
    expect(await main.readlink('link')).toBe('a.txt');
    expect(await main.fileType('bin/run.sh')).toBe('executable');
    expect(text(await main.read('many/f042.txt'))).toBe('file 42\n');
    expect(Buffer.from(await main.read('big.bin', { offset: 1_000_000, size: 4096 }))).toEqual(big.subarray(1_000_000, 1_004_096));
    expect(Buffer.from(await main.read('big.bin')).equals(big)).toBe(true);
    expect(Buffer.from(await main.read('local/huge.bin')).equals(huge)).toBe(true);
    expect(await main.fileType('local/tool.sh')).toBe('executable');
    expect(text(await main.read('local/tool.sh'))).toBe('#!/bin/sh\necho tool\n');
    expect(await again.branches.list()).toEqual(['dev', 'main']);
    expect(await again.tags.list()).toEqual(['v1']);
    expect((await again.tags.get('v1')).commitHash).toBe(tagged.commitHash);
    expect(text(await (await again.branches.get('dev')).read('a.txt'))).toBe('alpha\n');
    const messages: string[] = [];
    for await (const snap of main.log()) messages.push(await snap.getMessage());
    expect(messages).toEqual(['edit a', 'bulk', 'add run', 'add link', 'add a', 'Initialize main']);
    expect(await again.notes.namespace('commits').get(main)).toBe('reviewed');
    const reflog = await again.branches.reflog('main');
    expect(reflog.map((e) => e.message)).toContain('undo: move back');
  });

  it('buffers a big FsWriter in memory instead of spilling to the real disk', async () => {
    const store = await GitStore.open(path, { fs });
    const data = randomBytes(5 * 1024 * 1024);
    const w = (await store.branches.get('dev')).writer('spilled.bin');
    for (let at = 0; at < data.length; at += 1 << 20) w.write(data.subarray(at, at + (1 << 20)));
    await w.close();
    expect(Buffer.from(await w.fs!.read('spilled.bin')).equals(data)).toBe(true);
    expect(vol.existsSync(`${path}/vost.lock`)).toBe(false);
  });

  it('redo follows the reflog kept in the volume', async () => {
    const store = await GitStore.open(path, { fs });
    const main = await store.branches.get('main');
    const redone = await main.redo();
    expect(await redone.exists('gone.txt')).toBe(true);
    const back = await redone.undo();
    expect(back.commitHash).toBe(main.commitHash);
  });

  it('gc packs everything into one pack in the volume', async () => {
    const store = await GitStore.open(path, { fs });
    const packed = await store.gc({ pruneGraceMs: 0 });
    expect(packed).toBeGreaterThan(100);
    const names = vol.readdirSync(`${path}/objects/pack`) as string[];
    expect(names.filter((n) => n.endsWith('.pack'))).toHaveLength(1);
    const fanout = (vol.readdirSync(`${path}/objects`) as string[]).filter((n) => /^[0-9a-f]{2}$/.test(n));
    expect(fanout).toEqual([]);
    const main = await (await GitStore.open(path, { fs })).branches.get('main');
    expect(Buffer.from(await main.read('big.bin', { offset: 3 * 1024 * 1024 - 10 }))).toEqual(big.subarray(-10));
    expect(existsSync(path)).toBe(false);
  });

  it('leaves a repository git accepts, with exactly what was written', async () => {
    const copy = join(tmp.path, 'copy.git');
    dumpVolume(vol, path, copy);
    fsck(copy);
    const listing = git(copy, 'ls-tree', '-r', 'main').trim().split('\n');
    expect(listing).toHaveLength(many.length + 6);
    expect(git(copy, 'ls-tree', '-r', '--name-only', 'dev').split('\n')).toContain('spilled.bin');
    expect(listing).toContain(`120000 blob ${git(copy, 'rev-parse', 'main:link').trim()}\tlink`);
    expect(listing.find((l) => l.endsWith('\tbin/run.sh'))).toMatch(/^100755 blob /);
    expect(git(copy, 'cat-file', 'blob', 'main:a.txt')).toBe('alpha v2\n');
    expect(git(copy, 'cat-file', 'blob', 'main:many/f099.txt')).toBe('file 99\n');
    const bigFromGit = execFileSync('git', ['cat-file', 'blob', 'main:big.bin'], { cwd: copy, maxBuffer: 16 * 1024 * 1024 });
    expect(bigFromGit.equals(big)).toBe(true);
    expect(git(copy, 'rev-parse', 'v1').trim()).toBe(tagged.commitHash);
    expect(git(copy, 'notes', '--ref=commits', 'show', 'main').trim()).toBe('reviewed');
    expect(git(copy, 'log', '--format=%s', 'main').trim().split('\n')).toEqual([
      'edit a',
      'bulk',
      'add run',
      'add link',
      'add a',
      'Initialize main',
    ]);
  });
});

describe('a git-made repository copied into memfs', () => {
  let tmp: TempDir;
  let bare: string;
  const { vol, fs } = memFs();
  const path = phantomPath();

  beforeAll(() => {
    tmp = tempDir();
    const work = join(tmp.path, 'work');
    mkdirSync(join(work, 'src'), { recursive: true });
    git(work, 'init', '-q', '-b', 'main');
    const base = Array.from({ length: 400 }, (_, i) => `line ${i}: ${'x'.repeat(i % 37)}`);
    for (let v = 0; v < 12; v++) {
      base[v * 7] = `changed in version ${v}`;
      writeFileSync(join(work, 'src/long.txt'), `${base.join('\n')}\n`);
      writeFileSync(join(work, `v${v}.txt`), `version ${v}\n`);
      git(work, 'add', '-A');
      git(work, 'commit', '-q', '-m', `version ${v}`);
    }
    writeFileSync(join(work, 'tool.sh'), '#!/bin/sh\n');
    chmodSync(join(work, 'tool.sh'), 0o755);
    git(work, 'add', '-A');
    git(work, 'commit', '-q', '-m', 'tool');
    git(work, 'tag', '-a', '-m', 'annotated', 'rel', 'HEAD~3');
    bare = join(tmp.path, 'bare.git');
    git(tmp.path, 'clone', '-q', '--bare', work, bare);
    git(bare, 'gc', '-q', '--aggressive');
    loadVolume(vol, bare, path);
  });
  afterAll(() => tmp.cleanup());

  it('is packed with deltas, as the test needs', () => {
    const packs = readdirSync(join(bare, 'objects/pack')).filter((n) => n.endsWith('.idx'));
    const verify = git(bare, 'verify-pack', '-v', join(bare, 'objects/pack', packs[0]!));
    expect(verify).toMatch(/chain length = [1-9]/);
  });

  it('reads every file and commit the way git does', async () => {
    const store = await GitStore.open(path, { fs, create: false });
    const main = await store.branches.get('main');
    for (const line of git(bare, 'ls-tree', '-r', 'main').trim().split('\n')) {
      const [meta, name] = line.split('\t') as [string, string];
      const [mode, , oid] = meta.split(' ');
      expect(await main.objectHash(name)).toBe(oid);
      expect(text(await main.read(name))).toBe(git(bare, 'cat-file', 'blob', oid!));
      if (mode === '100755') expect(await main.fileType(name)).toBe('executable');
    }
    const longOid = git(bare, 'rev-parse', 'main~5:src/long.txt').trim();
    const expected = git(bare, 'cat-file', 'blob', longOid);
    expect(text(await store.readByHash(longOid, { offset: 100, size: 50 }))).toBe(expected.slice(100, 150));
    const subjects: string[] = [];
    for await (const snap of main.log()) subjects.push(await snap.getMessage());
    expect(subjects).toEqual(git(bare, 'log', '--format=%s', 'main').trim().split('\n'));
    expect((await store.tags.get('rel')).commitHash).toBe(git(bare, 'rev-parse', 'rel^{commit}').trim());
    expect(existsSync(path)).toBe(false);
  });

  it('reads packs through a module whose file handles cannot read at a position', async () => {
    const wholeReads: string[] = [];
    const wrapped = withoutPositionalReads(fs, wholeReads);
    const store = await GitStore.open(path, { fs: wrapped, create: false });
    const main = await store.branches.get('main');
    expect(text(await main.read('src/long.txt'))).toBe(git(bare, 'cat-file', 'blob', 'main:src/long.txt'));
    expect(text(await main.read('v3.txt'))).toBe('version 3\n');
    expect(wholeReads.filter((p) => p.endsWith('.pack'))).toHaveLength(1);
  });

  it('installs a received pack inside the volume', async () => {
    const target = phantomPath();
    const store = await GitStore.open(target, { fs, branch: null });
    const packName = readdirSync(join(bare, 'objects/pack')).find((n) => n.endsWith('.pack'))!;
    const repo = await store._open();
    const bytes = readFileSync(join(bare, 'objects/pack', packName));
    const result = await (repo.objects as FileObjectStore).importPack((async function* () {
      yield bytes;
    })());
    expect(result.count).toBe(Number(git(bare, 'count-objects', '-v').match(/in-pack: (\d+)/)![1]));
    expect(vol.existsSync(result.packPath!)).toBe(true);
    const longOid = git(bare, 'rev-parse', 'main~5:src/long.txt').trim();
    expect(text(await store.readByHash(longOid))).toBe(git(bare, 'cat-file', 'blob', longOid));
    expect(existsSync(target)).toBe(false);
  });
});

/** The same module, but `promises.open()` hands out handles that can only be closed; whole-file reads are logged. */
function withoutPositionalReads(fs: FsModule, wholeReads: string[]): FsModule {
  const promises = Object.create(fs.promises) as FsModule['promises'];
  promises.open = async (path, flags, mode) => {
    const h = await fs.promises.open(path, flags, mode);
    return flags === 'r' ? { close: () => h.close() } : h;
  };
  promises.readFile = (path, options) => {
    wholeReads.push(path);
    return fs.promises.readFile(path, options);
  };
  return Object.assign(Object.create(fs) as FsModule, { promises });
}

describe('which filesystem a store uses', () => {
  it("keeps Node's own fs on the native paths however node:fs is passed", async () => {
    const tmp = tempDir();
    try {
      const ns = await import('node:fs');
      for (const fsOpt of [undefined, ns, ns.default]) {
        const store = await GitStore.open(join(tmp.path, 'repo.git'), { fs: fsOpt as unknown as FsModule | undefined });
        expect(store._repoFs.native).toBe(true);
      }
      expect((await GitStore.open(phantomPath(), { fs: memFs().fs }))._repoFs.native).toBe(false);
    } finally {
      tmp.cleanup();
    }
  });
});

describe('concurrent writers on one memfs store', () => {
  it('each write lands or is stale; retryWrite lands them all', async () => {
    const { fs } = memFs();
    const path = phantomPath();
    const store = await GitStore.open(path, { fs });
    const base = await store.branches.get('main');
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => base.write(`racer${i}.txt`, Buffer.from(`racer ${i}\n`))),
    );
    const landed = results.filter((r) => r.status === 'fulfilled');
    expect(landed.length).toBeGreaterThanOrEqual(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(StaleSnapshotError);
    const head = await store.branches.get('main');
    expect(landed.map((r) => (r as PromiseFulfilledResult<FS>).value.commitHash)).toContain(head.commitHash);

    await Promise.all(Array.from({ length: 8 }, (_, i) => retryWrite(store, 'main', `retry${i}.txt`, Buffer.from(`${i}\n`), { retries: 50 })));
    const final = await store.branches.get('main');
    for (let i = 0; i < 8; i++) expect(text(await final.read(`retry${i}.txt`))).toBe(`${i}\n`);
    expect(existsSync(path)).toBe(false);
  });

  it("waits for another holder's vost.lock in the volume, and breaks a stale one", async () => {
    const { vol, fs } = memFs();
    const path = phantomPath();
    const store = await GitStore.open(path, { fs });
    vol.writeFileSync(`${path}/vost.lock`, 'other\n');
    let landed = false;
    const write = (await store.branches.get('main')).write('x.txt', Buffer.from('x')).then((snap) => {
      landed = true;
      return snap;
    });
    await new Promise((r) => setTimeout(r, 150));
    expect(landed).toBe(false);
    vol.unlinkSync(`${path}/vost.lock`);
    expect(text(await (await write).read('x.txt'))).toBe('x');

    vol.writeFileSync(`${path}/vost.lock`, 'crashed\n');
    const old = new Date(Date.now() - 60_000);
    vol.utimesSync(`${path}/vost.lock`, old, old);
    const started = Date.now();
    await (await store.branches.get('main')).write('y.txt', Buffer.from('y'));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(vol.existsSync(`${path}/vost.lock`)).toBe(false);
  });

  it('keeps two volumes at the same path apart', async () => {
    const path = phantomPath();
    const one = await GitStore.open(path, { fs: memFs().fs });
    const two = await GitStore.open(path, { fs: memFs().fs });
    await Promise.all([
      (await one.branches.get('main')).write('who.txt', Buffer.from('one')),
      (await two.branches.get('main')).write('who.txt', Buffer.from('two')),
    ]);
    expect(text(await (await one.branches.get('main')).read('who.txt'))).toBe('one');
    expect(text(await (await two.branches.get('main')).read('who.txt'))).toBe('two');
  });
});
