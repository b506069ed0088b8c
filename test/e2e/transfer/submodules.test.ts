/**
 * Repositories with submodules (tree entries of mode 160000 whose id is a
 * commit of another repository): transfers pass over them on both sides, so
 * a checkout holds the other files (as git leaves an uninitialised
 * submodule's folder empty) and a sync into the repo keeps the entry; ls -l
 * shows it without a size.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, diskTree, fsck, git, gitTree, GIT_ENV, makeTree, tempDir, vost } from './helpers.js';

const SUB_ID = '1234567890123456789012345678901234567890';
let work: string;
let repo: string;

beforeAll(() => {
  work = tempDir('vost-e2e-submodule-');
  const wt = join(work, 'wt');
  makeTree(wt, { 'a.txt': 'a\n', 'lib/b.txt': 'b\n' });
  const g = (args: string[]) => execFileSync('git', args, { cwd: wt, env: { ...process.env, ...GIT_ENV }, encoding: 'utf8' });
  g(['init', '-q', '-b', 'main']);
  g(['add', '.']);
  // The submodule itself is not needed: the entry only names its commit.
  g(['update-index', '--add', '--cacheinfo', `160000,${SUB_ID},lib/sub`]);
  g(['commit', '-qm', 'with a submodule']);
  repo = join(work, 'repo.git');
  execFileSync('git', ['clone', '-q', '--bare', wt, repo]);
});
afterAll(() => cleanup(work));

describe('submodules', () => {
  it('a checkout skips them with a warning and writes every other file', async () => {
    const r = await vost(['sync', ':', 'out'], { cwd: work, repo });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('lib/sub: Skipping submodule');
    const { 'lib/sub': entry, ...files } = gitTree(repo, 'main');
    expect(entry).toBe(`file ${SUB_ID}`);
    expect(diskTree(join(work, 'out'))).toEqual(files);
    expect(Object.keys(files)).toEqual(['a.txt', 'lib/b.txt']);
    expect(existsSync(join(work, 'out/lib/sub'))).toBe(false);
  });

  it('a sync into the repo keeps the entry: it is never taken for a file to delete', async () => {
    const src = join(work, 'src');
    makeTree(src, { 'a.txt': 'a2\n', 'lib/b.txt': 'b\n', 'lib/c.txt': 'c\n' });
    const r = await vost(['sync', src, ':'], { cwd: work, repo });
    expect(r.code).toBe(0);
    expect(git(repo, ['ls-tree', 'main', 'lib/sub']).trim()).toBe(`160000 commit ${SUB_ID}\tlib/sub`);
    expect(git(repo, ['ls-tree', '-r', '--name-only', 'main']).trim().split('\n')).toEqual(['a.txt', 'lib/b.txt', 'lib/c.txt', 'lib/sub']);
    fsck(repo);
    writeFileSync(join(src, 'a.txt'), 'a2\n');
    const again = await vost(['sync', src, ':'], { cwd: work, repo });
    expect(again.code).toBe(0);
    expect(git(repo, ['rev-list', '--count', 'main']).trim()).toBe('2');
  });

  it('ls -l lists it with its commit id and no size', async () => {
    const text = await vost(['ls', '-l', 'lib'], { cwd: work, repo });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`${SUB_ID.slice(0, 7)}     sub\n`);
    const json = await vost(['ls', '-l', '--format', 'jsonl', 'lib'], { cwd: work, repo });
    expect(json.stdout.trim().split('\n').map((l) => JSON.parse(l))).toContainEqual({ name: 'sub', hash: SUB_ID, type: 'commit' });
  });
});
