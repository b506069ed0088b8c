import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCommit, decodeTag, parseIdent } from '../../../src/core/objects/index.js';

let dir: string;
const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
const git = (args: string[], input?: string | Buffer): string =>
  execFileSync('git', args, { cwd: dir, env, input }).toString('utf8');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vost-commit-parse-'));
  git(['init', '-q', '--bare', '.']);
  git(['mktree'], '');
  expect(git(['hash-object', '-t', 'commit', '-w', '--stdin'], ROOT).trim()).toBe(PARENT);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
/** A root commit git has stored, so that the cases below have real parents. */
const PARENT = '0d05c8358e215289a50f11530e4cee22f1bb667c';
const ROOT = `tree ${TREE}\nauthor R <r@x> 1 +0000\ncommitter R <r@x> 1 +0000\n\nroot\n`;

/** Store `text` as a commit with git and read back what git sees in it. */
function gitView(text: string) {
  const oid = git(['hash-object', '-t', 'commit', '-w', '--literally', '--stdin'], text).trim();
  const fmt = ['%T', '%P', '%an', '%ae', '%at', '%cn', '%ce', '%ct', '%B'].join('%x00');
  const [tree, parents, an, ae, at, cn, ce, ct, body] = git(['log', '-1', '--no-walk', `--format=${fmt}`, oid]).split('\0');
  return { tree, parents: parents ? parents.split(' ') : [], an, ae, at: Number(at), cn, ce, ct: Number(ct), body };
}

describe('decodeCommit against git', () => {
  const cases: Record<string, string> = {
    plain: `tree ${TREE}\nparent ${PARENT}\nauthor A U Thor <a@x> 1700000000 +0100\ncommitter C O Mitter <c@x> 1700000001 -0730\n\nsubject\n\nbody\n`,
    'signed, multi-line header': `tree ${TREE}\nauthor A <a@x> 1 +0000\ncommitter C <c@x> 2 +0000\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n abc\n -----END PGP SIGNATURE-----\nencoding UTF-8\n\nmsg\n`,
    'root commit, no trailing newline': `tree ${TREE}\nauthor Ünïcödé Nàme <u@x> 1700000000 +0545\ncommitter C <c@x> 1700000000 +0545\n\nno newline`,
    'no message at all': `tree ${TREE}\nauthor A <a@x> 5 +0000\ncommitter C <c@x> 6 +0000\n`,
    'two parents, empty name': `tree ${TREE}\nparent ${PARENT}\nparent ${PARENT}\nauthor <a@x> 7 +0000\ncommitter C <c@x> 8 +0000\n\nmerge\n`,
  };
  for (const [name, text] of Object.entries(cases)) {
    it(`reads a ${name} commit as git does`, () => {
      const c = decodeCommit(Buffer.from(text));
      const g = gitView(text);
      expect(c.tree).toBe(g.tree);
      expect(c.parents).toEqual(g.parents);
      expect([c.author.name, c.author.email, c.author.timestamp]).toEqual([g.an, g.ae, g.at]);
      expect([c.committer.name, c.committer.email, c.committer.timestamp]).toEqual([g.cn, g.ce, g.ct]);
      expect(c.message.replace(/\n+$/, '')).toBe(g.body!.replace(/\n+$/, ''));
    });
  }

  it('keeps unknown headers in order, continuation lines joined', () => {
    const c = decodeCommit(Buffer.from(cases['signed, multi-line header']!));
    expect(c.extraHeaders).toEqual([
      ['gpgsig', '-----BEGIN PGP SIGNATURE-----\n\nabc\n-----END PGP SIGNATURE-----'],
      ['encoding', 'UTF-8'],
    ]);
    expect(c.message).toBe('msg\n');
    expect(decodeCommit(Buffer.from(cases['no message at all']!)).message).toBe('');
  });

  it('reads a header line without a value and a tag without a message', () => {
    const t = decodeTag(Buffer.from(`object ${TREE}\ntype tree\ntag v1\nflag\n`));
    expect(t).toEqual({ object: TREE, type: 'tree', tag: 'v1', message: '', extraHeaders: [['flag', '']] });
  });
});

describe('parseIdent', () => {
  it('splits seconds and zone on any whitespace and defaults what is missing', () => {
    expect(parseIdent('A <a@x>\t1700000000\t+0200')).toEqual({ name: 'A', email: 'a@x', timestamp: 1700000000, tz: '+0200' });
    expect(parseIdent('A  <a@x>  12   -0100  ')).toEqual({ name: 'A ', email: 'a@x', timestamp: 12, tz: '-0100' });
    expect(parseIdent('A <a@x> 12')).toEqual({ name: 'A', email: 'a@x', timestamp: 12, tz: '+0000' });
    expect(parseIdent('A <a@x>')).toEqual({ name: 'A', email: 'a@x', timestamp: 0, tz: '+0000' });
    expect(parseIdent('A <a@x> junk +0300')).toEqual({ name: 'A', email: 'a@x', timestamp: 0, tz: '+0300' });
    expect(() => parseIdent('no email here')).toThrow(/Malformed identity/);
  });
});
