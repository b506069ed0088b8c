import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeCommit,
  decodeTag,
  decodeTree,
  encodeCommit,
  encodeTag,
  encodeTree,
  hashObject,
  parseIdent,
} from '../../../src/core/objects/index.js';

let dir: string;
const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
const git = (args: string[], input?: string | Buffer): Buffer => execFileSync('git', args, { cwd: dir, env, input });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vost-objects-'));
  git(['init', '-q', '--bare', '.']);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hashObject', () => {
  it('matches git hash-object for every type of input', () => {
    for (const s of ['', 'hello\n', 'x'.repeat(70_000)]) {
      expect(hashObject('blob', Buffer.from(s))).toBe(git(['hash-object', '--stdin'], s).toString().trim());
    }
  });
});

describe('trees', () => {
  const blob = 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391';
  const entries = [
    { name: 'foo.c', mode: '100644', oid: blob },
    { name: 'foo', mode: '040000', oid: '4b825dc642cb6eb9a060e54bf8d69288fbee4904' },
    { name: 'foo-bar', mode: '100755', oid: blob },
    { name: 'link', mode: '120000', oid: blob },
    { name: 'été', mode: '100644', oid: blob },
    { name: 'Z', mode: '160000', oid: '1234567890123456789012345678901234567890' },
  ];

  it('sorts like git mktree (trees compare with a trailing slash) and hashes the same', () => {
    git(['hash-object', '-w', '--stdin'], '');
    git(['mktree', '--missing'], '');
    const input = entries.map((e) => `${e.mode} ${e.mode === '040000' ? 'tree' : e.mode === '160000' ? 'commit' : 'blob'} ${e.oid}\t${e.name}\n`).join('');
    const gitTree = git(['mktree', '--missing'], input).toString().trim();
    const data = encodeTree(entries);
    expect(hashObject('tree', data)).toBe(gitTree);
    expect(git(['cat-file', 'tree', gitTree]).equals(data)).toBe(true);
    const back = decodeTree(data);
    expect(back.map((e) => e.name)).toEqual(['Z', 'foo-bar', 'foo.c', 'foo', 'link', 'été']);
    expect(back.find((e) => e.name === 'foo')!.mode).toBe('040000');
    expect(data.includes(Buffer.from('40000 foo\0'))).toBe(true);
    expect(data.includes(Buffer.from('040000'))).toBe(false);
  });

  it('rejects bad names and truncated data', () => {
    expect(() => encodeTree([{ name: 'a/b', mode: '100644', oid: blob }])).toThrow();
    expect(() => decodeTree(encodeTree(entries).subarray(0, 30))).toThrow();
  });
});

describe('commits and tags', () => {
  const who = { name: 'A U Thor', email: 'a@example.com', timestamp: 1700000000, tz: '-0730' };

  it('round-trips a signed commit with encoding and multi-line headers byte for byte', () => {
    const raw = Buffer.from(
      'tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n' +
        'parent 1111111111111111111111111111111111111111\n' +
        'parent 2222222222222222222222222222222222222222\n' +
        'author A U Thor <a@example.com> 1700000000 -0730\n' +
        'committer C O Mitter <c@example.com> 1700000100 +0100\n' +
        'encoding ISO-8859-1\n' +
        'gpgsig -----BEGIN PGP SIGNATURE-----\n \n line2\n -----END PGP SIGNATURE-----\n' +
        '\nsubject\n\nbody\n',
    );
    const c = decodeCommit(raw);
    expect(c.parents).toHaveLength(2);
    expect(c.committer).toEqual({ name: 'C O Mitter', email: 'c@example.com', timestamp: 1700000100, tz: '+0100' });
    expect(c.extraHeaders).toEqual([
      ['encoding', 'ISO-8859-1'],
      ['gpgsig', '-----BEGIN PGP SIGNATURE-----\n\nline2\n-----END PGP SIGNATURE-----'],
    ]);
    expect(c.message).toBe('subject\n\nbody\n');
    expect(encodeCommit(c).equals(raw)).toBe(true);
  });

  it('encodes a commit git accepts and parses identically', () => {
    git(['mktree'], '');
    const data = encodeCommit({ tree: '4b825dc642cb6eb9a060e54bf8d69288fbee4904', parents: [], author: who, committer: who, message: 'hi\n' });
    const oid = git(['hash-object', '-t', 'commit', '-w', '--stdin'], data).toString().trim();
    expect(oid).toBe(hashObject('commit', data));
    expect(git(['log', '-1', '--format=%an|%ae|%at|%ai|%s', oid]).toString().trim()).toBe('A U Thor|a@example.com|1700000000|2023-11-14 14:43:20 -0730|hi');
    git(['fsck', '--strict', '--no-dangling']);
  });

  it('encodes and decodes annotated tags', () => {
    const t = { object: '4b825dc642cb6eb9a060e54bf8d69288fbee4904', type: 'tree' as const, tag: 'v1', tagger: who, message: 'release\n' };
    const data = encodeTag(t);
    expect(data.toString()).toBe(
      'object 4b825dc642cb6eb9a060e54bf8d69288fbee4904\ntype tree\ntag v1\ntagger A U Thor <a@example.com> 1700000000 -0730\n\nrelease\n',
    );
    expect(decodeTag(data)).toEqual(t);
    git(['mktree'], '');
    git(['mktag'], data);
  });

  it('parses odd identities the way git splits them', () => {
    expect(parseIdent('No Email <> 0 +0000')).toEqual({ name: 'No Email', email: '', timestamp: 0, tz: '+0000' });
    expect(parseIdent('a <b> <c@d> 5 +0200').email).toBe('c@d');
  });
});
