/**
 * Conformance audit of the simple write commands `write`, `rm` and `mv`
 * against spec/cli.md §2–§5 and §8.1–§8.3, run through the built CLI with
 * stock git as the oracle for what got committed. The cases here are the
 * ones test/e2e/simple does not already pin, above all the discrepancies the
 * audit found.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  cleanup, commitCount, errLine, fsckClean, git, headMessage, lsTree, makeRepo, tempDir, vost,
} from '../simple/helpers.js';

let base: string;
beforeAll(() => {
  base = tempDir('vost-audit-write-');
});
afterAll(() => cleanup(base));

const FILES = {
  'a.txt': 'a\n',
  'b.txt': 'b\n',
  '.hidden': 'h\n',
  'same1': 'same\n',
  'same2': 'same\n',
  'run.sh': { exec: '#!/bin/sh\n' },
  'ln': { link: 'a.txt' },
  'src/x.txt': 'x\n',
  'src/y.txt': 'y\n',
  'src/.dot': 'd\n',
  'src/sub/z.txt': 'z\n',
};

let counter = 0;
function fresh(): string {
  const repo = makeRepo(base, [{ message: 'seed', files: FILES }], `r${counter++}.git`);
  git(repo, ['update-ref', 'refs/heads/dev', 'main']);
  git(repo, ['update-ref', 'refs/tags/t1', 'main']);
  return repo;
}

const subjects = (repo: string, rev = 'main') => git(repo, ['log', '--format=%s', rev]).split('\n');

describe('rm: globs and trailing slashes (§8.2, §9.3)', () => {
  it('ignores a trailing / on a glob pattern: the matched files go', async () => {
    const repo = fresh();
    expect(await vost(['rm', '-n', '*.txt/'], { repo })).toMatchObject({ code: 0, stdout: '- :a.txt\n- :b.txt\n', stderr: '' });
    expect(await vost(['rm', '*.txt/'], { repo })).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(subjects(repo).slice(0, 2)).toEqual(['Batch rm: -2', 'seed']);
    expect(lsTree(repo).has('a.txt') || lsTree(repo).has('b.txt')).toBe(false);
    expect(fsckClean(repo)).toBe(true);
  });

  it('still treats a literal path with a trailing / as a directory', async () => {
    const repo = fresh();
    expect(await vost(['rm', 'a.txt/'], { repo })).toMatchObject({
      code: 1,
      stderr: errLine('a.txt is a directory — use -R to remove recursively'),
    });
    expect(await vost(['rm', '--no-glob', '*.txt/'], { repo })).toMatchObject({ code: 1, stderr: errLine('File not found in repo: *.txt') });
    expect(commitCount(repo)).toBe(2);
  });

  it('applies the dotfile rule to globs, but -R takes every file beneath a directory', async () => {
    const repo = fresh();
    expect((await vost(['rm', '-n', '.*'], { repo })).stdout).toBe('- :.hidden\n');
    expect((await vost(['rm', '-n', 'src/.*'], { repo })).stdout).toBe('- :src/.dot\n');
    expect((await vost(['rm', '-n', '**/z.txt'], { repo })).stdout).toBe('- :src/sub/z.txt\n');
    expect((await vost(['rm', '-n', 'src/[xy]*'], { repo })).stdout).toBe('- :src/x.txt\n- :src/y.txt\n');
    expect(await vost(['rm', '-n', 'src/[xy].txt'], { repo })).toMatchObject({ code: 1, stderr: errLine('File not found in repo: src/[xy].txt') });
    expect((await vost(['rm', '-R', 'src'], { repo })).code).toBe(0);
    expect(subjects(repo)[0]).toBe('Batch rm: -4');
    expect([...lsTree(repo).keys()].some((p) => p.startsWith('src/'))).toBe(false);
  });

  it('never gives a delete a type, and fills every placeholder with op rm', async () => {
    const repo = fresh();
    await vost(['rm', 'run.sh'], { repo });
    await vost(['rm', 'ln'], { repo });
    await vost(['rm', 'a.txt', 'b.txt', '-m', '{default}|{op}|{add_count}|{update_count}|{delete_count}|{total_count}'], { repo });
    expect(subjects(repo).slice(0, 3)).toEqual(['Batch rm: -2|rm|0|0|2|2', '- ln', '- run.sh']);
  });

  it('takes arguments after -- literally', async () => {
    const repo = fresh();
    expect(await vost(['rm', '--', '-m', 'a.txt'], { repo })).toMatchObject({ code: 1, stderr: errLine('File not found in repo: -m') });
    expect(commitCount(repo)).toBe(2);
  });
});

describe('mv: messages (§5.1, §8.3)', () => {
  it('counts only real changes: onto identical content is one delete, onto other content ~1 -1', async () => {
    const repo = fresh();
    expect((await vost(['mv', ':same1', ':same2'], { repo })).code).toBe(0);
    expect((await vost(['mv', ':a.txt', ':b.txt', '-m', '{default} {op} {update_count}/{delete_count}'], { repo })).code).toBe(0);
    expect(subjects(repo).slice(0, 2)).toEqual(['Batch mv: ~1 -1 mv 1/1', '- same1']);
    expect(git(repo, ['cat-file', '-p', 'main:b.txt'])).toBe('a');
    expect(fsckClean(repo)).toBe(true);
  });

  it('writes the move to the branch of the explicit refs, whatever -b says', async () => {
    const repo = fresh();
    expect(await vost(['-v', 'mv', '-b', 'main', 'dev:a.txt', ':c.txt'], { repo })).toMatchObject({ code: 0, stderr: 'Moved 1 -> 1 file(s)\n' });
    expect(subjects(repo, 'dev')[0]).toBe('Batch mv: +1 -1');
    expect(subjects(repo, 'main')[0]).toBe('seed');
  });
});

describe('rm and mv: branch refs stored by git (§1)', () => {
  it('moves packed refs and writes through packed objects, keeping fsck clean', async () => {
    const repo = fresh();
    git(repo, ['pack-refs', '--all']);
    git(repo, ['repack', '-a', '-d', '-q']);
    expect(await vost(['rm', 't1:a.txt'], { repo })).toMatchObject({ code: 1, stderr: errLine("Cannot remove in tag 't1' — use a branch") });
    expect((await vost(['rm', 'dev:a.txt', '-m', ''], { repo })).code).toBe(0);
    expect((await vost(['mv', 'dev:b.txt', 'dev:c.txt', '--message='], { repo })).code).toBe(0);
    expect(subjects(repo, 'dev').slice(0, 3)).toEqual(['Batch mv: +1 -1', '- a.txt', 'seed']);
    expect(git(repo, ['rev-parse', 'main'])).toBe(git(repo, ['rev-parse', 't1']));
    expect(fsckClean(repo)).toBe(true);
  });
});

describe('write: option order and path forms (§3.1, §5.3, §8.1)', () => {
  it('refuses an invalid --tag name before creating the repository', async () => {
    const repo = join(base, 'badtag.git');
    expect(await vost(['write', 'f.txt', '--tag', 'bad..name'], { repo, input: 'x' })).toMatchObject({
      code: 1,
      stdout: '',
      stderr: errLine("Invalid ref name: 'bad..name'"),
    });
    expect(existsSync(repo)).toBe(false);
  });

  it('writes a drive-letter or ./-prefixed argument as a repo path', async () => {
    const repo = fresh();
    expect((await vost(['write', 'C:/x'], { repo, input: 'c' })).code).toBe(0);
    expect((await vost(['write', './q:r'], { repo, input: 'q' })).code).toBe(0);
    expect((await vost(['write', 'main:a:b'], { repo, input: 'ab' })).code).toBe(0);
    expect(subjects(repo).slice(0, 3)).toEqual(['+ a:b', '+ q:r', '+ C:/x']);
    expect(await vost(['write', 'C:x'], { repo, input: 'c' })).toMatchObject({ code: 1, stderr: errLine('Branch not found: C') });
  });

  it('stores a regular file over an executable or link, with no type in the message', async () => {
    const repo = fresh();
    await vost(['write', 'run.sh'], { repo, input: 'plain\n' });
    await vost(['write', 'ln'], { repo, input: '' });
    expect(subjects(repo).slice(0, 2)).toEqual(['~ ln', '~ run.sh']);
    expect(lsTree(repo).get('run.sh')?.mode).toBe('100644');
    expect(lsTree(repo).get('ln')?.mode).toBe('100644');
  });

  it('tags the unchanged tip when the content is identical, committing nothing', async () => {
    const repo = fresh();
    expect((await vost(['write', 'a.txt', '--tag', 'same', '--parent', 'dev'], { repo, input: 'a\n' })).code).toBe(0);
    expect(commitCount(repo)).toBe(2);
    expect(git(repo, ['rev-parse', 'same'])).toBe(git(repo, ['rev-parse', 'main']));
    expect(headMessage(repo)).toBe('seed');
  });
});
