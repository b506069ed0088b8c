import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoWithOffset } from '../../../src/cli/history.js';

let dir: string;
const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
const git = (args: string[], input?: string): string => execFileSync('git', args, { cwd: dir, env, input }).toString('utf8').trim();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vost-iso-'));
  git(['init', '-q', '--bare', '.']);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** git's `--date=iso-strict` rendering of a committer time in a zone. */
function gitIso(seconds: number, tz: string): string {
  const text = `tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor R <r@x> ${seconds} ${tz}\ncommitter R <r@x> ${seconds} ${tz}\n\nm\n`;
  const oid = git(['hash-object', '-t', 'commit', '-w', '--stdin'], text);
  return git(['log', '-1', '--no-walk', '--format=%cd', '--date=iso-strict', oid]);
}

describe('isoWithOffset', () => {
  it('renders times as git --date=iso-strict does, across days and zones', () => {
    // Consecutive calls share a cached day: go back and forth across midnights and zones.
    const cases: Array<[number, string]> = [
      [1700000000, '+0000'],
      [1700000001, '+0000'],
      [1699999999, '+0000'],
      [1700006399, '-0730'],
      [1700006400, '-0730'],
      [1700006399, '+0545'],
      [1700000000, '+0000'],
      [1699920000, '+0000'],
      [1699919999, '+0000'],
      [86399, '+1400'],
      [951782400, '-1200'],
      [951868799, '+0000'],
      [4107542400, '+0100'],
      [253402300799, '+0000'],
    ];
    for (const [seconds, tz] of cases) expect(`${seconds} ${tz} ${isoWithOffset(seconds, tz)}`).toBe(`${seconds} ${tz} ${gitIso(seconds, tz)}`);
  });

  it('keeps Date rendering outside years 0000-9999 and treats malformed zones as UTC', () => {
    expect(isoWithOffset(253402300800, '+0000')).toBe('+010000-01-01T00:00+00:00');
    expect(isoWithOffset(1700000000, 'bogus')).toBe('2023-11-14T22:13:20+00:00');
    expect(isoWithOffset(-1, '+0000')).toBe('1969-12-31T23:59:59+00:00');
  });
});
