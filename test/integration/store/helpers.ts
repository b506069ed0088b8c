import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { initBareRepo, openRepository, type Repository } from '../../../src/core/store/index.js';

export const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'T',
  GIT_AUTHOR_EMAIL: 't@example.com',
  GIT_COMMITTER_NAME: 'T',
  GIT_COMMITTER_EMAIL: 't@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

/** Run git in `cwd` and return stdout (trimmed unless raw). */
export function git(cwd: string, args: string[], input?: string | Buffer): string {
  return execFileSync('git', args, { cwd, env: GIT_ENV, input, maxBuffer: 1 << 30 }).toString('utf8').trim();
}

export function gitRaw(cwd: string, args: string[], input?: string | Buffer): Buffer {
  return execFileSync('git', args, { cwd, env: GIT_ENV, input, maxBuffer: 1 << 30 });
}

export function makeTmp(prefix = 'vost-store-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A new bare repository (HEAD → main) for each test of the enclosing describe block. */
export interface TempRepository {
  tmp: ReturnType<typeof makeTmp>;
  /** `<tmp>/repo.git`. */
  gitdir: string;
  repo: Repository;
}

/** Registers hooks that create and open a fresh repository before each test, and close and delete it after. */
export function useTempRepository(): TempRepository {
  const t = {} as TempRepository;
  beforeEach(async () => {
    t.tmp = makeTmp();
    t.gitdir = join(t.tmp.dir, 'repo.git');
    await initBareRepo(t.gitdir, { initialHead: 'main' });
    t.repo = await openRepository(t.gitdir);
  });
  afterEach(async () => {
    await t.repo.objects.close();
    t.tmp.cleanup();
  });
  return t;
}

/** Every object id in a repository, via git itself. */
export function allObjects(gitdir: string): string[] {
  const out = git(gitdir, ['cat-file', '--batch-all-objects', '--batch-check=%(objectname)']);
  return out ? out.split('\n') : [];
}

/** Parse `git cat-file --batch` output for the given ids into type + content. */
export function catBatch(gitdir: string, oids: string[]): Map<string, { type: string; data: Buffer }> {
  const out = gitRaw(gitdir, ['cat-file', '--batch'], `${oids.join('\n')}\n`);
  const map = new Map<string, { type: string; data: Buffer }>();
  let pos = 0;
  while (pos < out.length) {
    const nl = out.indexOf(0x0a, pos);
    const [oid, type, size] = out.toString('latin1', pos, nl).split(' ');
    const start = nl + 1;
    const end = start + Number(size);
    map.set(oid!, { type: type!, data: out.subarray(start, end) });
    pos = end + 1;
  }
  return map;
}
