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

const { inflateExact } = await import('../../../src/core/store/inflate.js');

describe('inflateExact without the native handle', () => {
  it('inflates small and large objects and still refuses bad data', () => {
    const small = Buffer.from('small object\n'.repeat(3));
    const large = Buffer.alloc(100_000, 'large object ');
    expect(inflateExact(deflateSync(small), small.length).equals(small)).toBe(true);
    expect(inflateExact(deflateSync(large), large.length).equals(large)).toBe(true);
    expect(() => inflateExact(deflateSync(small), small.length + 1)).toThrow(/inflated to/);
    expect(() => inflateExact(deflateSync(large).subarray(0, 50), large.length)).toThrow();
  });
});
