import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { chmodSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { IsADirectoryError } from '../../../src/index.js';
import { PACK_COUNT_THRESHOLD } from '../../../src/core/batch.js';
import { WHOLE_READ_MAX } from '../../../src/core/local-file.js';
import { fsck, git, lsTree, useTempStore } from './helpers.js';

const t = useTempStore();

const packs = () => readdirSync(join(t.repoPath, 'objects/pack')).filter((n) => n.endsWith('.pack'));
const looseCount = () =>
  readdirSync(join(t.repoPath, 'objects'))
    .filter((d) => /^[0-9a-f]{2}$/.test(d))
    .reduce((n, d) => n + readdirSync(join(t.repoPath, 'objects', d)).length, 0);

/** `path → "mode oid"` from git's own listing. */
function listing(ref: string): Map<string, string> {
  return new Map(
    lsTree(t.repoPath, ref).map((line) => {
      const [meta, path] = line.split('\t') as [string, string];
      const [mode, , oid] = meta.split(' ');
      return [path, `${mode} ${oid}`];
    }),
  );
}

const hashOf = (file: string) => git(t.tmp.path, 'hash-object', file).trim();

describe('Batch.writeFromFile from the local disk', () => {
  it('packs many small files, streams a big one, and records the ids and modes git computes', async () => {
    const src = join(t.tmp.path, 'src');
    mkdirSync(src);
    const n = PACK_COUNT_THRESHOLD * 2;
    const names: string[] = [];
    for (let i = 0; i < n; i++) {
      const name = `f${String(i).padStart(3, '0')}`;
      writeFileSync(join(src, name), Buffer.alloc((i * 97) % 5000, `file ${i} `));
      names.push(name);
    }
    chmodSync(join(src, 'f001'), 0o755);
    writeFileSync(join(src, 'big'), Buffer.alloc(WHOLE_READ_MAX + 4096, 'big '));
    symlinkSync('f002', join(src, 'link'));
    names.push('big', 'link');

    const fs = await t.store.branches.get('main');
    const looseBefore = looseCount();
    const b = fs.batch();
    for (const name of names) await b.writeFromFile(`d/${name}`, join(src, name));
    await b.writeFromFile('forced', join(src, 'f003'), { mode: 'executable' });
    await b.commit();

    fsck(t.repoPath);
    expect(packs()).toHaveLength(1);
    expect(looseCount()).toBe(looseBefore);
    const got = listing('main');
    expect(got.size).toBe(names.length + 1);
    for (const name of names) {
      const mode = name === 'f001' ? '100755' : '100644';
      // A symlink is followed: the blob is its target's content.
      const local = join(src, name === 'link' ? 'f002' : name);
      expect(got.get(`d/${name}`), name).toBe(`${mode} ${hashOf(local)}`);
    }
    expect(got.get('forced')).toBe(`100755 ${hashOf(join(src, 'f003'))}`);
  });

  it('a small batch stores its files loose; a directory or missing file fails without spoiling the batch', async () => {
    const a = join(t.tmp.path, 'a.txt');
    writeFileSync(a, 'alpha\n');
    const dir = join(t.tmp.path, 'dir');
    mkdirSync(dir);
    const fs = await t.store.branches.get('main');
    const b = fs.batch();
    await expect(b.writeFromFile('x', dir)).rejects.toBeInstanceOf(IsADirectoryError);
    await expect(b.writeFromFile('y', join(t.tmp.path, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
    await b.writeFromFile('a.txt', a);
    await b.commit();
    expect(packs()).toHaveLength(0);
    expect(git(t.repoPath, 'cat-file', 'blob', 'main:a.txt')).toBe('alpha\n');
    expect([...listing('main').keys()]).toEqual(['a.txt']);
    fsck(t.repoPath);
  });
});
