import { createReadStream, lstatSync, mkdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArchiveFormat } from '../../../src/plugins/archive/format.js';
import type { StreamedMember } from '../../../src/plugins/archive/member.js';
import { openArchiveOutput } from '../../../src/plugins/archive/output.js';
import { readTar } from '../../../src/plugins/archive/tar-read.js';
import { ZipReader } from '../../../src/plugins/archive/zip-read.js';
import { limits, removeDir, sh, tempDir } from './helpers.js';

const T = Date.parse('2024-05-01T12:00:00Z');
const LONG = `deep/${'d'.repeat(120)}/${'n'.repeat(100)}.txt`;
const BIG = Buffer.alloc(1536 * 1024 + 7, 'abcdefghij');

async function writeSample(file: string, format: ArchiveFormat): Promise<void> {
  const out = await openArchiveOutput({ file }, format);
  await out.add({ path: 'hello.txt', kind: 'file', size: 6, mtimeMs: T }, Buffer.from('hello\n'));
  await out.add({ path: 'bin/run.sh', kind: 'executable', size: 10, mtimeMs: T }, Readable.from([Buffer.from('#!/bin/sh\n')]));
  await out.add({ path: 'bin/link', kind: 'symlink', size: 6, mtimeMs: T, target: 'run.sh' });
  await out.add({ path: 'empty', kind: 'file', size: 0, mtimeMs: T }, new Uint8Array(0));
  await out.add({ path: LONG, kind: 'file', size: 4, mtimeMs: T }, Buffer.from('long'));
  await out.add({ path: 'big.bin', kind: 'file', size: BIG.length, mtimeMs: T }, Readable.from([BIG.subarray(0, 1000), BIG.subarray(1000)]));
  await out.finish();
}

function checkExtracted(dir: string): void {
  expect(readFileSync(join(dir, 'hello.txt'), 'utf8')).toBe('hello\n');
  expect(statSync(join(dir, 'hello.txt')).mode & 0o111).toBe(0);
  expect(statSync(join(dir, 'bin/run.sh')).mode & 0o777).toBe(0o755);
  expect(lstatSync(join(dir, 'bin/link')).isSymbolicLink()).toBe(true);
  expect(readlinkSync(join(dir, 'bin/link'))).toBe('run.sh');
  expect(readFileSync(join(dir, 'empty')).length).toBe(0);
  expect(readFileSync(join(dir, LONG), 'utf8')).toBe('long');
  expect(readFileSync(join(dir, 'big.bin')).equals(BIG)).toBe(true);
  expect(Math.round(statSync(join(dir, 'hello.txt')).mtimeMs)).toBe(T);
}

async function tarMembers(file: string): Promise<Array<Record<string, unknown>>> {
  const out: Array<Record<string, unknown>> = [];
  for await (const m of readTar(createReadStream(file), { limits, display: file })) out.push(await describeMember(m));
  return out;
}

async function describeMember(m: StreamedMember): Promise<Record<string, unknown>> {
  if (m.type === 'hardlink') return { path: m.path, linkTo: m.linkTo };
  const chunks: Buffer[] = [];
  for await (const c of m.content) chunks.push(c as Buffer);
  const body = Buffer.concat(chunks);
  return { path: m.path, kind: m.kind, ...(m.target ? { target: m.target } : {}), text: body.length < 100 ? body.toString() : body.length };
}

async function zipMembers(file: string): Promise<Array<Record<string, unknown>>> {
  const zip = await ZipReader.open(file, limits);
  try {
    const out: Array<Record<string, unknown>> = [];
    for (const m of zip.members) {
      const chunks: Buffer[] = [];
      if (m.kind !== 'symlink') for await (const c of await zip.open(m.path)) chunks.push(c as Buffer);
      const body = Buffer.concat(chunks);
      out.push({ path: m.path, kind: m.kind, ...(m.target ? { target: m.target } : {}), text: m.kind === 'symlink' ? '' : body.length < 100 ? body.toString() : body.length });
    }
    return out;
  } finally {
    zip.close();
  }
}

describe('archives we write are read by the real tools', () => {
  let dir: string;
  beforeAll(() => { dir = tempDir(); });
  afterAll(() => removeDir(dir));

  it('zip: unzip lists Unix modes and extracts files, exec bits and symlinks', async () => {
    const file = join(dir, 'a.zip');
    await writeSample(file, { kind: 'zip' });
    const info = sh('zipinfo', [file]);
    expect(info).toMatch(/-rw-r--r--\s+\S+ unx\s+6 \S+ defN \S+ \S+ hello.txt/);
    expect(info).toMatch(/-rwxr-xr-x\s+\S+ unx\s+10 .* bin\/run.sh/);
    expect(info).toMatch(/l.........\s+\S+ unx\s+6 .* bin\/link/);
    sh('unzip', ['-tq', file]);
    const out = join(dir, 'zip-x');
    mkdirSync(out);
    sh('unzip', ['-q', file], out);
    checkExtracted(out);
  });

  it('zip: many whole entries (deflated in batches off the main thread) keep their order and bytes around a streamed one', async () => {
    const file = join(dir, 'many.zip');
    const bodies = Array.from({ length: 300 }, (_, i) => Buffer.from(`${i} `.repeat(200 + (i * 37) % 1500)));
    const out = await openArchiveOutput({ file }, { kind: 'zip' });
    for (let i = 0; i < bodies.length; i++) {
      if (i === 150) await out.add({ path: 'mid/big.bin', kind: 'file', size: BIG.length, mtimeMs: T }, Readable.from([BIG]));
      await out.add({ path: `f/${String(i).padStart(3, '0')}.txt`, kind: 'file', size: bodies[i]!.length, mtimeMs: T }, bodies[i]);
    }
    await out.finish();
    sh('unzip', ['-tq', file]);
    const names = sh('zipinfo', ['-1', file]).split('\n').filter(Boolean);
    expect(names).toEqual([...bodies.slice(0, 150).map((_, i) => `f/${String(i).padStart(3, '0')}.txt`), 'mid/big.bin',
      ...bodies.slice(150).map((_, i) => `f/${String(i + 150).padStart(3, '0')}.txt`)]);
    expect(sh('zipinfo', [file]).match(/ defN /g)?.length).toBe(301);
    const x = join(dir, 'many-x');
    mkdirSync(x);
    sh('unzip', ['-q', file], x);
    bodies.forEach((b, i) => expect(readFileSync(join(x, `f/${String(i).padStart(3, '0')}.txt`)).equals(b)).toBe(true));
    expect(readFileSync(join(x, 'mid/big.bin')).equals(BIG)).toBe(true);
  });

  for (const [name, compression, flag] of [
    ['a.tar', 'none', ''],
    ['a.tar.gz', 'gzip', 'z'],
    ['a.tar.bz2', 'bzip2', 'j'],
    ['a.tar.xz', 'xz', 'J'],
  ] as const) {
    it(`${name}: tar lists and extracts it with modes, symlinks, long names, uid 0`, async () => {
      const file = join(dir, name);
      await writeSample(file, { kind: 'tar', compression });
      const listing = sh('tar', [`-t${flag}vf`, file]);
      expect(listing).toMatch(/^-rw-r--r-- 0\/0\s+6 2024-05-01 \d\d:00 hello.txt$/m);
      expect(listing).toMatch(/^-rwxr-xr-x 0\/0\s+10 .* bin\/run.sh$/m);
      expect(listing).toMatch(/^l.* bin\/link -> run.sh$/m);
      expect(listing).toContain(LONG);
      const out = join(dir, `x-${name}`);
      mkdirSync(out);
      sh('tar', [`-x${flag}f`, file, '-C', out]);
      checkExtracted(out);
    });
  }

  it('an archive with no entries is valid for unzip and tar', async () => {
    const z = await openArchiveOutput({ file: join(dir, 'empty.zip') }, { kind: 'zip' });
    await z.finish();
    // unzip exits 1 on an empty (valid) zip, so Python's zipfile is the oracle here.
    const py = sh('python3', ['-c', 'import sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); print(len(z.namelist()), z.testzip())', join(dir, 'empty.zip')]);
    expect(py).toBe('0 None\n');
    const t = await openArchiveOutput({ file: join(dir, 'empty.tar.gz') }, { kind: 'tar', compression: 'gzip' });
    await t.finish();
    expect(sh('tar', ['-tzf', join(dir, 'empty.tar.gz')])).toBe('');
  });

  it('more than 65535 entries get zip64 end records that unzip and Python read', async () => {
    const file = join(dir, 'many.zip');
    const z = await openArchiveOutput({ file }, { kind: 'zip' });
    // Empty members are stored, not deflated: this test is about the records, not zlib.
    for (let i = 0; i < 70_000; i++) await z.add({ path: `d${i % 100}/f${i}`, kind: 'file', size: 0, mtimeMs: T }, new Uint8Array(0));
    await z.finish();
    sh('unzip', ['-tq', file]);
    const py = sh('python3', ['-c', 'import sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); print(len(z.namelist()), z.read("d99/f69999"))', file]);
    expect(py).toBe("70000 b''\n");
    const zip = await ZipReader.open(file, limits);
    expect(zip.members.length).toBe(70_000);
    zip.close();
  });

  it('an aborted archive leaves no file behind', async () => {
    const file = join(dir, 'aborted.zip');
    const z = await openArchiveOutput({ file }, { kind: 'zip' });
    await z.add({ path: 'a', kind: 'file', size: 1, mtimeMs: T }, Buffer.from('a'));
    await z.abort();
    expect(() => statSync(file)).toThrow();
    expect(sh('ls', ['-A', dir])).not.toContain('aborted');
  });

  it('a stream shorter than its announced size fails instead of writing a corrupt tar', async () => {
    const file = join(dir, 'short.tar');
    const t = await openArchiveOutput({ file }, { kind: 'tar', compression: 'none' });
    await expect(t.add({ path: 'a', kind: 'file', size: 10, mtimeMs: T }, Readable.from([Buffer.from('abc')]))).rejects.toThrow(/expected 10 bytes, got 3/);
    await t.abort();
    expect(() => statSync(file)).toThrow();
  });
});

describe('archives made by zip, tar and git archive are read back', () => {
  let dir: string;
  let src: string;
  const expected = [
    { path: 'a.txt', kind: 'file', text: 'alpha\n' },
    { path: 'sub/run.sh', kind: 'executable', text: '#!/bin/sh\n' },
    { path: 'sub/ln', kind: 'symlink', target: 'run.sh' },
  ];
  const sorted = (xs: Array<Record<string, unknown>>) =>
    xs.map(({ text, ...rest }) => (rest.kind === 'symlink' ? rest : { ...rest, text })).sort((a, b) => String(a.path).localeCompare(String(b.path)));

  beforeAll(() => {
    dir = tempDir();
    src = join(dir, 'src');
    mkdirSync(join(src, 'sub'), { recursive: true });
    writeFileSync(join(src, 'a.txt'), 'alpha\n');
    writeFileSync(join(src, 'sub/run.sh'), '#!/bin/sh\n');
    chmodSync(join(src, 'sub/run.sh'), 0o755);
    symlinkSync('run.sh', join(src, 'sub/ln'));
  });
  afterAll(() => removeDir(dir));

  it('zip -y (with directory entries and symlinks)', async () => {
    sh('zip', ['-qry', join(dir, 'z.zip'), '.'], src);
    expect(sorted(await zipMembers(join(dir, 'z.zip')))).toEqual(sorted(expected));
  });

  for (const flag of ['', 'z', 'j', 'J']) {
    it(`tar -c${flag} with ./ prefixes and directory members`, async () => {
      const file = join(dir, `t${flag}.tar`);
      sh('tar', [`-c${flag}f`, file, '.'], src);
      expect(sorted(await tarMembers(file))).toEqual(sorted(expected));
    });
  }

  it('git archive (tar and zip)', async () => {
    const work = join(dir, 'work');
    sh('git', ['init', '-q', work]);
    sh('cp', ['-a', `${src}/.`, work]);
    sh('git', ['-C', work, 'add', '.']);
    sh('git', ['-C', work, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'x']);
    sh('git', ['-C', work, 'archive', '--format=tar', '-o', join(dir, 'g.tar'), 'HEAD']);
    sh('git', ['-C', work, 'archive', '--format=zip', '-o', join(dir, 'g.zip'), 'HEAD']);
    expect(sorted(await tarMembers(join(dir, 'g.tar')))).toEqual(sorted(expected));
    expect(sorted(await zipMembers(join(dir, 'g.zip')))).toEqual(sorted(expected));
  });

  it('tar hard links come out as hardlink members naming the earlier file', async () => {
    sh('ln', [join(src, 'a.txt'), join(src, 'hard.txt')]);
    const file = join(dir, 'h.tar');
    sh('tar', ['-cf', file, 'a.txt', 'hard.txt'], src);
    expect(await tarMembers(file)).toEqual([
      { path: 'a.txt', kind: 'file', text: 'alpha\n' },
      { path: 'hard.txt', linkTo: 'a.txt' },
    ]);
  });
});
