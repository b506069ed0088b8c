import { existsSync, readdirSync, readFileSync, truncateSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitStore } from '../../../src/core/index.js';
import { normalizeEntryPath, checkLinkTarget, EntryNameSet } from '../../../src/plugins/archive/entry-path.js';
import { resolveLimits, type ArchiveLimits } from '../../../src/plugins/archive/limits.js';
import { importToSnapshot } from '../../../src/plugins/archive/session.js';
import { limits, python, removeDir, sh, tempDir } from './helpers.js';

describe('hostile archives are refused and nothing is committed', () => {
  let dir: string;
  let repoDir: string;
  let store: GitStore;
  let tipBefore: string;

  beforeAll(async () => {
    dir = tempDir();
    repoDir = join(dir, 'r.git');
    store = await GitStore.open(repoDir, { create: true });
    tipBefore = (await store.branches.get('main')).commitHash;
  });
  afterAll(() => removeDir(dir));

  async function importFile(file: string, format: 'zip' | 'tar', lim: ArchiveLimits = limits, stdin?: Buffer): Promise<string | null> {
    const tip = await store.branches.get('main');
    const warnings: string[] = [];
    const r = await importToSnapshot({
      tip,
      format,
      file: stdin ? '-' : file,
      cwd: dir,
      stdin: Readable.from(stdin ? [stdin] : []),
      limits: lim,
      repoDir,
      warn: (l) => warnings.push(l),
      commit: async (w) => (await w.commit()).commit,
    });
    return r.commit;
  }

  async function expectRefused(file: string, format: 'zip' | 'tar', message: RegExp, lim?: ArchiveLimits): Promise<void> {
    await expect(importFile(file, format, lim)).rejects.toThrow(message);
    expect((await store.branches.get('main')).commitHash).toBe(tipBefore);
    expect(readdirSync(repoDir).filter((n) => n.startsWith('.vost-spool'))).toEqual([]);
  }

  const zipWith = (name: string, entries: string) =>
    python(`import zipfile
z = zipfile.ZipFile(${JSON.stringify(name)}, 'w')
def add(n, data, mode=0o100644):
    i = zipfile.ZipInfo(n); i.create_system = 3; i.external_attr = mode << 16; z.writestr(i, data)
${entries}
z.close()`, dir);

  const tarWith = (name: string, entries: string, mode = 'w') =>
    python(`import tarfile, io
t = tarfile.open(${JSON.stringify(name)}, '${mode}')
def add(n, data=b'x', kind=tarfile.REGTYPE, link=''):
    i = tarfile.TarInfo(n); i.type = kind; i.linkname = link; i.size = len(data) if kind == tarfile.REGTYPE else 0
    t.addfile(i, io.BytesIO(data) if kind == tarfile.REGTYPE else None)
${entries}
t.close()`, dir);

  it('zip and tar members with .. are refused with the spec text', async () => {
    zipWith('dotdot.zip', "add('ok.txt', b'ok')\nadd('a/../../evil.txt', b'evil')");
    await expectRefused(join(dir, 'dotdot.zip'), 'zip', /^Invalid repo path: Invalid path segment: '\.\.'$/);
    tarWith('dotdot.tar', "add('ok.txt')\nadd('../evil.txt')");
    await expectRefused(join(dir, 'dotdot.tar'), 'tar', /Invalid path segment: '\.\.'/);
    expect(existsSync(join(dir, '..', 'evil.txt'))).toBe(false);
  });

  it('absolute paths and drive letters are refused', async () => {
    zipWith('abs.zip', "add('/etc/passwd', b'x')");
    await expectRefused(join(dir, 'abs.zip'), 'zip', /Unsafe path in archive: \/etc\/passwd \(absolute path\)/);
    zipWith('drive.zip', "add('C:\\\\Windows\\\\evil.dll', b'x')");
    await expectRefused(join(dir, 'drive.zip'), 'zip', /absolute path/);
    tarWith('abs.tar', "add('/tmp/evil')");
    await expectRefused(join(dir, 'abs.tar'), 'tar', /absolute path/);
  });

  it('symlinks pointing out of the root are refused, and nothing may be written below a symlink', async () => {
    tarWith('esc.tar', "add('ln', kind=tarfile.SYMTYPE, link='../../etc')");
    await expectRefused(join(dir, 'esc.tar'), 'tar', /Unsafe symlink in archive: ln -> \.\.\/\.\.\/etc/);
    tarWith('abslink.tar', "add('ln', kind=tarfile.SYMTYPE, link='/etc/passwd')");
    await expectRefused(join(dir, 'abslink.tar'), 'tar', /points outside the destination/);
    zipWith('esc.zip', "add('a/ln', b'../../x', 0o120777)");
    await expectRefused(join(dir, 'esc.zip'), 'zip', /Unsafe symlink in archive: a\/ln/);
    tarWith('through.tar', "add('d', kind=tarfile.SYMTYPE, link='sub')\nadd('d/file.txt')");
    await expectRefused(join(dir, 'through.tar'), 'tar', /d\/file.txt lies below the file or symlink d/);
  });

  it('duplicate names and .git components are refused', async () => {
    tarWith('dup.tar', "add('a.txt', b'1')\nadd('./a.txt', b'2')");
    await expectRefused(join(dir, 'dup.tar'), 'tar', /Duplicate entry in archive: a.txt/);
    zipWith('dup.zip', "add('a.txt', b'1')\nadd('a.txt', b'2')");
    await expectRefused(join(dir, 'dup.zip'), 'zip', /Duplicate entry in archive: a.txt/);
    tarWith('dotgit.tar', "add('sub/.git/config')");
    await expectRefused(join(dir, 'dotgit.tar'), 'tar', /\.git component/);
  });

  it('zip bombs: total size and ratio limits, from options or the environment', async () => {
    python("import zipfile\nz = zipfile.ZipFile('zeros.zip', 'w', zipfile.ZIP_DEFLATED)\nz.writestr('zeros', b'\\0' * (80 << 20))\nz.close()", dir);
    expect(statSync(join(dir, 'zeros.zip')).size).toBeLessThan(200_000);
    await expectRefused(join(dir, 'zeros.zip'), 'zip', /more than 1048576 bytes/, resolveLimits({}, { maxSize: '1M' }));
    await expectRefused(join(dir, 'zeros.zip'), 'zip', /compression ratio exceeds 100:1/, resolveLimits({ VOST_ARCHIVE_MAX_RATIO: '100' }));
    python("import tarfile, io\nt = tarfile.open('zeros.tar.xz', 'w:xz')\ni = tarfile.TarInfo('zeros'); i.size = 80 << 20\nt.addfile(i, io.BytesIO(b'\\0' * i.size))\nt.close()", dir);
    await expectRefused(join(dir, 'zeros.tar.xz'), 'tar', /compression ratio exceeds 2000:1/, resolveLimits({}));
    await expectRefused(join(dir, 'zeros.tar.xz'), 'tar', /more than 10485760 bytes/, resolveLimits({ VOST_ARCHIVE_MAX_SIZE: '10M' }));
  });

  it('truncated and corrupt archives are refused', async () => {
    writeFileSync(join(dir, 'data.bin'), randomBytes(200_000));
    sh('zip', ['-q', 'good.zip', 'data.bin'], dir);
    sh('tar', ['-czf', 'good.tgz', 'data.bin'], dir);
    sh('tar', ['-cf', 'good.tar', 'data.bin'], dir);
    for (const [name, format] of [['good.zip', 'zip'], ['good.tgz', 'tar'], ['good.tar', 'tar']] as const) {
      const cut = join(dir, `cut-${name}`);
      writeFileSync(cut, readFileSync(join(dir, name)));
      truncateSync(cut, Math.floor(statSync(cut).size / 2));
      await expectRefused(cut, format, format === 'zip' ? /^Not a valid zip file: / : /^Not a valid tar archive: /);
    }
    const flipped = readFileSync(join(dir, 'good.zip'));
    flipped[flipped.indexOf('data.bin') + 'data.bin'.length + 5000] ^= 0xff;
    writeFileSync(join(dir, 'flipped.zip'), flipped);
    await expectRefused(join(dir, 'flipped.zip'), 'zip', /Not a valid zip file: .*flipped.zip \(/);
  });

  it('a good archive still imports after all that', async () => {
    const commit = await importFile(join(dir, 'good.tar'), 'tar');
    expect(commit).toMatch(/^[0-9a-f]{40}$/);
    sh('git', ['--git-dir', repoDir, 'fsck', '--strict']);
  });
});

describe('entry path rules', () => {
  it('normalises names like repo paths', () => {
    expect(normalizeEntryPath('./a/./b.txt')).toBe('a/b.txt');
    expect(normalizeEntryPath('././')).toBeNull();
    expect(normalizeEntryPath('dir/')).toBe('dir');
    expect(normalizeEntryPath('win\\style\\f.txt')).toBe('win/style/f.txt');
    expect(() => normalizeEntryPath('a//b')).toThrow("Invalid repo path: Empty segment in path: 'a//b'");
    expect(() => normalizeEntryPath('a\0b')).toThrow(/NUL/);
    expect(() => normalizeEntryPath('.GIT/hooks/x')).toThrow(/\.git component/);
  });

  it('allows symlinks that stay inside the root', () => {
    expect(() => checkLinkTarget('a/b/ln', '../../x')).not.toThrow();
    expect(() => checkLinkTarget('a/b/ln', '../../../x')).toThrow(/outside/);
    expect(() => checkLinkTarget('ln', 'sub/../x')).not.toThrow();
    expect(() => checkLinkTarget('ln', 'D:/x')).toThrow(/outside/);
  });

  it('detects a file below a file and a file where a directory was', () => {
    const s = new EntryNameSet();
    s.add('a/b');
    expect(() => s.add('a')).toThrow(/both a file and a directory/);
    s.add('c');
    expect(() => s.add('c/d')).toThrow(/lies below/);
  });
});
