/** Helpers for the cp/sync e2e tests: run the built CLI, snapshot trees on disk and in git. */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const BIN = resolve(__dirname, '../../../bin/run.js');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export const GIT_ENV = {
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.com',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.com',
};

/** Runs the CLI without blocking the test worker (a blocked worker misses vitest's RPC deadlines). */
export function vost(
  args: string[],
  opts: { cwd: string; repo?: string; env?: Record<string, string>; user?: { uid: number; gid: number } },
): Promise<RunResult> {
  const env: Record<string, string | undefined> = { ...process.env, ...opts.env };
  delete env.VOST_REPO;
  if (opts.repo) env.VOST_REPO = opts.repo;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd, env, stdio: ['ignore', 'pipe', 'pipe'], ...opts.user });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

export function git(repo: string, args: string[]): string {
  return execFileSync('git', ['--git-dir', repo, ...args], { encoding: 'utf8', env: { ...process.env, ...GIT_ENV } });
}

export function tempDir(prefix = 'vost-e2e-transfer-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function cleanup(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

function blobId(data: Buffer): string {
  return createHash('sha1').update(`blob ${data.length}\0`).update(data).digest('hex');
}

/** path → "<kind> <blob id>" for every non-directory under `root` (kinds: file, exec, link). */
export function diskTree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string, rel: string): void => {
    for (const name of readdirSync(dir)) {
      const abs = join(dir, name);
      const r = rel ? `${rel}/${name}` : name;
      const st = lstatSync(abs);
      if (st.isDirectory()) walk(abs, r);
      else if (st.isSymbolicLink()) out[r] = `link ${blobId(Buffer.from(readlinkSync(abs)))}`;
      else out[r] = `${st.mode & 0o111 ? 'exec' : 'file'} ${blobId(readFileSync(abs))}`;
    }
  };
  walk(root, '');
  return sortKeys(out);
}

/** The same shape for a tree in git: `ref:prefix` (prefix '' = root). */
export function gitTree(repo: string, ref: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  let text = '';
  try {
    text = git(repo, ['ls-tree', '-r', '-z', prefix ? `${ref}:${prefix}` : ref]);
  } catch {
    return out;
  }
  for (const line of text.split('\0')) {
    if (!line) continue;
    const [meta, path] = line.split('\t');
    const [mode, , oid] = meta.split(' ');
    out[path] = `${mode === '120000' ? 'link' : mode === '100755' ? 'exec' : 'file'} ${oid}`;
  }
  return sortKeys(out);
}

function sortKeys(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Writes a tree: `name/` keys make folders, `@target` values make symlinks, `*` prefixed values executables. */
export function makeTree(root: string, spec: Record<string, string>): void {
  mkdirSync(root, { recursive: true });
  for (const [path, value] of Object.entries(spec)) {
    const abs = join(root, path);
    if (path.endsWith('/')) {
      mkdirSync(abs, { recursive: true });
      continue;
    }
    mkdirSync(dirname(abs), { recursive: true });
    if (value.startsWith('@')) symlinkSync(value.slice(1), abs);
    else if (value.startsWith('*')) {
      writeFileSync(abs, value.slice(1));
      chmodSync(abs, 0o755);
    } else writeFileSync(abs, value);
  }
}

export function rsync(args: string[], cwd: string): void {
  execFileSync('rsync', args, { cwd, stdio: 'pipe' });
}

/** Runs a shell line (for glob expansion by the shell, as a user would type it). */
export function sh(line: string, cwd: string): void {
  execFileSync('sh', ['-c', line], { cwd, stdio: 'pipe' });
}

export function fsck(repo: string): void {
  git(repo, ['fsck', '--strict']);
}

export function commitCount(repo: string, ref = 'main'): number {
  return Number(git(repo, ['rev-list', '--count', ref]).trim());
}

export const SOURCE_TREE: Record<string, string> = {
  'a.txt': 'alpha\n',
  '.env': 'SECRET=1\n',
  '.h/h.txt': 'hidden dir\n',
  'run.sh': '*#!/bin/sh\necho run\n',
  'link': '@a.txt',
  'dangling': '@missing/target',
  'sub/b.txt': 'bee\n',
  'sub/deep/c.txt': 'sea\n',
  'sub/deep/.dot': 'dot\n',
  'sub/x.log': 'log\n',
  'build/out.o': 'obj\n',
  'ünï/日本.txt': 'unicode\n',
  'with space/f f.txt': 'spaced\n',
  'empty/': '',
};
