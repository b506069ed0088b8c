import { execFileSync } from 'node:child_process';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { inflateVerified } from '../../../src/core/store/deflated.js';

const gitId = (data: Buffer) => execFileSync('git', ['hash-object', '--stdin'], { input: data, encoding: 'utf8' }).trim();

describe('inflateVerified', () => {
  it('returns the content of a stream that is the blob it claims to be (git computes the id)', () => {
    for (const data of [Buffer.alloc(0), Buffer.from('hello\n'), Buffer.alloc(200_000, 'abc')]) {
      expect(inflateVerified(deflateSync(data), { size: data.length, oid: gitId(data) }).equals(data)).toBe(true);
    }
  });

  it('refuses another blob, another size, a damaged stream: CorruptObjectError naming the id', () => {
    const data = Buffer.from('the real content\n');
    const oid = gitId(data);
    const cases: Array<[Buffer, number, RegExp]> = [
      [deflateSync(Buffer.from('other content!!!\n')), data.length, /does not match its id/],
      [deflateSync(data), data.length + 1, /inflated to/],
      [deflateSync(data).subarray(0, 8), data.length, new RegExp(oid)],
    ];
    for (const [bytes, size, why] of cases) {
      expect(() => inflateVerified(bytes, { size, oid })).toThrow(expect.objectContaining({ code: 'CORRUPT_OBJECT', oid, message: expect.stringMatching(why) }));
    }
  });
});
