import { describe, expect, it } from 'vitest';
import { normalizeRepoPath, parsePathArg, parseRefTarget, parseRepoPathArg } from '../../../src/cli/refpath.js';

describe('parsePathArg (cli.md §3.1)', () => {
  it('classifies local and repo paths by the first colon', () => {
    expect(parsePathArg('file.txt')).toEqual({ kind: 'local', path: 'file.txt', raw: 'file.txt' });
    expect(parsePathArg(':')).toMatchObject({ kind: 'repo', ref: '', back: 0, path: '' });
    expect(parsePathArg(':docs/a')).toMatchObject({ kind: 'repo', ref: '', path: 'docs/a' });
    expect(parsePathArg('main:')).toMatchObject({ kind: 'repo', ref: 'main', path: '' });
    expect(parsePathArg('a:b:c')).toMatchObject({ kind: 'repo', ref: 'a', path: 'b:c' });
  });

  it('treats drive letters and slashes before the colon as local', () => {
    expect(parsePathArg('C:/x').kind).toBe('local');
    expect(parsePathArg('d:\\data').kind).toBe('local');
    expect(parsePathArg('é:/x').kind).toBe('local');
    expect(parsePathArg('C:x')).toMatchObject({ kind: 'repo', ref: 'C', path: 'x' });
    expect(parsePathArg('./a:b').kind).toBe('local');
    expect(parsePathArg('/tmp/x:y').kind).toBe('local');
    expect(parsePathArg('a\\b:c').kind).toBe('local');
  });

  it('splits ~N at the last tilde and rejects bad suffixes', () => {
    expect(parsePathArg('main~3:f.txt')).toMatchObject({ ref: 'main', back: 3, path: 'f.txt' });
    expect(parsePathArg('~2:f.txt')).toMatchObject({ ref: '', back: 2 });
    expect(parsePathArg('a~b~1:f')).toMatchObject({ ref: 'a~b', back: 1 });
    expect(() => parsePathArg('main~0:f')).toThrow("Invalid ancestor '~0' — use 'main:f' instead");
    expect(() => parsePathArg('main~x:f')).toThrow("Invalid ancestor suffix '~x' — must be a positive integer");
    expect(() => parsePathArg('main~:f')).toThrow("Invalid ancestor suffix '~' — must be a positive integer");
  });

  it('reads bare words as repo paths for ls/cat/rm/write', () => {
    expect(parseRepoPathArg('a/b.txt')).toMatchObject({ kind: 'repo', ref: '', back: 0, path: 'a/b.txt' });
  });
});

describe('parseRefTarget (hash/log/diff)', () => {
  it('reads a bare word as a ref with an optional ~N', () => {
    expect(parseRefTarget('main')).toMatchObject({ ref: 'main', back: 0, path: '', hasPath: false });
    expect(parseRefTarget('main~2')).toMatchObject({ ref: 'main', back: 2 });
    expect(parseRefTarget('~3')).toMatchObject({ ref: '', back: 3 });
    expect(() => parseRefTarget('main~0')).toThrow("Invalid ancestor '~0' — use 'main:' instead");
  });

  it('reads ref:path forms', () => {
    expect(parseRefTarget('main:config.json')).toMatchObject({ ref: 'main', path: 'config.json', hasPath: true });
    expect(parseRefTarget('~3:c')).toMatchObject({ ref: '', back: 3, path: 'c' });
  });
});

describe('normalizeRepoPath (cli.md §3.2)', () => {
  it('strips slashes and dot segments', () => {
    expect(normalizeRepoPath('/foo/')).toBe('foo');
    expect(normalizeRepoPath('a/./b')).toBe('a/b');
    expect(normalizeRepoPath('', { allowRoot: true })).toBe('');
    expect(normalizeRepoPath('./', { allowRoot: true })).toBe('');
  });

  it('rejects .., empty segments and empty paths', () => {
    expect(() => normalizeRepoPath('a/../b')).toThrow("Invalid repo path: Invalid path segment: '..'");
    expect(() => normalizeRepoPath('a//b')).toThrow("Invalid repo path: Empty segment in path: 'a//b'");
    expect(() => normalizeRepoPath('/')).toThrow('Repo path must not be empty');
  });
});
