/**
 * The read-only fixture shared by the ls/cat/hash/cmp tests: two commits on
 * main (plus `Initialize main`), branch `dev` and tag `v1` at the first one,
 * branch `big` holding a file big enough to be streamed by `cat`. Built by
 * git, never by vost, and packed by git so reads go through its packfiles.
 */
import { commitTree, git, makeRepo, type FixtureTree } from './helpers.js';

export const BIN_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

export const FIRST: FixtureTree = {
  'one.txt': 'one\n',
  'src/hello.txt': 'hi\n',
};

export const SECOND: FixtureTree = {
  'one.txt': 'one\n',
  'two.txt': 'two\n',
  'bin.dat': BIN_BYTES,
  'src/.dotfile': 'dot\n',
  'src/.hid/x': 'x',
  'src/hello.txt': 'hello\n',
  'src/link': { link: 'hello.txt' },
  'src/run.sh': { exec: '#!/bin/sh\n' },
  'src/sub/deep.txt': 'deep\n',
};

export function bigContent(): Buffer {
  const b = Buffer.alloc(5 * 1024 * 1024 + 123);
  for (let i = 0; i < b.length; i++) b[i] = (i * 31 + (i >> 9)) & 0xff;
  return b;
}

export function makeReadFixture(base: string): string {
  const repo = makeRepo(base, [
    { message: 'first', files: FIRST },
    { message: 'second', files: SECOND },
  ]);
  git(repo, ['update-ref', 'refs/heads/dev', 'main~1']);
  git(repo, ['update-ref', 'refs/tags/v1', 'main~1']);
  const big = commitTree(repo, git(repo, ['rev-parse', 'main']), { 'big.bin': bigContent() }, 'big');
  git(repo, ['update-ref', 'refs/heads/big', big]);
  git(repo, ['repack', '-a', '-d', '-q']);
  return repo;
}
