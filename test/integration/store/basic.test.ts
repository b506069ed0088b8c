import { randomBytes } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeCommit, encodeTree, hashObject } from '../../../src/core/objects/index.js';
import { initBareRepo, isRepository, openRepository } from '../../../src/core/store/index.js';
import { git, gitRaw, makeTmp } from './helpers.js';

describe('init + loose objects + refs', () => {
  let tmp: ReturnType<typeof makeTmp>;
  let gitdir: string;
  beforeEach(async () => {
    tmp = makeTmp();
    gitdir = join(tmp.dir, 'repo.git');
    await initBareRepo(gitdir, { initialHead: 'main' });
  });
  afterEach(() => tmp.cleanup());

  it('creates a bare repo git accepts', async () => {
    expect(await isRepository(gitdir)).toBe(true);
    expect(await isRepository(tmp.dir)).toBe(false);
    expect(git(gitdir, ['rev-parse', '--is-bare-repository'])).toBe('true');
    expect(git(gitdir, ['symbolic-ref', 'HEAD'])).toBe('refs/heads/main');
    git(gitdir, ['fsck', '--strict']);
  });

  it('writes objects, a commit and a ref that git reads back', async () => {
    const repo = await openRepository(gitdir);
    const blob = await repo.objects.write('blob', Buffer.from('hello\n'));
    expect(blob).toBe(git(gitdir, ['hash-object', '--stdin'], 'hello\n'));
    const tree = await repo.objects.write('tree', encodeTree([{ name: 'a.txt', mode: '100644', oid: blob }]));
    const ident = { name: 'A U Thor', email: 'a@example.com', timestamp: 1700000000, tz: '+0130' };
    const commit = await repo.objects.write(
      'commit',
      encodeCommit({ tree, parents: [], author: ident, committer: ident, message: 'first\n' }),
    );
    await repo.refs.update({ ref: 'HEAD', newOid: commit, expectOld: '0'.repeat(40), reflog: { committer: 'A <a@b>', message: 'commit: first' } });
    expect(git(gitdir, ['rev-parse', 'refs/heads/main'])).toBe(commit);
    expect(git(gitdir, ['cat-file', '-p', `${commit}:a.txt`])).toBe('hello');
    expect(gitRaw(gitdir, ['cat-file', 'commit', commit]).toString()).toContain('author A U Thor <a@example.com> 1700000000 +0130');
    git(gitdir, ['fsck', '--strict']);
    const obj = await repo.objects.read(commit);
    expect(obj.type).toBe('commit');
    expect(hashObject('commit', obj.data)).toBe(commit);
    expect(await repo.objects.readHeader(blob)).toEqual({ type: 'blob', size: 6 });
    expect((await repo.refs.readReflog('refs/heads/main'))?.[0]?.message).toBe('commit: first');
  });
});

describe('streamed loose writes', () => {
  let tmp: ReturnType<typeof makeTmp>;
  let gitdir: string;
  beforeEach(async () => {
    tmp = makeTmp();
    gitdir = join(tmp.dir, 'repo.git');
    await initBareRepo(gitdir, { bigFileThreshold: 64 * 1024 });
  });
  afterEach(() => tmp.cleanup());

  it('writeStream and writeFromFile produce the ids and contents git expects', async () => {
    const repo = await openRepository(gitdir);
    expect(repo.objects.bigFileThreshold).toBe(64 * 1024);
    const chunk = randomBytes(256 * 1024);
    async function* source(): AsyncGenerator<Buffer> {
      for (let i = 0; i < 12; i++) yield chunk;
    }
    const streamed = await repo.objects.writeStream(source());
    const file = join(tmp.dir, 'whole.bin');
    writeFileSync(file, Buffer.concat(Array.from({ length: 12 }, () => chunk)));
    expect(streamed).toEqual({ oid: git(gitdir, ['hash-object', file]), size: 12 * chunk.length });
    const small = await repo.objects.writeStream((async function* () {})());
    expect(small).toEqual({ oid: git(gitdir, ['hash-object', '--stdin'], ''), size: 0 });
    const mid = join(tmp.dir, 'mid.bin');
    writeFileSync(mid, chunk.subarray(0, 100_000));
    const fromFile = await repo.objects.writeFromFile(mid);
    expect(fromFile.oid).toBe(git(gitdir, ['hash-object', mid]));
    expect(gitRaw(gitdir, ['cat-file', 'blob', fromFile.oid]).equals(chunk.subarray(0, 100_000))).toBe(true);
    expect(gitRaw(gitdir, ['cat-file', 'blob', streamed.oid]).length).toBe(12 * chunk.length);
    expect((await repo.objects.readRange(streamed.oid, chunk.length - 3, 6)).equals(Buffer.concat([chunk.subarray(-3), chunk.subarray(0, 3)]))).toBe(true);
    git(gitdir, ['fsck', '--strict']);
    expect(readdirSync(join(gitdir, 'objects')).filter((n) => n.startsWith('tmp_'))).toEqual([]);
  });
});
