import { deflateRawSync, deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { inflateExact, inflateExactInto } from '../../../src/core/store/inflate.js';

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

describe('inflateExactInto', () => {
  it('inflates into the given buffer at an offset, touching nothing outside the content and its spare byte', () => {
    const out = Buffer.alloc(text.length + 20, 0xee);
    const view = inflateExactInto(deflateSync(text), text.length, out, 7);
    expect(view.equals(text)).toBe(true);
    expect(view.buffer).toBe(out.buffer);
    expect(view.byteOffset).toBe(out.byteOffset + 7);
    expect(out.subarray(0, 7).every((b) => b === 0xee)).toBe(true);
    expect(out.subarray(7 + text.length + 1).every((b) => b === 0xee)).toBe(true);
  });

  it('refuses a stream of another size or a damaged one', () => {
    const out = Buffer.alloc(text.length + 2);
    expect(() => inflateExactInto(deflateSync(text), text.length - 1, out, 0)).toThrow(/inflated to/);
    expect(() => inflateExactInto(deflateSync(text).subarray(0, 20), text.length, out, 0)).toThrow();
    expect(inflateExactInto(deflateSync(text), text.length, out, 1).equals(text)).toBe(true);
  });
});
