import { chmodSync, existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, removeDir, sh, tempDir, vost } from './helpers.js';

describe('archive_in / unzip / untar (cli.md §13.2)', () => {
  let dir: string;
  let src: string;
  beforeAll(async () => {
    dir = tempDir();
    src = join(dir, 'src');
    mkdirSync(join(src, 'sub'), { recursive: true });
    writeFileSync(join(src, 'a.txt'), 'alpha\n');
    writeFileSync(join(src, 'sub/run.sh'), '#!/bin/sh\n');
    chmodSync(join(src, 'sub/run.sh'), 0o755);
    symlinkSync('run.sh', join(src, 'sub/ln'));
    sh('zip', ['-qry', join(dir, 'in.zip'), '.'], src);
    for (const [name, flag] of [['in.tar', ''], ['in.tar.gz', 'z'], ['in.tar.bz2', 'j'], ['in.tar.xz', 'J']]) {
      sh('tar', [`-c${flag}f`, join(dir, name!), '.'], src);
    }
  });
  afterAll(() => removeDir(dir));

  const tree = (repo: string) => git(repo, 'ls-tree', '-r', 'main');

  it('unzip creates the repo and makes one "Batch ar" commit that git fsck --strict accepts', async () => {
    const repo = join(dir, 'u.git');
    const r = await vost(repo, ['unzip', join(dir, 'in.zip'), '-v']);
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(r.stderr).toBe(`Imported 3 file(s) from ${join(dir, 'in.zip')}\n`);
    expect(git(repo, 'log', '--format=%s', 'main')).toBe('Batch ar: +3\nInitialize main');
    const lines = tree(repo).split('\n');
    expect(lines.map((l) => l.split(' ')[0] + ' ' + l.split('\t')[1])).toEqual(['100644 a.txt', '120000 sub/ln', '100755 sub/run.sh']);
    expect(git(repo, 'cat-file', 'blob', 'main:sub/ln')).toBe('run.sh');
    sh('git', ['--git-dir', repo, 'fsck', '--strict']);
    expect(readdirSync(repo).filter((n) => n.startsWith('.vost-spool'))).toEqual([]);
  });

  for (const name of ['in.tar', 'in.tar.gz', 'in.tar.bz2', 'in.tar.xz']) {
    it(`untar ${name} gives the same tree as unzip did (u.git above)`, async () => {
      const repo = join(dir, `${name}.git`);
      expect((await vost(repo, ['untar', join(dir, name)])).code).toBe(0);
      expect(tree(repo)).toBe(tree(join(dir, 'u.git')));
      expect(git(repo, 'log', '-1', '--format=%s', 'main')).toBe('Batch ar: +3');
    });
  }

  it('reads stdin: untar auto-detects compression, archive_in needs --format', async () => {
    const repo = join(dir, 'stdin.git');
    const input = readFileSync(join(dir, 'in.tar.xz'));
    expect((await vost(repo, ['untar'], { input })).code).toBe(0);
    expect(await vost(repo, ['archive_in', '-'], { input })).toMatchObject({ code: 1, stderr: 'Error: Use --format when reading from stdin\n' });
    const zipRepo = join(dir, 'stdin-zip.git');
    const r = await vost(zipRepo, ['archive_in', '--format', 'zip', '-v'], { input: readFileSync(join(dir, 'in.zip')) });
    expect(r).toMatchObject({ code: 0, stderr: 'Imported 3 file(s) from -\n' });
    expect(tree(zipRepo)).toBe(tree(repo));
  });

  it('is additive; identical content makes no commit; one change gets the single-file message', async () => {
    const repo = join(dir, 'add.git');
    await vost(repo, ['write', ':keep.txt'], { input: Buffer.from('keep') });
    await vost(repo, ['unzip', join(dir, 'in.zip')]);
    expect(tree(repo)).toContain('keep.txt');
    const before = git(repo, 'rev-parse', 'main');
    expect((await vost(repo, ['untar', join(dir, 'in.tar')])).code).toBe(0);
    expect(git(repo, 'rev-parse', 'main')).toBe(before);
    const one = join(dir, 'one');
    mkdirSync(one);
    writeFileSync(join(one, 'a.txt'), 'changed\n');
    sh('tar', ['-cf', join(dir, 'one.tar'), 'a.txt'], one);
    await vost(repo, ['untar', join(dir, 'one.tar')]);
    expect(git(repo, 'log', '-1', '--format=%s', 'main')).toBe('~ a.txt');
  });

  it('-m (with placeholders), -b, --tag, --force-tag and --no-create', async () => {
    const repo = join(dir, 'flags.git');
    expect(await vost(repo, ['unzip', join(dir, 'in.zip'), '--no-create'])).toMatchObject({ code: 1, stderr: `Error: Repository not found: ${repo}\n` });
    expect(existsSync(repo)).toBe(false);
    expect((await vost(repo, ['unzip', join(dir, 'in.zip'), '-m', 'import {add_count} via {op}', '--tag', 'v1'])).code).toBe(0);
    expect(git(repo, 'log', '-1', '--format=%s', 'main')).toBe('import 3 via ar');
    expect(git(repo, 'rev-parse', 'v1')).toBe(git(repo, 'rev-parse', 'main'));
    expect(await vost(repo, ['untar', join(dir, 'in.tar'), '--tag', 'v1'])).toMatchObject({
      code: 1,
      stderr: 'Error: Tag already exists: v1 (use --force-tag to overwrite)\n',
    });
    expect((await vost(repo, ['untar', join(dir, 'in.tar'), '--tag', 'v1', '--force-tag'])).code).toBe(0);
    expect(await vost(repo, ['untar', join(dir, 'in.tar'), '-b', 'nope'])).toMatchObject({ code: 1, stderr: 'Error: Branch not found: nope\n' });
    expect((await vost(repo, ['unzip', join(dir, 'in.zip'), '-m', '{bogus}'])).code).toBe(1);
  });

  it('reports missing and invalid input with the spec texts', async () => {
    const repo = join(dir, 'errors.git');
    await vost(repo, ['init']);
    const missing = join(dir, 'missing.zip');
    expect(await vost(repo, ['unzip', missing])).toMatchObject({
      code: 2,
      stderr: `Usage: vost unzip [OPTIONS] FILENAME\nTry 'vost unzip --help' for help.\n\nError: Invalid value for 'FILENAME': Path '${missing}' does not exist.\n`,
    });
    expect(await vost(repo, ['untar', 'nope.tar'], { cwd: dir })).toMatchObject({ code: 1, stderr: 'Error: File not found: nope.tar\n' });
    writeFileSync(join(dir, 'junk.zip'), 'this is not a zip file at all');
    expect(await vost(repo, ['unzip', 'junk.zip'], { cwd: dir })).toMatchObject({ code: 1, stderr: 'Error: Not a valid zip file: junk.zip\n' });
    expect(await vost(repo, ['archive_in', '--format', 'zip'], { input: Buffer.from('junk') })).toMatchObject({ code: 1, stderr: 'Error: Not a valid zip file: -\n' });
    const r = await vost(repo, ['untar', 'junk.zip'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error: Not a valid tar archive: /);
    const dirsOnly = join(dir, 'dirs');
    mkdirSync(join(dirsOnly, 'x/y'), { recursive: true });
    sh('tar', ['-cf', join(dir, 'dirs.tar'), '.'], dirsOnly);
    sh('zip', ['-qr', join(dir, 'dirs.zip'), '.'], dirsOnly);
    expect(await vost(repo, ['untar', join(dir, 'dirs.tar')])).toMatchObject({ code: 1, stderr: 'Error: Tar archive contains no files\n' });
    expect(await vost(repo, ['unzip', join(dir, 'dirs.zip')])).toMatchObject({ code: 1, stderr: 'Error: Zip file contains no files\n' });
    expect(git(repo, 'rev-list', '--count', 'main')).toBe('1');
  });

  it('--max-size and VOST_ARCHIVE_MAX_SIZE refuse a big archive; nothing is committed', async () => {
    const repo = join(dir, 'limits.git');
    await vost(repo, ['init']);
    writeFileSync(join(dir, 'big.txt'), 'x'.repeat(3 << 20));
    sh('zip', ['-q', join(dir, 'big.zip'), 'big.txt'], dir);
    const r = await vost(repo, ['unzip', join(dir, 'big.zip'), '--max-size', '1M']);
    expect(r).toMatchObject({ code: 1, stderr: 'Error: Archive expands to more than 1048576 bytes (limit: --max-size or VOST_ARCHIVE_MAX_SIZE)\n' });
    expect((await vost(repo, ['unzip', join(dir, 'big.zip')], { env: { VOST_ARCHIVE_MAX_SIZE: '2M' } })).code).toBe(1);
    expect(git(repo, 'rev-list', '--count', 'main')).toBe('1');
    expect((await vost(repo, ['unzip', join(dir, 'big.zip'), '--max-size', '4M'])).code).toBe(0);
    expect(git(repo, 'rev-list', '--count', 'main')).toBe('2');
  });

  it('resolves tar hard links from a file; skips them with a warning from stdin', async () => {
    const h = join(dir, 'hard');
    mkdirSync(h);
    writeFileSync(join(h, 'a.txt'), 'same\n');
    sh('ln', [join(h, 'a.txt'), join(h, 'b.txt')]);
    sh('tar', ['-cf', join(dir, 'hard.tar'), 'a.txt', 'b.txt'], h);
    const repo = join(dir, 'hard.git');
    expect((await vost(repo, ['untar', join(dir, 'hard.tar'), '-v'])).stderr).toBe(`Imported 2 file(s) from ${join(dir, 'hard.tar')}\n`);
    expect(git(repo, 'cat-file', 'blob', 'main:b.txt')).toBe('same');
    const repo2 = join(dir, 'hard2.git');
    const r = await vost(repo2, ['untar', '-v'], { input: readFileSync(join(dir, 'hard.tar')) });
    expect(r.stderr).toBe('Warning: skipping hard link (unresolvable in streaming mode): b.txt -> a.txt\nImported 1 file(s) from - (1 hard link(s) skipped)\n');
    expect(git(repo2, 'ls-tree', '-r', '--name-only', 'main')).toBe('a.txt');
  });
});
