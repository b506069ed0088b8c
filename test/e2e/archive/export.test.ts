import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, removeDir, sh, tempDir, vost } from './helpers.js';

describe('archive_out / zip / tar (cli.md §13.1)', () => {
  let dir: string;
  let repo: string;
  let commitTime: number;

  beforeAll(async () => {
    dir = tempDir();
    repo = join(dir, 'r.git');
    const src = join(dir, 'src');
    mkdirSync(join(src, 'sub/deeper'), { recursive: true });
    writeFileSync(join(src, 'z.txt'), 'zed\n');
    writeFileSync(join(src, 'a.txt'), 'alpha\n');
    writeFileSync(join(src, 'sub/b.txt'), 'bee\n');
    writeFileSync(join(src, 'sub/deeper/run'), '#!/bin/sh\n');
    chmodSync(join(src, 'sub/deeper/run'), 0o755);
    symlinkSync('sub/b.txt', join(src, 'link'));
    sh('tar', ['-cf', join(dir, 'v1.tar'), 'a.txt'], src);
    sh('tar', ['-cf', join(dir, 'src.tar'), '.'], src);
    expect((await vost(repo, ['untar', join(dir, 'v1.tar')])).code).toBe(0);
    expect((await vost(repo, ['untar', join(dir, 'src.tar')])).code).toBe(0);
    commitTime = Number(git(repo, 'log', '-1', '--format=%ct', 'main'));
  });
  afterAll(() => removeDir(dir));

  it('zip: tree-walk order, Unix modes, symlinks, commit time; -v reports the count', async () => {
    const r = await vost(repo, ['zip', 'out.zip', '-v'], { cwd: dir });
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: 'Wrote 5 file(s) to out.zip\n' });
    expect(sh('zipinfo', ['-1', join(dir, 'out.zip')]).trim().split('\n')).toEqual(['a.txt', 'link', 'z.txt', 'sub/b.txt', 'sub/deeper/run']);
    const info = sh('zipinfo', [join(dir, 'out.zip')]);
    expect(info).toMatch(/-rwxr-xr-x\s+\S+ unx .* defN .* sub\/deeper\/run/);
    expect(info).toMatch(/l.........\s+\S+ unx .* link/);
    const x = join(dir, 'zip-x');
    mkdirSync(x);
    sh('unzip', ['-q', join(dir, 'out.zip')], x);
    expect(readFileSync(join(x, 'link'), 'utf8')).toBe('bee\n');
    expect(statSync(join(x, 'sub/deeper/run')).mode & 0o777).toBe(0o755);
    // unzip applies the DOS timestamp, which has 2-second resolution.
    expect(Math.abs(statSync(join(x, 'a.txt')).mtimeMs / 1000 - commitTime)).toBeLessThanOrEqual(1);
  });

  it('tar: compression from the extension, mtime = commit time, uid/gid 0', async () => {
    for (const [name, flag] of [['o.tar', ''], ['o.tgz', 'z'], ['o.tar.bz2', 'j'], ['o.tar.xz', 'J']]) {
      expect((await vost(repo, ['tar', name!], { cwd: dir })).code).toBe(0);
      const listing = sh('tar', [`-t${flag}vf`, join(dir, name!), '--numeric-owner']);
      expect(listing).toMatch(/^-rw-r--r-- 0\/0\s+6 .* a\.txt$/m);
      expect(listing).toMatch(/^l.* link -> sub\/b\.txt$/m);
      expect(listing).toMatch(/^-rwxr-xr-x 0\/0 .* sub\/deeper\/run$/m);
    }
    const x = join(dir, 'tar-x');
    mkdirSync(x);
    sh('tar', ['-xJf', join(dir, 'o.tar.xz'), '-C', x]);
    expect(statSync(join(x, 'z.txt')).mtimeMs / 1000).toBe(commitTime);
  });

  it('round trip: zip and tar exports import back to the identical tree', async () => {
    await vost(repo, ['archive_out', 'rt.zip'], { cwd: dir });
    await vost(repo, ['archive_out', 'rt.tar.gz'], { cwd: dir });
    for (const f of ['rt.zip', 'rt.tar.gz']) {
      const other = join(dir, `${f}.git`);
      expect((await vost(other, ['archive_in', join(dir, f)])).code).toBe(0);
      expect(git(other, 'rev-parse', 'main^{tree}')).toBe(git(repo, 'rev-parse', 'main^{tree}'));
    }
  });

  it('stdout: archive_out - needs --format; tar to stdout is never compressed', async () => {
    expect(await vost(repo, ['archive_out', '-'])).toMatchObject({ code: 1, stderr: 'Error: Use --format with stdout (-)\n' });
    const z = await vost(repo, ['archive_out', '-', '--format', 'zip']);
    writeFileSync(join(dir, 'stdout.zip'), z.raw);
    sh('unzip', ['-tq', join(dir, 'stdout.zip')]);
    const t = await vost(repo, ['tar', '-']);
    expect(sh('tar', ['-t'], undefined, t.raw).split('\n')).toContain('sub/deeper/run');
    const t2 = await vost(repo, ['archive_out', '-', '--format', 'tar']);
    expect(t2.raw.subarray(257, 262).toString()).toBe('ustar');
  });

  it('snapshot filters select what is exported', async () => {
    expect((await vost(repo, ['zip', 'old.zip', '--back', '1'], { cwd: dir })).code).toBe(0);
    expect(sh('zipinfo', ['-1', join(dir, 'old.zip')]).trim()).toBe('a.txt');
    expect((await vost(repo, ['zip', 'm.zip', '--match', '+ a.txt'], { cwd: dir })).code).toBe(0);
    expect(sh('zipinfo', ['-1', join(dir, 'm.zip')]).trim()).toBe('a.txt');
    expect(await vost(repo, ['zip', 'n.zip', '--ref', 'nope'], { cwd: dir })).toMatchObject({ code: 1, stderr: 'Error: Unknown ref: nope\n' });
    expect(existsSync(join(dir, 'n.zip'))).toBe(false);
  });

  it('an empty tree gives a valid empty archive', async () => {
    const empty = join(dir, 'empty.git');
    await vost(empty, ['init']);
    expect((await vost(empty, ['zip', 'e.zip', '-v'], { cwd: dir })).stderr).toBe('Wrote 0 file(s) to e.zip\n');
    expect(sh('python3', ['-c', 'import sys,zipfile; print(len(zipfile.ZipFile(sys.argv[1]).namelist()))', join(dir, 'e.zip')])).toBe('0\n');
    expect((await vost(empty, ['tar', 'e.tar.gz'], { cwd: dir })).code).toBe(0);
    expect(sh('tar', ['-tzf', join(dir, 'e.tar.gz')])).toBe('');
  });

  it('rejects unknown extensions and invalid UTF-8 link targets without leaving a file', async () => {
    expect(await vost(repo, ['archive_out', 'x.rar'], { cwd: dir })).toMatchObject({
      code: 1,
      stderr: 'Error: Cannot detect archive format from extension: x.rar\nUse --format zip or --format tar\n',
    });
    const bad = join(dir, 'bad.git');
    await vost(bad, ['init']);
    const blob = sh('git', ['--git-dir', bad, 'hash-object', '-w', '--stdin'], undefined, Buffer.from([0x66, 0xff, 0xfe])).trim();
    const tree = sh('git', ['--git-dir', bad, 'mktree'], undefined, Buffer.from(`120000 blob ${blob}\tbadlink\n`)).trim();
    const commit = sh('git', ['--git-dir', bad, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit-tree', tree, '-m', 'bad']).trim();
    git(bad, 'update-ref', 'refs/heads/main', commit);
    expect(await vost(bad, ['zip', 'bad.zip'], { cwd: dir })).toMatchObject({ code: 1, stderr: 'Error: Symlink target for badlink is not valid UTF-8\n' });
    expect(existsSync(join(dir, 'bad.zip'))).toBe(false);
    expect(sh('ls', ['-A', dir])).not.toMatch(/\.bad\.zip\./);
  });
});
