import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.com',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.com',
};

export function git(repo: string, ...args: string[]): string {
  return execFileSync('git', ['--git-dir', repo, ...args], { env: GIT_ENV, encoding: 'utf8' });
}

export function tempDir(prefix: string): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** Poll until `probe` returns a truthy value, or fail after `ms` with the last value seen. */
export async function until<T>(probe: () => T | Promise<T>, ms = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T | undefined;
  for (;;) {
    try {
      last = await probe();
      if (last) return last;
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Files of a branch as `path -> blob id` (git itself is the oracle). */
export function treeOf(repo: string, rev = 'main'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of git(repo, 'ls-tree', '-r', rev).split('\n')) {
    if (!line) continue;
    const [meta, path] = line.split('\t');
    out[path] = meta.split(' ')[2];
  }
  return out;
}

export function commitCount(repo: string, rev = 'main'): number {
  return Number(git(repo, 'rev-list', '--count', rev).trim());
}

/** `git log --name-status` of the newest commit, as sorted "X\tpath" lines. */
export function lastChanges(repo: string, rev = 'main'): string[] {
  return git(repo, 'log', '-1', '--no-renames', '--name-status', '--format=', rev)
    .split('\n')
    .filter(Boolean)
    .sort();
}

export function blobId(content: string): string {
  return execFileSync('git', ['hash-object', '--stdin'], { input: content, encoding: 'utf8' }).trim();
}
