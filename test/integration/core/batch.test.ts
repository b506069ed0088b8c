import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readdirSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs';
import {
  BatchClosedError,
  FileNotFoundError,
  IsADirectoryError,
  PermissionError,
  MODE_BLOB_EXEC,
} from '../../../src/index.js';
import { PACK_COUNT_THRESHOLD } from '../../../src/core/batch.js';
import { SPILL_THRESHOLD } from '../../../src/core/writers.js';
import { fsck, git, lsTree, useTempStore } from './helpers.js';

const t = useTempStore();

const paths = () => lsTree(t.repoPath, 'main').map((l) => l.split('\t')[1]);
const packs = () => readdirSync(join(t.repoPath, 'objects/pack')).filter((n) => n.endsWith('.pack'));

describe('Batch', () => {
  it('stages writes, symlinks, files and removes into one commit', async () => {
    let fs = await (await t.store.branches.get('main')).apply({ 'old.txt': 'o', 'keep.txt': 'k', 'd/x': 'x' });
    const local = join(t.tmp.path, 'tool.sh');
    writeFileSync(local, '#!/bin/sh\n');
    chmodSync(local, 0o755);
    const b = fs.batch({ message: 'many {add_count}+{delete_count}' });
    await b.write('a.txt', Buffer.from('a'));
    await b.writeText('b.txt', 'b', { mode: 'executable' });
    await b.writeSymlink('ln', 'a.txt');
    await b.writeFromFile('bin/tool.sh', local);
    await b.remove('old.txt');
    await expect(b.remove('missing')).rejects.toBeInstanceOf(FileNotFoundError);
    await expect(b.remove('d')).rejects.toBeInstanceOf(IsADirectoryError);
    await b.write('tmp', Buffer.from('t'));
    await b.remove('tmp');
    fs = await b.commit();
    expect(b.fs).toBe(fs);
    expect(paths()).toEqual(['a.txt', 'b.txt', 'bin/tool.sh', 'd/x', 'keep.txt', 'ln']);
    expect(git(t.repoPath, 'log', '-1', '--format=%s').trim()).toBe('many 4+1');
    expect(await fs.fileType('bin/tool.sh')).toBe('executable');
    expect(await fs.fileType('b.txt')).toBe('executable');
    expect(git(t.repoPath, 'rev-list', '--count', 'main').trim()).toBe('3');
    await expect(b.write('z', Buffer.from(''))).rejects.toThrow(new BatchClosedError('Batch is closed'));
    await expect(b.commit()).rejects.toThrow('Batch is already committed');
    expect(() => b.writer('w')).toThrow(BatchClosedError);
    fsck(t.repoPath);
  });

  it('an empty batch commits nothing and read-only snapshots cannot batch', async () => {
    const fs = await t.store.branches.get('main');
    const b = fs.batch();
    expect(await b.commit()).toBe(fs);
    await t.store.tags.set('t', fs);
    const tag = await t.store.tags.get('t');
    expect(() => tag.batch()).toThrow(new PermissionError('Cannot batch on a read-only snapshot'));
  });

  it('large batches write their blobs into one packfile git can verify', async () => {
    const fs = await t.store.branches.get('main');
    const before = packs().length;
    const b = fs.batch();
    const n = PACK_COUNT_THRESHOLD * 2;
    for (let i = 0; i < n; i++) await b.write(`files/f${String(i).padStart(4, '0')}.txt`, Buffer.from(`content ${i}\n`));
    const out = await b.commit();
    expect(packs().length).toBe(before + 1);
    expect(paths()).toHaveLength(n);
    expect(await out.readText('files/f0007.txt')).toBe('content 7\n');
    expect(git(t.repoPath, 'cat-file', 'blob', 'main:files/f0100.txt')).toBe('content 100\n');
    expect(git(t.repoPath, 'log', '-1', '--format=%s').trim()).toBe(`Batch: +${n}`);
    fsck(t.repoPath);
    const looseBlobs = git(t.repoPath, 'count-objects', '-v').match(/^count: (\d+)/m);
    expect(Number(looseBlobs?.[1])).toBeLessThan(20);
  });
});

describe('Batch.abort', () => {
  it('drops a started pack and commits nothing', async () => {
    const fs = await t.store.branches.get('main');
    const b = fs.batch();
    for (let i = 0; i <= PACK_COUNT_THRESHOLD + 1; i++) await b.write(`f${i}`, Buffer.from(`x${i}`));
    await b.abort();
    expect(b.closed).toBe(true);
    await expect(b.commit()).rejects.toBeInstanceOf(BatchClosedError);
    expect(readdirSync(join(t.repoPath, 'objects/pack'))).toEqual([]);
    expect(git(t.repoPath, 'rev-parse', 'main').trim()).toBe(fs.commitHash);
  });
});

describe('writers', () => {
  it('FsWriter commits on close; BatchWriter stages', async () => {
    const fs = await t.store.branches.get('main');
    const w = fs.writer('log.txt', 'w');
    w.write('line 1\n');
    w.write(Buffer.from('line 2\n'));
    expect(w.closed).toBe(false);
    await w.close();
    await w.close();
    expect(w.closed).toBe(true);
    expect(() => w.write('x')).toThrow('I/O operation on closed writer.');
    expect(git(t.repoPath, 'cat-file', 'blob', 'main:log.txt')).toBe('line 1\nline 2\n');
    expect(git(t.repoPath, 'log', '-1', '--format=%s').trim()).toBe('+ log.txt');
    const b = w.fs!.batch();
    const bw = b.writer('empty.txt');
    await bw.close();
    const bw2 = b.writer('x.txt');
    bw2.write('x');
    await bw2.close();
    await b.commit();
    expect(paths()).toEqual(['empty.txt', 'log.txt', 'x.txt']);
  });

  it('big writer content spills to disk and still lands intact', async () => {
    const fs = await t.store.branches.get('main');
    const w = fs.writer('big.bin');
    const chunk = Buffer.alloc(1024 * 1024, 7);
    const chunks = Math.ceil(SPILL_THRESHOLD / chunk.length) + 2;
    for (let i = 0; i < chunks; i++) w.write(chunk);
    await w.close();
    expect(await w.fs!.size('big.bin')).toBe(chunks * chunk.length);
    expect(git(t.repoPath, 'cat-file', '-s', 'main:big.bin').trim()).toBe(String(chunks * chunk.length));
  });
});

describe('writeFromFile and apply', () => {
  it('detects the exec bit, rejects directories, validates WriteEntry', async () => {
    const fs = await t.store.branches.get('main');
    const dir = join(t.tmp.path, 'd');
    mkdirSync(dir);
    await expect(fs.writeFromFile('x', dir)).rejects.toBeInstanceOf(IsADirectoryError);
    await expect(fs.writeFromFile('x', join(t.tmp.path, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(fs.apply({ a: { data: 'x', target: 'y' } })).rejects.toBeInstanceOf(TypeError);
    await expect(fs.apply({ a: {} })).rejects.toBeInstanceOf(TypeError);
    await expect(fs.apply({ a: 5 as never })).rejects.toBeInstanceOf(TypeError);
    await expect(fs.write('a', Buffer.from('x'), { mode: 'tree' })).rejects.toBeInstanceOf(TypeError);
    const out = await fs.apply(
      { 'x.sh': { data: 'echo', mode: MODE_BLOB_EXEC }, ln: { target: 'x.sh' }, 'plain.txt': new Uint8Array([104, 105]) },
      null,
      { operation: 'import' },
    );
    expect(git(t.repoPath, 'log', '-1', '--format=%s').trim()).toBe('Batch import: +3');
    expect(out.changes?.add.map((e) => [e.path, e.type])).toEqual([
      ['x.sh', 'executable'],
      ['ln', 'link'],
      ['plain.txt', 'blob'],
    ]);
  });
});
