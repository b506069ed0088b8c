import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRepository } from '../../../src/core/store/index.js';
import type { FileObjectStore } from '../../../src/core/store/object-store.js';
import { historyStream } from './fixtures.js';
import { catBatch, git, makeTmp } from './helpers.js';

/**
 * Packed objects are read through a read-ahead window when consecutive reads
 * are close together. Reading every object forwards, backwards and in a
 * scattered order must give exactly what git gives, whatever the window holds.
 */
describe('reading a pack in any order', () => {
  const tmp = makeTmp();
  let gitdir: string;
  let byOffset: string[];
  let expected: Map<string, { type: string; data: Buffer }>;

  beforeAll(() => {
    gitdir = join(tmp.dir, 'repo.git');
    git(tmp.dir, ['init', '-q', '--bare', '--initial-branch=main', gitdir]);
    git(gitdir, ['-c', 'fastimport.unpackLimit=1', 'fast-import', '--quiet'], historyStream(150, 3));
    // Two incompressible blobs bigger than a synchronous read, next to small entries.
    const big = randomBytes(600_000);
    const stream = `blob\nmark :1\ndata ${big.length}\n${big.toString('latin1')}\nblob\nmark :2\ndata ${big.length}\n${big.reverse().toString('latin1')}\n`;
    // And incompressible ones whose zlib streams outrun the first bytes an extent-less read takes.
    const medium = [5_000, 40_000].map((n) => randomBytes(n));
    const mediumStream = medium.map((b, i) => `blob\nmark :${i + 3}\ndata ${b.length}\n${b.toString('latin1')}\n`).join('');
    const commit = 'commit refs/heads/big\ncommitter T <t@example.com> 1700000000 +0000\ndata 3\nbig\nM 100644 :1 a.bin\nM 100644 :2 b.bin\nM 100644 :3 c.bin\nM 100644 :4 d.bin\n\n';
    git(gitdir, ['fast-import', '--quiet'], Buffer.from(stream + mediumStream + commit, 'latin1'));
    git(gitdir, ['gc', '-q', '--prune=now']);
    const idx = readdirSync(join(gitdir, 'objects', 'pack')).find((n) => n.endsWith('.idx'))!;
    const rows = git(gitdir, ['show-index'], readFileSync(join(gitdir, 'objects', 'pack', idx)));
    byOffset = rows
      .split('\n')
      .map((r) => r.split(' '))
      .sort((a, b) => Number(a[0]) - Number(b[0]))
      .map((r) => r[1]!);
    expected = catBatch(gitdir, byOffset);
  });
  afterAll(() => tmp.cleanup());

  const orders: Record<string, (ids: string[]) => string[]> = {
    forwards: (ids) => ids,
    backwards: (ids) => [...ids].reverse(),
    scattered: (ids) => ids.map((_, i) => ids[(i * 7919) % ids.length]!),
    zigzag: (ids) => ids.flatMap((id, i) => (i % 2 ? [id, ids[ids.length - 1 - i]!] : [id])),
  };

  for (const [name, order] of Object.entries(orders)) {
    it(`reads ${name} exactly as git cat-file does`, async () => {
      const repo = await openRepository(gitdir);
      expect(byOffset.length).toBeGreaterThan(400);
      for (const oid of order(byOffset)) {
        const want = expected.get(oid)!;
        const header = await repo.objects.readHeader(oid);
        const obj = await repo.objects.read(oid);
        expect(header).toEqual({ type: want.type, size: want.data.length });
        expect(obj.type).toBe(want.type);
        expect(obj.data.equals(want.data)).toBe(true);
      }
      await repo.objects.close();
    });

    it(`reads ${name} without header lookups, small entries by their zlib stream alone`, async () => {
      const repo = await openRepository(gitdir);
      const small = order(byOffset).filter((oid) => expected.get(oid)!.data.length < 100_000);
      for (const oid of small) {
        const want = expected.get(oid)!;
        const obj = await repo.objects.read(oid);
        expect(obj.type).toBe(want.type);
        expect(obj.data.equals(want.data)).toBe(true);
      }
      // Nothing needed the index's entry ends, so every entry was read by its stream.
      const packs = await (repo.objects as FileObjectStore).packs.list();
      expect(packs.map((p) => p.loadedIndex?.endsKnown)).toEqual([false]);
      await repo.objects.close();
    });
  }
});
