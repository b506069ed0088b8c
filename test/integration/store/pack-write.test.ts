import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeCommit, encodeTree } from '../../../src/core/objects/index.js';
import { initBareRepo, openRepository } from '../../../src/core/store/index.js';
import { allObjects, catBatch, git, useTempRepository } from './helpers.js';

const ident = { name: 'T', email: 't@example.com', timestamp: 1700000000, tz: '+0000' };

function packFiles(gitdir: string, ext: string): string[] {
  const dir = join(gitdir, 'objects', 'pack');
  return readdirSync(dir)
    .filter((n) => n.endsWith(ext))
    .map((n) => join(dir, n));
}

function looseCount(gitdir: string): number {
  return readdirSync(join(gitdir, 'objects')).filter((d) => /^[0-9a-f]{2}$/.test(d)).length;
}

/** Write a small tree of blobs + a commit through `write`, returning the commit id. */
async function commitFiles(
  write: (type: 'blob' | 'tree' | 'commit', data: Buffer) => Promise<string>,
  files: Record<string, Buffer>,
  parents: string[] = [],
): Promise<string> {
  const entries = [];
  for (const [name, data] of Object.entries(files)) entries.push({ name, mode: '100644', oid: await write('blob', data) });
  const tree = await write('tree', encodeTree(entries));
  return write('commit', encodeCommit({ tree, parents, author: ident, committer: ident, message: 'm\n' }));
}

describe('writing packs', () => {
  const t = useTempRepository();

  it('writes a pack git verifies, with an idx identical to git index-pack', async () => {
    const w = await t.repo.objects.packWriter();
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 50; i++) files[`f${i}`] = Buffer.from(`content ${i}\n`.repeat(i * 50 + 1));
    files.random = randomBytes(200_000);
    const commit = await commitFiles((t, d) => w.write(t, d), files);
    await w.write('blob', Buffer.from('content 1\n'.repeat(51)));
    expect(w.count).toBe(53);
    await w.finish();
    await t.repo.refs.update({ ref: 'refs/heads/main', newOid: commit });
    const [pack] = packFiles(t.gitdir, '.pack');
    const [idx] = packFiles(t.gitdir, '.idx');
    expect(git(t.gitdir, ['verify-pack', '-v', idx!])).toContain(': ok');
    git(t.gitdir, ['fsck', '--strict', '--no-dangling']);
    const rebuilt = join(t.tmp.dir, 'rebuilt.idx');
    git(t.gitdir, ['index-pack', '-o', rebuilt, pack!]);
    expect(readFileSync(rebuilt).equals(readFileSync(idx!))).toBe(true);
    expect(git(t.gitdir, ['cat-file', '-p', `${commit}:f3`])).toBe('content 3\n'.repeat(151).trim());
    expect(looseCount(t.gitdir)).toBe(0);
    expect((await t.repo.objects.read(commit)).type).toBe('commit');
  });

  it('uses the 64-bit offset table when told to, and git reads it', async () => {
    const w = await t.repo.objects.packWriter({ largeOffsetThreshold: 100 });
    const commit = await commitFiles((t, d) => w.write(t, d), { a: randomBytes(300), b: Buffer.from('b\n'), c: randomBytes(5000) });
    await w.finish();
    await t.repo.refs.update({ ref: 'refs/heads/main', newOid: commit });
    const [idx] = packFiles(t.gitdir, '.idx');
    const out = git(t.gitdir, ['verify-pack', '-v', idx!]);
    expect(out).toContain(': ok');
    git(t.gitdir, ['fsck', '--strict']);
    const fresh = await openRepository(t.gitdir);
    for (const oid of allObjects(t.gitdir)) expect((await fresh.objects.read(oid)).data.length).toBeGreaterThan(0);
    const rebuilt = join(t.tmp.dir, 'rebuilt.idx');
    git(t.gitdir, ['index-pack', '--index-version=2,100', '-o', rebuilt, packFiles(t.gitdir, '.pack')[0]!]);
    expect(readFileSync(rebuilt).equals(readFileSync(idx!))).toBe(true);
    await fresh.objects.close();
  });

  it('streams big files in, skips duplicates and objects already stored, and abort leaves nothing', async () => {
    const big = join(t.tmp.dir, 'big.bin');
    const data = Buffer.concat([randomBytes(3 << 20), Buffer.alloc(3 << 20, 7)]);
    writeFileSync(big, data);
    const existing = await t.repo.objects.write('blob', Buffer.from('already loose\n'));
    const w = await t.repo.objects.packWriter({ compression: 1 });
    const a = await w.writeFromFile(big);
    const b = await w.writeFromFile(big);
    expect(a).toEqual(b);
    expect(a.oid).toBe(git(t.gitdir, ['hash-object', big]));
    expect(await w.write('blob', Buffer.from('already loose\n'))).toBe(existing);
    expect(w.count).toBe(1);
    await w.finish();
    expect(git(t.gitdir, ['cat-file', '-s', a.oid])).toBe(String(data.length));
    expect(git(t.gitdir, ['verify-pack', packFiles(t.gitdir, '.idx')[0]!])).toBe('');
    const { stream } = await t.repo.objects.stream(a.oid);
    let n = 0;
    for await (const c of stream) n += (c as Buffer).length;
    expect(n).toBe(data.length);
    expect((await t.repo.objects.readRange(a.oid, (3 << 20) - 2, 4)).equals(data.subarray((3 << 20) - 2, (3 << 20) + 2))).toBe(true);

    const w2 = await t.repo.objects.packWriter();
    await w2.write('blob', Buffer.from('never lands'));
    await w2.abort();
    expect(readdirSync(join(t.gitdir, 'objects', 'pack')).filter((n) => n.startsWith('tmp_'))).toEqual([]);
    expect(packFiles(t.gitdir, '.pack')).toHaveLength(1);
  });

  it('concurrent writeFromFile calls land in one consistent pack', async () => {
    const paths: string[] = [];
    for (let i = 0; i < 40; i++) {
      const p = join(t.tmp.dir, `f${i}`);
      writeFileSync(p, i % 3 === 0 ? randomBytes(100_000 + i) : Buffer.from(`file ${i % 10}\n`));
      paths.push(p);
    }
    const w = await t.repo.objects.packWriter();
    const results = await Promise.all(paths.map((p) => w.writeFromFile(p)));
    await w.finish();
    for (const [i, r] of results.entries()) expect(r.oid).toBe(git(t.gitdir, ['hash-object', paths[i]!]));
    expect(w.count).toBe(new Set(results.map((r) => r.oid)).size);
    expect(git(t.gitdir, ['verify-pack', packFiles(t.gitdir, '.idx')[0]!])).toBe('');
  });

  it('pack() moves loose objects into a pack and gc() drops unreachable ones', async () => {
    const write = (type: 'blob' | 'tree' | 'commit', d: Buffer): Promise<string> => t.repo.objects.write(type, d);
    const c1 = await commitFiles(write, { a: Buffer.from('one\n') });
    const c2 = await commitFiles(write, { a: Buffer.from('two\n'), b: Buffer.from('bee\n') }, [c1]);
    const garbage = await t.repo.objects.write('blob', Buffer.from('unreachable\n'));
    await t.repo.refs.update({ ref: 'refs/heads/main', newOid: c2 });
    expect(await t.repo.objects.pack()).toBe(8);
    expect(looseCount(t.gitdir)).toBe(0);
    git(t.gitdir, ['fsck', '--strict']);
    expect(await t.repo.objects.has(garbage)).toBe(true);
    expect(await t.repo.objects.pack()).toBe(0);

    const c3 = await commitFiles(write, { a: Buffer.from('three\n') }, [c2]);
    await t.repo.refs.update({ ref: 'refs/heads/main', newOid: c3 });
    expect(await t.repo.objects.gc([c3])).toBe(10);
    expect(packFiles(t.gitdir, '.pack')).toHaveLength(1);
    expect(looseCount(t.gitdir)).toBe(0);
    expect(await t.repo.objects.has(garbage)).toBe(false);
    git(t.gitdir, ['fsck', '--strict', '--no-dangling']);
    expect(allObjects(t.gitdir)).toHaveLength(10);
    // A second gc produces the very same pack name: it must survive its own cleanup.
    expect(await t.repo.objects.gc([c3])).toBe(10);
    expect(packFiles(t.gitdir, '.pack')).toHaveLength(1);
    const all = allObjects(t.gitdir);
    const expected = catBatch(t.gitdir, all);
    for (const oid of all) expect((await t.repo.objects.read(oid)).data.equals(expected.get(oid)!.data)).toBe(true);
  });

  it('rewriting an existing object freshens it, so gc with a grace period keeps it', async () => {
    const hourAgo = new Date(Date.now() - 3600_000);
    const loose = await t.repo.objects.write('blob', Buffer.from('reused loose\n'));
    const w = await t.repo.objects.packWriter();
    const packed = await w.write('blob', Buffer.from('reused packed\n'));
    await w.finish();
    const loosePath = join(t.gitdir, 'objects', loose.slice(0, 2), loose.slice(2));
    const [packPath] = packFiles(t.gitdir, '.pack');
    utimesSync(loosePath, hourAgo, hourAgo);
    utimesSync(packPath!, hourAgo, hourAgo);
    const graceful = await openRepository(t.gitdir, { pruneGraceMs: 600_000 });
    await graceful.objects.write('blob', Buffer.from('reused loose\n'));
    await graceful.objects.write('blob', Buffer.from('reused packed\n'));
    expect(statSync(loosePath).mtimeMs).toBeGreaterThan(Date.now() - 60_000);
    expect(statSync(packPath!).mtimeMs).toBeGreaterThan(Date.now() - 60_000);
    const stale = await graceful.objects.write('blob', Buffer.from('old and unreferenced\n'));
    const stalePath = join(t.gitdir, 'objects', stale.slice(0, 2), stale.slice(2));
    utimesSync(stalePath, hourAgo, hourAgo);
    expect(await graceful.objects.gc([])).toBe(0);
    expect(await graceful.objects.has(loose)).toBe(true);
    expect(await graceful.objects.has(packed)).toBe(true);
    expect(await graceful.objects.has(stale)).toBe(false);
    await graceful.objects.close();
  });

  it('honours core.compression from the repo config', async () => {
    const g2 = join(t.tmp.dir, 'c0.git');
    await initBareRepo(g2, { compression: 0 });
    const r2 = await openRepository(g2);
    const oid = await r2.objects.write('blob', Buffer.alloc(10_000, 65));
    const raw = readFileSync(join(g2, 'objects', oid.slice(0, 2), oid.slice(2)));
    expect(raw.length).toBeGreaterThan(10_000);
    expect(git(g2, ['config', 'core.compression'])).toBe('0');
    git(g2, ['fsck', '--strict']);
  });
});
