import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nodeFs from 'node:fs';
import { globMatch, diskGlob, ExcludeFilter, type FsModule } from '../../../src/core/index.js';

describe('globMatch', () => {
  it('wildcards, classes and the dotfile rule', () => {
    expect(globMatch('*.txt', 'a.txt')).toBe(true);
    expect(globMatch('*.txt', '.a.txt')).toBe(false);
    expect(globMatch('.*', '.a')).toBe(true);
    expect(globMatch('?', 'ab')).toBe(false);
    expect(globMatch('f[12].txt', 'f2.txt')).toBe(true);
    expect(globMatch('f[!12].txt', 'f2.txt')).toBe(false);
    expect(globMatch('f[a-c]', 'fb')).toBe(true);
    expect(globMatch('f[', 'f[')).toBe(true);
    expect(globMatch('A*', 'abc')).toBe(false);
    expect(globMatch('a.c', 'abc')).toBe(false);
    expect(globMatch('fix *', 'fix bug\nmore')).toBe(false);
    expect(globMatch('(x)+', '(x)+')).toBe(true);
  });
});

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'vost-glob-'));
  for (const f of ['a.txt', 'b.csv', '.hidden.txt', 'data/x.csv', 'data/y.txt', 'data/.cache/z.csv', 'data/deep/w.csv']) {
    mkdirSync(join(root, f, '..'), { recursive: true });
    writeFileSync(join(root, f), f);
  }
  symlinkSync('..', join(root, 'data/loop'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('diskGlob', () => {
  it('both signatures, sorted, dotfile rule, ** without dot dirs, cycle safe', async () => {
    const prev = process.cwd();
    process.chdir(root);
    try {
      expect(await diskGlob('*.txt')).toEqual(['a.txt']);
      expect(await diskGlob(nodeFs as unknown as FsModule, './data/*.csv')).toEqual(['data/x.csv']);
      expect(await diskGlob('.*')).toEqual(['.hidden.txt']);
      const deep = await diskGlob('**/*.csv');
      expect(deep).toContain('data/deep/w.csv');
      expect(deep).toContain('b.csv');
      expect(deep.some((p) => p.includes('.cache'))).toBe(false);
      expect(new Set(deep).size).toBe(deep.length);
      expect(await diskGlob('data/missing.txt')).toEqual([]);
      expect(await diskGlob('data/y.txt')).toEqual(['data/y.txt']);
      expect(await diskGlob('')).toEqual([]);
    } finally {
      process.chdir(prev);
    }
    expect(await diskGlob(`${root}/data/*.txt`)).toEqual([join(root, 'data/y.txt')]);
  });
});

describe('ExcludeFilter', () => {
  it('gitignore semantics: anchors, dir-only, negation, ** and classes', () => {
    const f = new ExcludeFilter({ patterns: ['*.pyc', '/build', 'logs/', '!keep.pyc', '# comment', '', 'docs/**/*.tmp', 'f[0-9].bin'] });
    expect(f.active).toBe(true);
    expect(f.isExcluded('a.pyc')).toBe(true);
    expect(f.isExcluded('sub/a.pyc')).toBe(true);
    expect(f.isExcluded('keep.pyc')).toBe(false);
    expect(f.isExcluded('build', true)).toBe(true);
    expect(f.isExcluded('sub/build', true)).toBe(false);
    expect(f.isExcluded('logs', false)).toBe(false);
    expect(f.isExcluded('logs', true)).toBe(true);
    expect(f.isExcluded('docs/a/b/c.tmp')).toBe(true);
    expect(f.isExcluded('f3.bin')).toBe(true);
    expect(f.isExcluded('fx.bin')).toBe(false);
    expect(new ExcludeFilter().active).toBe(false);
    expect(f.isExcluded('../a.pyc')).toBe(false);
    // Case matters, as in git on Linux (core.ignorecase off).
    expect(f.isExcluded('A.PYC')).toBe(false);
    expect(f.isExcluded('BUILD', true)).toBe(false);
    expect(new ExcludeFilter({ patterns: ['A.txt'] }).isExcluded('a.txt')).toBe(false);
    const esc = new ExcludeFilter({ patterns: ['trail\\ ', 'plain   '] });
    expect(esc.isExcluded('trail ')).toBe(true);
    expect(esc.isExcluded('plain')).toBe(true);
  });

  it('loads pattern files (missing file: nothing) and per-directory .gitignore files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vost-excl-'));
    try {
      writeFileSync(join(dir, 'excl'), '*.log  \n\n#x\n');
      const f = new ExcludeFilter({ excludeFrom: join(dir, 'excl') });
      f.loadFromFile(join(dir, 'missing'));
      expect(f.isExcluded('a.log')).toBe(true);
      mkdirSync(join(dir, 'src/gen'), { recursive: true });
      writeFileSync(join(dir, '.gitignore'), '*.o\n/top.txt\n');
      writeFileSync(join(dir, 'src/.gitignore'), '!keep.o\ngen/\n');
      const g = new ExcludeFilter({ gitignore: true });
      expect(g.active).toBe(true);
      await g.enterDirectory(dir, '');
      await g.enterDirectory(join(dir, 'src'), 'src');
      expect(g.isExcludedInWalk('x.o')).toBe(true);
      expect(g.isExcludedInWalk('src/x.o')).toBe(true);
      expect(g.isExcludedInWalk('src/keep.o')).toBe(false);
      expect(g.isExcludedInWalk('top.txt')).toBe(true);
      expect(g.isExcludedInWalk('src/top.txt')).toBe(false);
      expect(g.isExcludedInWalk('src/gen', true)).toBe(true);
      expect(g.isExcludedInWalk('.gitignore')).toBe(true);
      expect(g.isExcludedInWalk('src/.gitignore')).toBe(true);
      expect(g.isExcludedInWalk('src/main.c')).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
