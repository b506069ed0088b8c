import { randomBytes } from 'node:crypto';
import { chmodSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CorruptObjectError, ObjectNotFoundError } from '../../../src/core/errors.js';
import { initBareRepo, openRepository } from '../../../src/core/store/index.js';
import { git, makeTmp } from './helpers.js';
import { historyStream } from './fixtures.js';

async function expectCorrupt(p: Promise<unknown>, oid: string): Promise<void> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CorruptObjectError);
  expect((err as CorruptObjectError).oid).toBe(oid);
  expect((err as Error).message).toContain(oid);
}

function loosePath(gitdir: string, oid: string): string {
  return join(gitdir, 'objects', oid.slice(0, 2), oid.slice(2));
}

function overwrite(path: string, f: (b: Buffer) => Buffer): void {
  const data = f(readFileSync(path));
  chmodSync(path, 0o644);
  writeFileSync(path, data);
}

describe('corruption and missing objects', () => {
  let tmp: ReturnType<typeof makeTmp>;
  let gitdir: string;
  beforeEach(async () => {
    tmp = makeTmp();
    gitdir = join(tmp.dir, 'repo.git');
    await initBareRepo(gitdir);
  });
  afterEach(() => tmp.cleanup());

  it('truncated, bit-flipped and swapped loose objects raise CorruptObjectError naming the id', async () => {
    const repo = await openRepository(gitdir);
    const a = await repo.objects.write('blob', randomBytes(20_000));
    const b = await repo.objects.write('blob', Buffer.from('x'.repeat(5000)));
    const c = await repo.objects.write('blob', Buffer.from('other\n'));
    overwrite(loosePath(gitdir, a), (buf) => buf.subarray(0, buf.length >> 1));
    await expectCorrupt(repo.objects.read(a), a);
    overwrite(loosePath(gitdir, b), (buf) => {
      buf[buf.length >> 1] ^= 0x55;
      return buf;
    });
    await expectCorrupt(repo.objects.read(b), b);
    overwrite(loosePath(gitdir, c), () => readFileSync(loosePath(gitdir, a)).subarray(0, 0));
    await expectCorrupt(repo.objects.read(c), c);
    const d = await repo.objects.write('blob', Buffer.from('d\n'));
    const e = await repo.objects.write('blob', Buffer.from('e\n'));
    overwrite(loosePath(gitdir, d), () => readFileSync(loosePath(gitdir, e)));
    await expectCorrupt(repo.objects.read(d), d);
    await expect(repo.objects.read('0123456789012345678901234567890123456789')).rejects.toBeInstanceOf(ObjectNotFoundError);
    await expect(repo.objects.read('../../../../etc/passwd')).rejects.toBeInstanceOf(ObjectNotFoundError);
  });

  it('a damaged pack entry raises CorruptObjectError for that object, others still read', async () => {
    const repo = await openRepository(gitdir);
    const w = await repo.objects.packWriter();
    const victim = await w.write('blob', randomBytes(50_000));
    const bystander = await w.write('blob', Buffer.from('fine\n'));
    await w.finish();
    const [packName] = readdirSync(join(gitdir, 'objects', 'pack')).filter((n) => n.endsWith('.pack'));
    const packPath = join(gitdir, 'objects', 'pack', packName!);
    const fresh = await openRepository(gitdir);
    // The victim is the first entry, so the middle of its 50 kB of data sits near offset 25 000.
    overwrite(packPath, (buf) => {
      buf[12 + 25_000] ^= 0xff;
      return buf;
    });
    await expectCorrupt(fresh.objects.read(victim), victim);
    expect((await fresh.objects.read(bystander)).data.toString()).toBe('fine\n');
    await fresh.objects.close();
    await repo.objects.close();
  });

  it('a truncated pack raises CorruptObjectError naming the id', async () => {
    git(gitdir, ['fast-import', '--quiet'], historyStream(5));
    git(gitdir, ['repack', '-q', '-a', '-d']);
    const oid = git(gitdir, ['rev-parse', 'refs/heads/main']);
    const [packName] = readdirSync(join(gitdir, 'objects', 'pack')).filter((n) => n.endsWith('.pack'));
    const packPath = join(gitdir, 'objects', 'pack', packName!);
    chmodSync(packPath, 0o644);
    truncateSync(packPath, 200);
    const repo = await openRepository(gitdir);
    await expectCorrupt(repo.objects.read(oid), oid);
    await repo.objects.close();
  });
});

describe('an unreadable pack index', () => {
  let tmp: ReturnType<typeof makeTmp>;
  beforeEach(() => {
    tmp = makeTmp();
  });
  afterEach(() => tmp.cleanup());

  it('does not hide objects elsewhere, and a miss names the id and the broken pack', async () => {
    const gitdir = join(tmp.dir, 'repo.git');
    await initBareRepo(gitdir);
    const repo = await openRepository(gitdir);
    const loose = await repo.objects.write('blob', Buffer.from('loose\n'));
    const bad = join(gitdir, 'objects', 'pack', `pack-${'1'.repeat(40)}`);
    writeFileSync(`${bad}.idx`, Buffer.from('not an index at all'));
    writeFileSync(`${bad}.pack`, Buffer.from('PACK'));
    const fresh = await openRepository(gitdir);
    expect((await fresh.objects.read(loose)).data.toString()).toBe('loose\n');
    const missing = '2'.repeat(40);
    await expectCorrupt(fresh.objects.read(missing), missing);
    await expect(fresh.objects.read(missing)).rejects.toThrow(/pack-1111/);
    expect(await fresh.objects.has(missing)).toBe(false);
  });
});

describe('objects added or repacked by another process after open', () => {
  let tmp: ReturnType<typeof makeTmp>;
  let gitdir: string;
  beforeEach(async () => {
    tmp = makeTmp();
    gitdir = join(tmp.dir, 'repo.git');
    git(tmp.dir, ['init', '-q', '--bare', gitdir]);
  });
  afterEach(() => tmp.cleanup());

  it('finds a pack added after the first lookup', async () => {
    git(gitdir, ['-c', 'fastimport.unpackLimit=1', 'fast-import', '--quiet'], historyStream(3));
    const repo = await openRepository(gitdir);
    const first = git(gitdir, ['rev-parse', 'refs/heads/main']);
    expect((await repo.objects.read(first)).type).toBe('commit');
    expect(await repo.objects.has('e'.repeat(40))).toBe(false);
    const blob = git(gitdir, ['hash-object', '-w', '--stdin'], 'added later\n');
    git(gitdir, ['pack-objects', '-q', 'objects/pack/pack'], `${blob}\n`);
    git(gitdir, ['prune-packed']);
    expect(git(gitdir, ['count-objects'])).toMatch(/^0 objects/);
    expect((await repo.objects.read(blob)).data.toString()).toBe('added later\n');
    expect(await repo.objects.readHeader(blob)).toEqual({ type: 'blob', size: 12 });
    await repo.objects.close();
  });

  it('survives the packs it knew being replaced by a full repack', async () => {
    git(gitdir, ['-c', 'fastimport.unpackLimit=1', 'fast-import', '--quiet'], historyStream(6));
    const repo = await openRepository(gitdir);
    const head = git(gitdir, ['rev-parse', 'refs/heads/main']);
    expect(await repo.objects.has(head)).toBe(true);
    git(gitdir, ['repack', '-q', '-a', '-d', '-f']);
    const tree = git(gitdir, ['rev-parse', 'main^{tree}']);
    expect((await repo.objects.read(tree)).type).toBe('tree');
    await repo.objects.close();
  });
});
