import { deflateSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';

// Without node:zlib's internal handle (another Node version), inflateExact must take the public path.
vi.mock('node:zlib', async (importOriginal) => {
  const zlib = await importOriginal<typeof import('node:zlib')>();
  const createInflate = () => {
    const stream = zlib.createInflate();
    Object.defineProperty(stream, '_handle', { value: undefined });
    return stream;
  };
  return { ...zlib, default: { ...zlib, createInflate }, createInflate };
});

const { inflateExact, inflateExactInto } = await import('../../../src/core/store/inflate.js');

describe('inflateExact without the native handle', () => {
  it('inflates small and large objects and still refuses bad data', () => {
    const small = Buffer.from('small object\n'.repeat(3));
    const large = Buffer.alloc(100_000, 'large object ');
    expect(inflateExact(deflateSync(small), small.length).equals(small)).toBe(true);
    expect(inflateExact(deflateSync(large), large.length).equals(large)).toBe(true);
    expect(() => inflateExact(deflateSync(small), small.length + 1)).toThrow(/inflated to/);
    expect(() => inflateExact(deflateSync(large).subarray(0, 50), large.length)).toThrow();
  });

  it('inflates into a given buffer too', () => {
    const small = Buffer.from('small object\n'.repeat(3));
    const out = Buffer.alloc(small.length + 5, 0xee);
    expect(inflateExactInto(deflateSync(small), small.length, out, 4).equals(small)).toBe(true);
    expect(out.subarray(0, 4).every((b) => b === 0xee)).toBe(true);
    expect(() => inflateExactInto(deflateSync(small), small.length + 1, out, 0)).toThrow(/inflated to/);
  });
});
