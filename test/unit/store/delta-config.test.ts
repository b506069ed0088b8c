import { describe, expect, it } from 'vitest';
import { RepoConfig, parseGitSize } from '../../../src/core/store/config.js';
import { applyDelta, deltaSizes } from '../../../src/core/store/delta.js';
import { ByteLru } from '../../../src/core/store/lru.js';
import { encodeEntryHeader } from '../../../src/core/store/pack-format.js';

function varint(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

describe('delta', () => {
  const base = Buffer.from('0123456789abcdefghij');

  it('applies copy and insert opcodes', () => {
    const delta = Buffer.from([...varint(20), ...varint(9), 0x91, 10, 3, 4, ...Buffer.from('WXYZ'), 0x90, 2]);
    expect(deltaSizes(delta)).toEqual({ baseSize: 20, resultSize: 9, pos: 2 });
    expect(applyDelta(base, delta).toString()).toBe('abcWXYZ01');
  });

  it('treats a zero copy size as 64 KiB', () => {
    const big = Buffer.alloc(0x10000, 1);
    const delta = Buffer.from([...varint(0x10000), ...varint(0x10000), 0x80]);
    expect(applyDelta(big, delta).equals(big)).toBe(true);
  });

  it('rejects inconsistent deltas', () => {
    expect(() => applyDelta(base, Buffer.from([...varint(19), ...varint(1), 1, 65]))).toThrow(/base size/);
    expect(() => applyDelta(base, Buffer.from([...varint(20), ...varint(5), 0x91, 18, 5]))).toThrow(/out of range/);
    expect(() => applyDelta(base, Buffer.from([...varint(20), ...varint(2), 0]))).toThrow(/reserved/);
    expect(() => applyDelta(base, Buffer.from([...varint(20), ...varint(3), 1, 65]))).toThrow(/expected 3/);
  });
});

describe('pack entry header', () => {
  it('encodes type and size as git does', () => {
    expect([...encodeEntryHeader(3, 15)]).toEqual([0x3f]);
    expect([...encodeEntryHeader(1, 16)]).toEqual([0x90, 0x01]);
    expect([...encodeEntryHeader(3, 2 ** 33)]).toEqual([0xb0, 0x80, 0x80, 0x80, 0x80, 0x02]);
  });
});

describe('repo config', () => {
  it('reads sections, subsections, quoting and case-insensitive keys', () => {
    const cfg = new RepoConfig('[core]\n\tCompression = 3 ; comment\n[remote "origin"]\n\turl = "a b"\n[core]\n\tbigFileThreshold = 16k\n');
    expect(cfg.get('core', 'compression')).toBe('3');
    expect(cfg.get('remote', 'url', 'origin')).toBe('a b');
    expect(parseGitSize(cfg.get('core', 'bigfilethreshold'))).toBe(16384);
    expect(parseGitSize('2g')).toBe(2 * 1024 ** 3);
  });

  it('edits in place and appends new sections', () => {
    const cfg = new RepoConfig('# keep me\n[core]\n\tbare = true\n');
    cfg.set('core', 'compression', '9');
    cfg.set('core', 'bare', 'false');
    cfg.set('vost', 'x', 'has space ');
    expect(cfg.toString()).toBe('# keep me\n[core]\n\tbare = false\n\tcompression = 9\n[vost]\n\tx = "has space "\n');
    expect(new RepoConfig(cfg.toString()).get('vost', 'x')).toBe('has space ');
  });
});

describe('ByteLru', () => {
  it('evicts least recently used entries past its byte budget', () => {
    const lru = new ByteLru<Buffer>(100);
    lru.set('a', Buffer.alloc(20));
    lru.set('b', Buffer.alloc(20));
    lru.set('c', Buffer.alloc(20));
    lru.get('a');
    lru.set('d', Buffer.alloc(20));
    lru.set('e', Buffer.alloc(20));
    lru.set('f', Buffer.alloc(20));
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBeDefined();
    lru.set('huge', Buffer.alloc(60));
    expect(lru.get('huge')).toBeUndefined();
  });
});
