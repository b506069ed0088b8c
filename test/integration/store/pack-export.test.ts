import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBareRepo, listObjects, openRepository, packStream } from '../../../src/core/store/index.js';
import { gitMadeRepo } from './fixtures.js';
import { git, gitRaw, makeTmp } from './helpers.js';

async function collect(gen: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of gen) parts.push(c);
  return Buffer.concat(parts);
}

describe('exporting packs', () => {
  const tmp = makeTmp();
  let source: string;
  beforeAll(() => {
    source = gitMadeRepo(tmp.dir, 'aggressive', 30);
    git(source, ['hash-object', '-w', '--stdin'], 'a loose blob nobody references\n');
  });
  afterAll(() => tmp.cleanup());

  it('lists what git rev-list --objects lists, for a full clone and for a range', async () => {
    const repo = await openRepository(source);
    const main = git(source, ['rev-parse', 'main']);
    const old = git(source, ['rev-parse', 'main~10']);
    const gitList = (args: string[]): string[] =>
      git(source, ['rev-list', '--objects', ...args])
        .split('\n')
        .map((l) => l.slice(0, 40))
        .sort();
    expect([...(await listObjects(repo.objects, [main]))].sort()).toEqual(gitList([main]));
    expect([...(await listObjects(repo.objects, [main], [old]))].sort()).toEqual(gitList([main, `^${old}`]));
    await repo.objects.close();
  });

  it('streams a pack git index-pack accepts, and one our importPack takes back', async () => {
    const repo = await openRepository(source);
    const main = git(source, ['rev-parse', 'main']);
    const pack = await collect(packStream(repo.objects, await listObjects(repo.objects, [main])));
    const viaGit = join(tmp.dir, 'via-git.git');
    git(tmp.dir, ['init', '-q', '--bare', viaGit]);
    gitRaw(viaGit, ['index-pack', '--stdin', '--strict'], pack);
    git(viaGit, ['update-ref', 'refs/heads/main', main]);
    git(viaGit, ['fsck', '--strict', '--no-dangling']);

    const big = Buffer.concat([randomBytes(1 << 20), Buffer.alloc(1 << 20, 1)]);
    const bigOid = await repo.objects.write('blob', big);
    const bigPack = await collect(packStream(repo.objects, [bigOid]));
    gitRaw(viaGit, ['index-pack', '--stdin', '--strict'], bigPack);
    expect(gitRaw(viaGit, ['cat-file', 'blob', bigOid]).equals(big)).toBe(true);

    const old = git(source, ['rev-parse', 'main~10']);
    const partial = join(tmp.dir, 'partial.git');
    await initBareRepo(partial);
    const dest = await openRepository(partial);
    await dest.objects.importPack(
      packStream(repo.objects, await listObjects(repo.objects, [old])),
    );
    await dest.objects.importPack(packStream(repo.objects, await listObjects(repo.objects, [main], [old])));
    await dest.refs.update({ ref: 'refs/heads/main', newOid: main });
    git(partial, ['fsck', '--strict', '--no-dangling']);
    expect(git(partial, ['rev-list', '--count', 'main'])).toBe('30');
    await repo.objects.close();
    await dest.objects.close();
  });
});
