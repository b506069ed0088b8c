import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, removeDir, sh, tempDir, vost } from './helpers.js';

/** zip:// and tar:// as cp/sync endpoints, through the same plan/apply path as folders and refs. */
describe('archives as cp/sync endpoints', () => {
  let dir: string;
  let repo: string;

  beforeAll(async () => {
    dir = tempDir();
    repo = join(dir, 'r.git');
    const src = join(dir, 'src');
    mkdirSync(join(src, 'docs/img'), { recursive: true });
    writeFileSync(join(src, 'docs/index.md'), '# hi\n');
    writeFileSync(join(src, 'docs/img/logo.svg'), '<svg/>\n');
    writeFileSync(join(src, 'tool.sh'), '#!/bin/sh\n');
    chmodSync(join(src, 'tool.sh'), 0o755);
    symlinkSync('docs/index.md', join(src, 'readme'));
    expect((await vost(repo, ['cp', `${src}/`, ':'])).code).toBe(0);
  });
  afterAll(() => removeDir(dir));

  it('cp :docs/ zip://docs.zip writes the folder contents; a dry run lists the plan and writes nothing', async () => {
    const dry = await vost(repo, ['cp', '-n', ':docs/', 'zip://docs.zip'], { cwd: dir });
    expect(dry).toMatchObject({ code: 0, stdout: '+ zip://docs.zip/img/logo.svg\n+ zip://docs.zip/index.md\n' });
    expect(() => statSync(join(dir, 'docs.zip'))).toThrow();
    expect((await vost(repo, ['cp', ':docs/', 'zip://docs.zip'], { cwd: dir })).code).toBe(0);
    expect(sh('zipinfo', ['-1', join(dir, 'docs.zip')]).trim().split('\n').sort()).toEqual(['img/logo.svg', 'index.md']);
  });

  it('cp : tar://all.tar.gz keeps modes and links; cp tar:// and zip:// back out to a folder', async () => {
    expect((await vost(repo, ['cp', ':', 'tar://all.tar.gz'], { cwd: dir })).code).toBe(0);
    const listing = sh('tar', ['-tzvf', join(dir, 'all.tar.gz')]);
    expect(listing).toMatch(/^-rwxr-xr-x .* tool\.sh$/m);
    expect(listing).toMatch(/^l.* readme -> docs\/index\.md$/m);
    expect((await vost(repo, ['cp', 'tar://all.tar.gz', './out'], { cwd: dir })).code).toBe(0);
    expect(readFileSync(join(dir, 'out/docs/img/logo.svg'), 'utf8')).toBe('<svg/>\n');
    expect(statSync(join(dir, 'out/tool.sh')).mode & 0o777).toBe(0o755);
    expect(readlinkSync(join(dir, 'out/readme'))).toBe('docs/index.md');
    expect((await vost(repo, ['cp', 'zip://docs.zip', './zout'], { cwd: dir })).code).toBe(0);
    expect(readFileSync(join(dir, 'zout/index.md'), 'utf8')).toBe('# hi\n');
    expect(lstatSync(join(dir, 'zout/img')).isDirectory()).toBe(true);
  });

  it('sync tar:// :vendor commits once; re-syncing the same archive is a no-op; --delete semantics follow sync', async () => {
    const r = await vost(repo, ['sync', 'tar://all.tar.gz', ':vendor'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(git(repo, 'log', '-1', '--format=%s', 'main')).toBe('Batch sync: +4');
    expect(git(repo, 'rev-parse', 'main:vendor')).toBe(git(repo, 'rev-parse', 'main~1^{tree}'));
    const tip = git(repo, 'rev-parse', 'main');
    expect((await vost(repo, ['sync', 'tar://all.tar.gz', ':vendor'], { cwd: dir })).code).toBe(0);
    expect(git(repo, 'rev-parse', 'main')).toBe(tip);
    expect((await vost(repo, ['sync', 'zip://docs.zip', ':vendor'], { cwd: dir })).code).toBe(0);
    expect(git(repo, 'ls-tree', '-r', '--name-only', 'main:vendor')).toBe('img/logo.svg\nindex.md');
  });

  it('sync into an existing archive rewrites it: removed files go, untouched members stay', async () => {
    expect((await vost(repo, ['cp', ':tool.sh', 'zip://mixed.zip'], { cwd: dir })).code).toBe(0);
    expect((await vost(repo, ['cp', ':docs/', 'zip://mixed.zip'], { cwd: dir })).code).toBe(0);
    expect(sh('zipinfo', ['-1', join(dir, 'mixed.zip')]).trim().split('\n').sort()).toEqual(['img/logo.svg', 'index.md', 'tool.sh']);
    expect((await vost(repo, ['sync', ':docs/img', 'zip://mixed.zip'], { cwd: dir })).code).toBe(0);
    expect(sh('zipinfo', ['-1', join(dir, 'mixed.zip')]).trim()).toBe('logo.svg');
    sh('unzip', ['-tq', join(dir, 'mixed.zip')]);
  });

  it('a hostile archive used as a source is refused before anything is written', async () => {
    sh('python3', ['-c', "import zipfile; z = zipfile.ZipFile('evil.zip', 'w'); z.writestr('../../escape.txt', b'x'); z.close()"], dir);
    const r = await vost(repo, ['cp', 'zip://evil.zip', './evil-out'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Invalid path segment: '..'");
    expect(() => statSync(join(dir, '..', 'escape.txt'))).toThrow();
    expect(() => statSync(join(dir, 'evil-out'))).toThrow();
    const tip = git(repo, 'rev-parse', 'main');
    expect((await vost(repo, ['sync', 'zip://evil.zip', ':x'], { cwd: dir })).code).toBe(1);
    expect(git(repo, 'rev-parse', 'main')).toBe(tip);
  });

  it('extracting never writes through a symlink already in the destination', async () => {
    const outside = join(dir, 'outside');
    const dest = join(dir, 'trap');
    mkdirSync(outside);
    mkdirSync(dest);
    symlinkSync(outside, join(dest, 'evil'));
    const src = join(dir, 'trap-src');
    mkdirSync(join(src, 'evil'), { recursive: true });
    writeFileSync(join(src, 'evil/passwd'), 'pwned');
    sh('zip', ['-qr', join(dir, 'trap.zip'), '.'], src);
    expect((await vost(repo, ['cp', 'zip://trap.zip', './trap'], { cwd: dir })).code).toBe(0);
    expect(readdirSync(outside)).toEqual([]);
    expect(lstatSync(join(dest, 'evil')).isDirectory()).toBe(true);
  });

  it('needs no repository when neither side is one: folder -> tar.xz -> folder', async () => {
    const noRepo = '';
    expect((await vost(noRepo, ['sync', './zout', 'tar://plain.tar.xz'], { cwd: dir })).code).toBe(0);
    expect(sh('tar', ['-tJf', join(dir, 'plain.tar.xz')]).split('\n').sort()).toEqual(['', 'img/logo.svg', 'index.md']);
    expect((await vost(noRepo, ['cp', 'tar://plain.tar.xz', './plain'], { cwd: dir })).code).toBe(0);
    expect(readFileSync(join(dir, 'plain/img/logo.svg'), 'utf8')).toBe('<svg/>\n');
  });

  it('a missing source archive is reported', async () => {
    const r = await vost(repo, ['cp', 'zip://nope.zip', './o'], { cwd: dir });
    expect(r).toMatchObject({ code: 1, stderr: 'Error: File not found: nope.zip\n' });
  });
});
