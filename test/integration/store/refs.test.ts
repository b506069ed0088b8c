import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { InvalidRefNameError, RefConflictError } from '../../../src/core/errors.js';
import { ZERO_OID } from '../../../src/core/store/index.js';
import { git, useTempRepository } from './helpers.js';

const run = promisify(execFile);
const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);

describe('ref store', () => {
  const t = useTempRepository();

  it('compare-and-swap: creates, moves, and refuses stale expectations', async () => {
    await t.repo.refs.update({ ref: 'refs/heads/main', newOid: A, expectOld: ZERO_OID });
    await expect(t.repo.refs.update({ ref: 'refs/heads/main', newOid: B, expectOld: ZERO_OID })).rejects.toBeInstanceOf(RefConflictError);
    await t.repo.refs.update({ ref: 'refs/heads/main', newOid: B, expectOld: A });
    const err = await t.repo.refs.update({ ref: 'refs/heads/main', newOid: C, expectOld: A }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RefConflictError);
    expect((err as RefConflictError).actual).toBe(B);
    expect(await t.repo.refs.resolve('HEAD')).toBe(B);
    expect(readFileSync(join(t.gitdir, 'refs/heads/main'), 'utf8')).toBe(`${B}\n`);
    await expect(t.repo.refs.update({ ref: 'refs/heads/other', newOid: C, expectOld: A })).rejects.toBeInstanceOf(RefConflictError);
    expect(await t.repo.refs.resolve('refs/heads/other')).toBeNull();
  });

  it('writes reflogs git understands', async () => {
    git(t.gitdir, ['hash-object', '-w', '--stdin'], 'x');
    const tree = git(t.gitdir, ['mktree'], '');
    const c1 = git(t.gitdir, ['commit-tree', '-m', 'one', tree]);
    const c2 = git(t.gitdir, ['commit-tree', '-m', 'two', '-p', c1, tree]);
    await t.repo.refs.update({ ref: 'refs/heads/main', newOid: c1, reflog: { committer: 'A U Thor <a@example.com>', message: 'commit: one', timestamp: 1700000001 } });
    await t.repo.refs.update({ ref: 'HEAD', newOid: c2, reflog: { committer: 'A U Thor <a@example.com>', message: 'commit: two\nmore', timestamp: 1700000002 } });
    const text = readFileSync(join(t.gitdir, 'logs/refs/heads/main'), 'utf8');
    expect(text).toBe(
      `${ZERO_OID} ${c1} A U Thor <a@example.com> 1700000001 +0000\tcommit: one\n` +
        `${c1} ${c2} A U Thor <a@example.com> 1700000002 +0000\tcommit: two more\n`,
    );
    expect(git(t.gitdir, ['reflog', 'show', '--format=%H %gs', 'refs/heads/main'])).toBe(`${c2} commit: two more\n${c1} commit: one`);
    const log = await t.repo.refs.readReflog('refs/heads/main');
    expect(log).toEqual([
      { oldSha: ZERO_OID, newSha: c1, committer: 'A U Thor <a@example.com>', timestamp: 1700000001, tz: '+0000', message: 'commit: one' },
      { oldSha: c1, newSha: c2, committer: 'A U Thor <a@example.com>', timestamp: 1700000002, tz: '+0000', message: 'commit: two more' },
    ]);
    expect(await t.repo.refs.readReflog('refs/heads/none')).toBeNull();
    git(t.gitdir, ['fsck', '--strict']);
  });

  it('merges loose and packed refs, deletes from both, and reads peeled tags', async () => {
    writeFileSync(
      join(t.gitdir, 'packed-refs'),
      `# pack-refs with: peeled fully-peeled sorted \n${A} refs/heads/packed\n${B} refs/heads/shadowed\n${C} refs/tags/v1\n^${A}\n`,
    );
    const reflog = { committer: 'A U Thor <a@example.com>', message: 'branch: Created' };
    await t.repo.refs.update({ ref: 'refs/heads/shadowed', newOid: C, reflog });
    await t.repo.refs.update({ ref: 'refs/heads/feature/x', newOid: A, reflog });
    expect(await t.repo.refs.list('refs/heads/')).toEqual([
      { ref: 'refs/heads/feature/x', oid: A },
      { ref: 'refs/heads/packed', oid: A },
      { ref: 'refs/heads/shadowed', oid: C },
    ]);
    expect(await t.repo.refs.peeled!('refs/tags/v1')).toBe(A);
    await t.repo.refs.update({ ref: 'refs/heads/packed', newOid: B, expectOld: A, reflog });
    await t.repo.refs.delete('refs/heads/shadowed');
    expect(existsSync(join(t.gitdir, 'logs/refs/heads/feature/x'))).toBe(true);
    await t.repo.refs.delete('refs/heads/feature/x');
    expect(await t.repo.refs.resolve('refs/heads/shadowed')).toBeNull();
    // As with git, the reflog goes with the ref (and its emptied folder too).
    expect(existsSync(join(t.gitdir, 'logs/refs/heads/shadowed'))).toBe(false);
    expect(existsSync(join(t.gitdir, 'logs/refs/heads/feature'))).toBe(false);
    expect(existsSync(join(t.gitdir, 'logs/refs/heads/packed'))).toBe(true);
    expect(await t.repo.refs.list('refs/')).toEqual([
      { ref: 'refs/heads/packed', oid: B },
      { ref: 'refs/tags/v1', oid: C },
    ]);
    const packed = readFileSync(join(t.gitdir, 'packed-refs'), 'utf8');
    expect(packed).not.toContain('shadowed');
    expect(packed).toContain(`${C} refs/tags/v1\n^${A}\n`);
    mkdirSync(join(t.gitdir, 'refs/heads/feature'), { recursive: true });
    await t.repo.refs.update({ ref: 'refs/heads/feature', newOid: A });
  });

  it('symbolic refs and name validation', async () => {
    expect(await t.repo.refs.readSymbolic('HEAD')).toBe('refs/heads/main');
    expect(await t.repo.refs.resolve('HEAD')).toBeNull();
    await t.repo.refs.writeSymbolic('HEAD', 'refs/heads/dev');
    expect(git(t.gitdir, ['symbolic-ref', 'HEAD'])).toBe('refs/heads/dev');
    for (const bad of ['refs/heads/../../x', '/etc/passwd', 'refs/heads/a..b', 'refs/heads/x.lock', 'refs/heads/a b', 'lowercase']) {
      await expect(t.repo.refs.update({ ref: bad, newOid: A })).rejects.toBeInstanceOf(InvalidRefNameError);
    }
    await t.repo.refs.update({ ref: 'refs/heads/a', newOid: A });
    await expect(t.repo.refs.update({ ref: 'refs/heads/a/b', newOid: A })).rejects.toBeInstanceOf(InvalidRefNameError);
  });

  it('concurrent compare-and-swap updates from several processes never lose a move', async () => {
    const bundle = join(t.tmp.dir, 'refs-bundle.mjs');
    await build({
      entryPoints: [resolve(__dirname, '../../../src/core/store/index.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: bundle,
      logLevel: 'silent',
    });
    const script = join(t.tmp.dir, 'worker.mjs');
    writeFileSync(
      script,
      `import { openRepository, ZERO_OID } from ${JSON.stringify(bundle)};
import { createHash } from 'node:crypto';
const [gitdir, id, rounds] = process.argv.slice(2);
const repo = await openRepository(gitdir);
for (let i = 0; i < Number(rounds); i++) {
  for (;;) {
    const cur = await repo.refs.resolve('refs/heads/counter');
    const next = createHash('sha1').update(id + ':' + i + ':' + cur).digest('hex');
    try {
      await repo.refs.update({ ref: 'refs/heads/counter', newOid: next, expectOld: cur ?? ZERO_OID,
        reflog: { committer: 'W <w@x>', message: 'w' + id + ' ' + i } });
      break;
    } catch (e) { if (e.code !== 'REF_CONFLICT') throw e; }
  }
}
`,
    );
    const workers = 4;
    const rounds = 25;
    await Promise.all(Array.from({ length: workers }, (_, i) => run(process.execPath, [script, t.gitdir, String(i), String(rounds)])));
    const log = (await t.repo.refs.readReflog('refs/heads/counter'))!;
    expect(log).toHaveLength(workers * rounds);
    log.forEach((line, i) => expect(line.oldSha).toBe(i === 0 ? ZERO_OID : log[i - 1]!.newSha));
    expect(await t.repo.refs.resolve('refs/heads/counter')).toBe(log[log.length - 1]!.newSha);
    for (let w = 0; w < workers; w++) expect(log.filter((l) => l.message.startsWith(`w${w} `))).toHaveLength(rounds);
  });
});
