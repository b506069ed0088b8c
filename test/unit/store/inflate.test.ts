import { deflateRawSync, deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { inflateExact } from '../../../src/core/store/inflate.js';

const text = Buffer.from('a commit message, a tree, a small blob\n'.repeat(5));

describe('inflateExact', () => {
  it('inflates small and large streams to their exact size', () => {
    expect(inflateExact(deflateSync(text), text.length).equals(text)).toBe(true);
    expect(inflateExact(deflateSync(Buffer.alloc(0)), 0).length).toBe(0);
    const big = Buffer.alloc(3_000_000, 'xyz');
    expect(inflateExact(deflateSync(big), big.length).equals(big)).toBe(true);
  });

  it('ignores bytes after the end of the stream (the next pack entry)', () => {
    const withTail = Buffer.concat([deflateSync(text), Buffer.from('next entry')]);
    expect(inflateExact(withTail, text.length).equals(text)).toBe(true);
  });

  it('refuses a wrong size, a truncated stream, a bad checksum, a bad header; recovers after each', () => {
    const good = deflateSync(text);
    const badSum = Buffer.from(good);
    badSum[badSum.length - 1] ^= 1;
    const cases: Array<[Buffer, number, RegExp]> = [
      [good, text.length - 1, /inflated to/],
      [good, text.length + 1, /inflated to/],
      [good.subarray(0, good.length - 6), text.length, /bad zlib data/],
      [badSum, text.length, /bad zlib data/],
      [deflateRawSync(text), text.length, /bad zlib data/],
    ];
    for (const [data, size, error] of cases) {
      expect(() => inflateExact(data, size)).toThrow(error);
      // The reused inflater must be reset (or replaced) after any failure.
      expect(inflateExact(good, text.length).equals(text)).toBe(true);
    }
  });
});
