import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObjectNotFoundError } from '../../../src/core/errors.js';
import { openRepository } from '../../../src/core/store/index.js';
import { allObjects, catBatch, git, makeTmp } from './helpers.js';
import { gitMadeRepo } from './fixtures.js';

describe.each(['loose', 'aggressive', 'ref-delta'] as const)('reading a repo git made (%s)', (mode) => {
  const tmp = makeTmp();
  let gitdir: string;
  let oids: string[];
  beforeAll(() => {
    gitdir = gitMadeRepo(tmp.dir, mode);
    oids = allObjects(gitdir);
  });
  afterAll(() => tmp.cleanup());

  it('reads every object exactly as git cat-file --batch does', async () => {
    const expected = catBatch(gitdir, oids);
    const repo = await openRepository(gitdir);
    for (const oid of oids) {
      const obj = await repo.objects.read(oid);
      const want = expected.get(oid)!;
      expect(obj.type).toBe(want.type);
      expect(obj.data.equals(want.data)).toBe(true);
      expect(await repo.objects.readHeader(oid)).toEqual({ type: want.type, size: want.data.length });
    }
    await repo.objects.close();
  });

  it('has deep delta chains when packed aggressively', () => {
    if (mode !== 'aggressive') return;
    const out = git(gitdir, ['verify-pack', '-v', ...listIdx(gitdir)]);
    const depths = [...out.matchAll(/^chain length = (\d+):/gm)].map((m) => Number(m[1]));
    expect(Math.max(...depths)).toBeGreaterThan(10);
  });

  it('streams, reads ranges, finds by prefix', async () => {
    const repo = await openRepository(gitdir);
    const blob = git(gitdir, ['rev-parse', 'main:dir0/file0.txt']);
    const full = (await repo.objects.read(blob)).data;
    const { header, stream } = await repo.objects.stream(blob);
    const parts: Buffer[] = [];
    for await (const c of stream) parts.push(c as Buffer);
    expect(header).toEqual({ type: 'blob', size: full.length });
    expect(Buffer.concat(parts).equals(full)).toBe(true);
    expect((await repo.objects.readRange(blob, 10, 25)).equals(full.subarray(10, 35))).toBe(true);
    expect((await repo.objects.readRange(blob, full.length - 5)).equals(full.subarray(full.length - 5))).toBe(true);
    const prefix = blob.slice(0, 4);
    expect(await repo.objects.findByPrefix(prefix)).toEqual(oids.filter((o) => o.startsWith(prefix)).sort());
    expect(await repo.objects.findByPrefix(blob)).toEqual([blob]);
    expect(await repo.objects.has(blob)).toBe(true);
    expect(await repo.objects.has('f'.repeat(40))).toBe(false);
    await expect(repo.objects.read('f'.repeat(40))).rejects.toBeInstanceOf(ObjectNotFoundError);
    await repo.objects.close();
  });

  it('reads refs, packed-refs and annotated tags', async () => {
    const repo = await openRepository(gitdir);
    const heads = await repo.refs.list('refs/');
    const gitRefs = git(gitdir, ['for-each-ref', '--format=%(refname) %(objectname)']).split('\n');
    expect(heads.map((r) => `${r.ref} ${r.oid}`)).toEqual(gitRefs);
    expect(await repo.refs.resolve('HEAD')).toBe(git(gitdir, ['rev-parse', 'HEAD']));
    const tagOid = (await repo.refs.resolve('refs/tags/v1'))!;
    const tag = await repo.objects.read(tagOid);
    expect(tag.type).toBe('tag');
    if (mode === 'ref-delta') {
      expect(await repo.refs.peeled!('refs/tags/v1')).toBe(git(gitdir, ['rev-parse', 'v1^{commit}']));
    }
  });
});

function listIdx(gitdir: string): string[] {
  const dir = join(gitdir, 'objects', 'pack');
  return readdirSync(dir)
    .filter((n) => n.endsWith('.idx'))
    .map((n) => join(dir, n));
}
