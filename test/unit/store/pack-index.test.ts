import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PackIndex } from '../../../src/core/store/pack-index.js';

const dir = mkdtempSync(join(tmpdir(), 'vost-idx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A version 2 .idx holding `ids` (sorted here), entry i at offset 12 + 100 i. */
async function indexOf(name: string, ids: Buffer[]): Promise<{ idx: PackIndex; sorted: Buffer[] }> {
  const sorted = [...ids].sort(Buffer.compare);
  const fanout = Buffer.alloc(1024);
  for (let b = 0; b < 256; b++) fanout.writeUInt32BE(sorted.filter((id) => id[0]! <= b).length, b * 4);
  const offsets = Buffer.alloc(sorted.length * 4);
  sorted.forEach((_, i) => offsets.writeUInt32BE(12 + 100 * i, i * 4));
  const body = Buffer.concat([Buffer.from([0xff, 0x74, 0x4f, 0x63, 0, 0, 0, 2]), fanout, ...sorted, Buffer.alloc(sorted.length * 4), offsets, Buffer.alloc(20)]);
  const path = join(dir, `${name}.idx`);
  writeFileSync(path, Buffer.concat([body, createHash('sha1').update(body).digest()]));
  return { idx: await PackIndex.load(path), sorted };
}

const sha = (i: number) => createHash('sha1').update(String(i)).digest();

function expectFindsExactly(idx: PackIndex, sorted: Buffer[]): void {
  sorted.forEach((id, i) => expect(idx.find(id)).toBe(i));
  for (const id of sorted) {
    for (const byte of [19, 4, 1]) {
      const other = Buffer.from(id);
      other[byte] ^= 0x01;
      const at = sorted.findIndex((s) => s.equals(other));
      expect(idx.find(other)).toBe(at);
    }
  }
}

describe('PackIndex.find', () => {
  it('finds every id of a uniformly spread index and nothing else', async () => {
    const { idx, sorted } = await indexOf('uniform', Array.from({ length: 3000 }, (_, i) => sha(i)));
    expectFindsExactly(idx, sorted);
  });

  it('finds every id when ids crowd together (interpolation guesses badly)', async () => {
    const ids = Array.from({ length: 2000 }, (_, i) => {
      const id = Buffer.alloc(20, 0);
      id[0] = 0xab;
      // Most ids share bytes 1-4, a few sit at the far end of the key range.
      if (i % 500 === 0) id.fill(0xff, 1, 5);
      id.writeUInt32BE(i * 2654435761 >>> 0, 8);
      id[19] = i & 0xff;
      return id;
    });
    ids.push(Buffer.alloc(20, 0), Buffer.alloc(20, 0xff));
    const { idx, sorted } = await indexOf('skewed', ids);
    expectFindsExactly(idx, sorted);
  });

  it('knows each entry end from the offsets table', async () => {
    const { idx } = await indexOf('ends', Array.from({ length: 50 }, (_, i) => sha(i)));
    expect(idx.nextOffset(12, 99_999)).toBe(112);
    expect(idx.nextOffset(12 + 100 * 49, 99_999)).toBe(99_999);
  });
});
