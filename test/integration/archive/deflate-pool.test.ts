import { crc32, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DeflatePool, packInline } from '../../../src/plugins/archive/deflate-pool.js';

const batchOf = (seed: number): Buffer[] =>
  Array.from({ length: 40 }, (_, i) => (i % 13 === 0 ? Buffer.alloc(0) : Buffer.from(`${seed}:${i} `.repeat(1 + ((i * 97 + seed) % 900)))));

describe('deflate pool', () => {
  it('several workers return each batch deflated, with CRCs, to the caller that sent it', async () => {
    const pool = new DeflatePool(3);
    try {
      const batches = Array.from({ length: 7 }, (_, b) => batchOf(b));
      const results = await Promise.all(batches.map((items) => pool.pack(items)));
      results.forEach((packed, b) => {
        expect(packed).toHaveLength(batches[b]!.length);
        packed.forEach((p, i) => {
          const data = batches[b]![i]!;
          expect(p.crc).toBe(crc32(data) >>> 0);
          if (data.length === 0) expect(p.deflated).toBeNull();
          else expect(inflateRawSync(p.deflated!).equals(data)).toBe(true);
        });
      });
      expect(packInline(batches[3]!).map((p) => p.crc)).toEqual(results[3]!.map((p) => p.crc));
    } finally {
      await pool.close();
    }
  });

  it('a closed pool rejects new batches', async () => {
    const pool = new DeflatePool(1);
    await pool.pack(batchOf(1));
    await pool.close();
    await expect(pool.pack(batchOf(2))).rejects.toThrow('deflate pool closed');
  });
});
