import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CorruptPackError } from '../../../src/core/errors.js';
import { initBareRepo, openRepository } from '../../../src/core/store/index.js';
import { gitMadeRepo } from './fixtures.js';
import { allObjects, catBatch, git, gitRaw, makeTmp } from './helpers.js';

function only(gitdir: string, ext: string): string {
  const dir = join(gitdir, 'objects', 'pack');
  const names = readdirSync(dir).filter((n) => n.endsWith(ext));
  expect(names).toHaveLength(1);
  return join(dir, names[0]!);
}

async function* chunks(buf: Buffer, size = 7919): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

describe('importing received packs', () => {
  const tmp = makeTmp();
  let source: string;
  beforeAll(() => {
    source = gitMadeRepo(tmp.dir, 'aggressive', 30);
  });
  afterAll(() => tmp.cleanup());

  it('installs a full pack with deltas; the idx matches git index-pack byte for byte', async () => {
    const pack = gitRaw(source, ['pack-objects', '--all', '--stdout', '-q'], '');
    const dest = join(tmp.dir, 'full.git');
    await initBareRepo(dest);
    const repo = await openRepository(dest);
    const result = await repo.objects.importPack(chunks(pack));
    expect(result.count).toBe(allObjects(source).length);
    const idx = only(dest, '.idx');
    const rebuilt = join(tmp.dir, 'full-rebuilt.idx');
    git(dest, ['index-pack', '-o', rebuilt, only(dest, '.pack')]);
    expect(readFileSync(rebuilt).equals(readFileSync(idx))).toBe(true);
    const oids = allObjects(dest);
    const want = catBatch(source, oids);
    for (const oid of oids) expect((await repo.objects.read(oid)).data.equals(want.get(oid)!.data)).toBe(true);
    await repo.objects.close();
  });

  it('completes a thin pack with the bases it leaves out', async () => {
    // The second commit shrinks a big file: git deltifies it against the first version, which the receiver has.
    const lines = Array.from({ length: 400 }, (_, i) => `line ${i} of a file big enough to be worth a delta`);
    const v1 = `${lines.join('\n')}\n`;
    const v2 = `${lines.slice(0, 390).join('\n')}\n`;
    const origin = join(tmp.dir, 'origin.git');
    git(tmp.dir, ['init', '-q', '--bare', origin]);
    const stream = (n: number, data: string, from?: string): string =>
      `commit refs/heads/main\ncommitter T <t@e> ${1700000000 + n} +0000\ndata 2\nc${n}\n${from ? `from ${from}\n` : ''}M 100644 inline f.txt\ndata ${data.length}\n${data}\n`;
    git(origin, ['fast-import', '--quiet'], stream(1, v1));
    const first = git(origin, ['rev-parse', 'main']);
    git(origin, ['fast-import', '--quiet'], stream(2, v2, first));
    const second = git(origin, ['rev-parse', 'main']);
    const thin = gitRaw(origin, ['pack-objects', '--thin', '--stdout', '-q', '--revs'], `${second}\n^${first}\n`);

    const dest = join(tmp.dir, 'thin.git');
    git(tmp.dir, ['init', '-q', '--bare', dest]);
    git(dest, ['fetch', '-q', origin, `${first}:refs/heads/main`]);
    const repo = await openRepository(dest);
    const result = await repo.objects.importPack(chunks(thin));
    // The outside base was appended to the pack.
    expect(result.count).toBe(thin.readUInt32BE(8) + 1);
    await repo.refs.update({ ref: 'refs/heads/main', newOid: second });
    git(dest, ['fsck', '--strict', '--no-dangling']);
    expect(git(dest, ['verify-pack', result.packPath!.replace(/\.pack$/, '.idx')])).toBe('');
    expect(git(dest, ['cat-file', 'blob', 'main:f.txt'])).toBe(v2.trimEnd());
    expect((await repo.objects.read(git(dest, ['rev-parse', 'main:f.txt']))).data.toString()).toBe(v2);
    await repo.objects.close();
  });

  it('hashes big entries by streaming them', async () => {
    const origin = join(tmp.dir, 'bigblob.git');
    git(tmp.dir, ['init', '-q', '--bare', origin]);
    const data = Buffer.concat([randomBytes(5 << 20), Buffer.alloc(5 << 20, 9)]);
    const blob = git(origin, ['hash-object', '-w', '--stdin'], data);
    const small = git(origin, ['hash-object', '-w', '--stdin'], 'after the big one\n');
    const pack = gitRaw(origin, ['pack-objects', '--stdout', '-q'], `${blob}\n${small}\n`);
    const dest = join(tmp.dir, 'bigblob-dest.git');
    await initBareRepo(dest);
    const repo = await openRepository(dest);
    expect((await repo.objects.importPack(chunks(pack, 1 << 20))).count).toBe(2);
    expect(git(dest, ['verify-pack', only(dest, '.idx')])).toBe('');
    expect((await repo.objects.read(blob)).data.equals(data)).toBe(true);
    expect((await repo.objects.read(small)).data.toString()).toBe('after the big one\n');
    await repo.objects.close();
  });

  it('rejects a corrupted or truncated pack and leaves no files behind', async () => {
    const pack = gitRaw(source, ['pack-objects', '--all', '--stdout', '-q'], '');
    const dest = join(tmp.dir, 'bad.git');
    await initBareRepo(dest);
    const repo = await openRepository(dest);
    const flipped = Buffer.from(pack);
    flipped[flipped.length >> 1] ^= 0x40;
    await expect(repo.objects.importPack(chunks(flipped))).rejects.toBeInstanceOf(CorruptPackError);
    await expect(repo.objects.importPack(chunks(pack.subarray(0, pack.length - 100)))).rejects.toBeInstanceOf(CorruptPackError);
    expect(readdirSync(join(dest, 'objects', 'pack'))).toEqual([]);
  });
});
