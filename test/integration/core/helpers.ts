import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { GitStore } from '../../../src/index.js';

export const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Tester',
  GIT_AUTHOR_EMAIL: 'tester@example.com',
  GIT_COMMITTER_NAME: 'Tester',
  GIT_COMMITTER_EMAIL: 'tester@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  HOME: tmpdir(),
};

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

export function gitInput(cwd: string, input: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
}

export function fsck(gitdir: string): void {
  git(gitdir, 'fsck', '--strict', '--no-progress');
}

export interface TempDir {
  path: string;
  cleanup(): void;
}

export function tempDir(prefix = 'vost-core-'): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** A new repository for each test of the file that calls this. */
export interface TempStore {
  tmp: TempDir;
  /** The bare repository's path (`<tmp>/repo.git`). */
  repoPath: string;
  store: GitStore;
}

/** Registers hooks that open a fresh repository before each test and delete it after. */
export function useTempStore(): TempStore {
  const t = {} as TempStore;
  beforeEach(async () => {
    t.tmp = tempDir();
    t.repoPath = join(t.tmp.path, 'repo.git');
    t.store = await GitStore.open(t.repoPath);
  });
  afterEach(() => t.tmp.cleanup());
  return t;
}

/** `git ls-tree -r` of a ref as `mode type oid\tpath` lines. */
export function lsTree(gitdir: string, ref: string): string[] {
  return git(gitdir, 'ls-tree', '-r', ref).trim().split('\n').filter(Boolean);
}
