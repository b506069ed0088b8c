import { describe, expect, it } from 'vitest';
import { formatFromName, looksLikeZip, resolveOutputFormat, sniffCompression } from '../../../src/plugins/archive/format.js';
import { checkLimits, parseSize, resolveLimits, RATIO_FLOOR } from '../../../src/plugins/archive/limits.js';

describe('archive formats', () => {
  it('detects the format from the extension, case-insensitively', () => {
    expect(formatFromName('A.ZIP')).toEqual({ kind: 'zip' });
    expect(formatFromName('x.tar')).toEqual({ kind: 'tar', compression: 'none' });
    expect(formatFromName('x.TGZ')).toEqual({ kind: 'tar', compression: 'gzip' });
    expect(formatFromName('x.tar.gz')).toEqual({ kind: 'tar', compression: 'gzip' });
    expect(formatFromName('x.tbz2')).toEqual({ kind: 'tar', compression: 'bzip2' });
    expect(formatFromName('x.tar.xz')).toEqual({ kind: 'tar', compression: 'xz' });
    expect(formatFromName('x.txz')).toEqual({ kind: 'tar', compression: 'xz' });
    expect(formatFromName('x.gz')).toBeNull();
  });

  it('--format picks the container; tar keeps the compression of the name, stdout is plain', () => {
    expect(resolveOutputFormat('a.tar.xz', 'tar')).toEqual({ kind: 'tar', compression: 'xz' });
    expect(resolveOutputFormat('a.bin', 'tar')).toEqual({ kind: 'tar', compression: 'none' });
    expect(resolveOutputFormat('-', 'tar')).toEqual({ kind: 'tar', compression: 'none' });
    expect(resolveOutputFormat('a.tar.gz', 'zip')).toEqual({ kind: 'zip' });
    expect(() => resolveOutputFormat('a.rar', undefined)).toThrow('Cannot detect archive format from extension: a.rar\nUse --format zip or --format tar');
  });

  it('recognises compression and zip magic bytes', () => {
    expect(sniffCompression(Buffer.from([0x1f, 0x8b, 8]))).toBe('gzip');
    expect(sniffCompression(Buffer.from('BZh9'))).toBe('bzip2');
    expect(sniffCompression(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0]))).toBe('xz');
    expect(sniffCompression(Buffer.from('ustar'))).toBe('none');
    expect(looksLikeZip(Buffer.from([0x50, 0x4b, 3, 4]))).toBe(true);
    expect(looksLikeZip(Buffer.from([0x50, 0x4b, 5, 6]))).toBe(true);
    expect(looksLikeZip(Buffer.from('PK'))).toBe(false);
  });
});

describe('archive limits', () => {
  it('parses sizes with binary units', () => {
    expect(parseSize('123')).toBe(123);
    expect(parseSize('10k')).toBe(10240);
    expect(parseSize('2G')).toBe(2 * 1024 ** 3);
    expect(parseSize('1.5MiB')).toBe(1.5 * 1024 ** 2);
    expect(() => parseSize('lots')).toThrow('Invalid size: lots');
  });

  it('flags beat the environment, which beats the defaults; 0 disables', () => {
    expect(resolveLimits({ VOST_ARCHIVE_MAX_SIZE: '1M' }, { maxSize: '2M' }).maxTotalBytes).toBe(2 << 20);
    expect(resolveLimits({ VOST_ARCHIVE_MAX_RATIO: '50' }).maxRatio).toBe(50);
    const off = resolveLimits({}, { maxSize: '0', maxRatio: '0' });
    expect(() => checkLimits(off, 1e15, 1)).not.toThrow();
  });

  it('judges the ratio only above the floor', () => {
    const lim = { maxTotalBytes: 0, maxRatio: 10 };
    expect(() => checkLimits(lim, RATIO_FLOOR, 1)).not.toThrow();
    expect(() => checkLimits(lim, RATIO_FLOOR + 1, 1)).toThrow(/ratio exceeds 10:1/);
    expect(() => checkLimits(lim, RATIO_FLOOR + 1, RATIO_FLOOR)).not.toThrow();
  });
});
