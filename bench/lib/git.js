// Git as the oracle: resolving refs and counting what a commit holds or changed.
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { GIT_ENV, initBare } from './data.js';
import { run, runOk } from './harness.js';

export function git(repo, args, opts) {
  return runOk(`git ${args[0]}`, ['git', `--git-dir=${repo}`, ...args], { env: GIT_ENV, ...opts }).stdout.trim();
}

/** Object id `rev` resolves to, or null when it does not resolve. */
export function revParse(repo, rev) {
  const res = run(['git', `--git-dir=${repo}`, 'rev-parse', '--verify', '-q', rev]);
  return res.status === 0 ? res.stdout.trim() : null;
}

export function fileCount(repo, rev = 'main') {
  return git(repo, ['ls-tree', '-r', '--name-only', rev]).split('\n').filter(Boolean).length;
}

export function changedCount(repo, from, to) {
  if (!from || !to || from === to) return 0;
  return git(repo, ['diff-tree', '-r', '--name-only', '--no-commit-id', from, to]).split('\n').filter(Boolean).length;
}

let trashed = 0;

/**
 * A path under the run's scratch dir, emptied first (`init: 'bare'` makes an
 * empty bare repo there). Old contents are moved aside, not deleted: unlinking
 * thousands of files costs minutes on this disk (ext4 with online discard).
 */
export function fresh(ctx, name, { init } = {}) {
  const path = join(ctx.scratch, name);
  if (existsSync(path)) {
    mkdirSync(join(ctx.scratch, '.trash'), { recursive: true });
    renameSync(path, join(ctx.scratch, '.trash', String(trashed++)));
  }
  if (init === 'bare') initBare(path);
  else if (init === 'dir') mkdirSync(path, { recursive: true });
  return path;
}
