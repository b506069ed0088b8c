/**
 * cp/sync against rsync as the oracle: for each scenario the same arguments
 * go to rsync (into a folder) and to vost (into the repo, or out of it), and
 * the resulting file sets (paths, contents, exec bits, symlinks) must match.
 * Every vost write must be exactly one commit and leave `git fsck` clean.
 */
import { chmodSync, cpSync, rmSync, symlinkSync, utimesSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, commitCount, diskTree, fsck, gitTree, makeTree, rsync, sh, SOURCE_TREE, tempDir, vost } from './helpers.js';

let work: string;
let repo: string;
const run = (...args: string[]) => vost(args, { cwd: work, repo });

const EXTRAS = { 'gone.txt': 'old\n', 'keep.log': 'keep\n', 'build/old.o': 'old obj\n', 'sub/stale.txt': 'stale\n' };

beforeAll(async () => {
  work = tempDir();
  repo = join(work, 'repo.git');
  makeTree(join(work, 'src'), SOURCE_TREE);
  makeTree(join(work, 'extras'), EXTRAS);
});
afterAll(() => cleanup(work));

/** One vost write: exactly one new commit, fsck clean. */
async function write(...args: string[]): Promise<void> {
  const before = (() => {
    try {
      return commitCount(repo);
    } catch {
      return 0;
    }
  })();
  const r = await run(...args);
  expect(r, args.join(' ')).toMatchObject({ code: 0, stderr: '' });
  expect(commitCount(repo) - before, `${args.join(' ')} makes one commit`).toBe(before === 0 ? 2 : 1);
  fsck(repo);
}

describe('disk → repo matches rsync', () => {
  const cases: Array<[string, string[], string]> = [
    ['dir (name kept)', ['cp', 'src', ':c1'], 'rsync -a src r1/'],
    ['contents (trailing slash)', ['cp', 'src/', ':c2'], 'rsync -a src/ r2/'],
    ['/./ pivot', ['cp', 'src/./sub/deep', ':c3'], 'rsync -aR src/./sub/deep r3/'],
    ['glob skips dotfiles', ['cp', 'src/*', ':c4'], 'rsync -a src/* r4/'],
    ['several sources', ['cp', 'src/sub/deep', 'src/a.txt', 'src/.h', ':c5'], 'rsync -a src/sub/deep src/a.txt src/.h r5/'],
  ];
  it.each(cases)('%s', async (_name, args, line) => {
    await write(...args);
    const n = args[args.length - 1].slice(2);
    sh(`mkdir -p r${n} && ${line}`, work);
    expect(gitTree(repo, 'main', `c${n}`)).toEqual(diskTree(join(work, `r${n}`)));
  });

  it('--delete removes what the source lacks', async () => {
    await write('cp', 'extras/', ':c6');
    cpSync(join(work, 'extras'), join(work, 'r6'), { recursive: true });
    await write('cp', '--delete', 'src/', ':c6');
    rsync(['-a', '--delete', 'src/', 'r6/'], work);
    expect(gitTree(repo, 'main', 'c6')).toEqual(diskTree(join(work, 'r6')));
  });

  it('--delete keeps excluded files (rsync delete protection, ancestors count)', async () => {
    await write('cp', 'extras/', ':c7');
    cpSync(join(work, 'extras'), join(work, 'r7'), { recursive: true });
    await write('cp', '--delete', '--exclude', '*.log', '--exclude', 'build', 'src/', ':c7');
    rsync(['-a', '--delete', '--exclude', '*.log', '--exclude', 'build', 'src/', 'r7/'], work);
    const tree = gitTree(repo, 'main', 'c7');
    expect(tree).toEqual(diskTree(join(work, 'r7')));
    expect(Object.keys(tree)).toContain('build/old.o');
    expect(Object.keys(tree)).toContain('keep.log');
  });

  it('sync finds every kind of edit, including ones that keep size and mtime', async () => {
    cpSync(join(work, 'src'), join(work, 'm'), { recursive: true, verbatimSymlinks: true });
    await write('sync', 'm', ':c8');
    const f = join(work, 'm', 'a.txt');
    const { atime, mtime } = statSync(f);
    writeFileSync(f, 'ALPHA\n');
    utimesSync(f, atime, mtime);
    rmSync(join(work, 'm', 'sub', 'b.txt'));
    chmodSync(join(work, 'm', 'sub', 'x.log'), 0o755);
    rmSync(join(work, 'm', 'link'));
    symlinkSync('run.sh', join(work, 'm', 'link'));
    writeFileSync(join(work, 'm', 'new.txt'), 'new\n');
    await write('sync', 'm', ':c8');
    rsync(['-a', '-c', '--delete', 'm/', 'r8/'], work);
    expect(gitTree(repo, 'main', 'c8')).toEqual(diskTree(join(work, 'r8')));
    const again = await run('sync', '-n', 'm', ':c8');
    expect(again).toMatchObject({ code: 0, stdout: '' });
  });
});

describe('repo → disk matches rsync', () => {
  it('cp contents into a new folder', async () => {
    expect((await run('cp', ':c2/', 'o1')).code).toBe(0);
    rsync(['-a', 'src/', 'ro1/'], work);
    expect(diskTree(join(work, 'o1'))).toEqual(diskTree(join(work, 'ro1')));
  });

  it('cp --delete and sync into folders with extra files', async () => {
    for (const d of ['o2', 'ro2', 'o3', 'ro3']) cpSync(join(work, 'extras'), join(work, d), { recursive: true });
    expect((await run('cp', '--delete', ':c2/', 'o2')).code).toBe(0);
    rsync(['-a', '--delete', 'src/', 'ro2/'], work);
    expect(diskTree(join(work, 'o2'))).toEqual(diskTree(join(work, 'ro2')));
    expect((await run('sync', ':c2', 'o3')).code).toBe(0);
    rsync(['-a', '--delete', 'src/', 'ro3/'], work);
    expect(diskTree(join(work, 'o3'))).toEqual(diskTree(join(work, 'ro3')));
    expect(await run('sync', '-n', ':c2', 'o3')).toMatchObject({ code: 0, stdout: '' });
  });

  it('cp of a directory keeps its name', async () => {
    expect((await run('cp', ':c2/sub', 'o4')).code).toBe(0);
    rsync(['-a', 'src/sub', 'ro4/'], work);
    expect(diskTree(join(work, 'o4'))).toEqual(diskTree(join(work, 'ro4')));
  });
});

describe('repo → repo', () => {
  it('cp and sync across folders and branches by object id', async () => {
    await write('cp', ':c2/', ':c9');
    expect(gitTree(repo, 'main', 'c9')).toEqual(gitTree(repo, 'main', 'c2'));
    await write('cp', 'extras/', ':c10');
    await write('sync', ':c2', ':c10');
    expect(gitTree(repo, 'main', 'c10')).toEqual(gitTree(repo, 'main', 'c2'));
  });
});
