import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

/** `git ls-tree -r` of a ref as `mode type oid\tpath` lines. */
export function lsTree(gitdir: string, ref: string): string[] {
  return git(gitdir, 'ls-tree', '-r', ref).trim().split('\n').filter(Boolean);
}
