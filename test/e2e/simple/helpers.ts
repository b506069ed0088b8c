/**
 * Shared helpers for the e2e tests of the everyday commands: run the built
 * CLI as a subprocess, build fixture repositories with stock git (so the
 * fixtures never depend on the code under test), and ask git about results.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const BIN = join(ROOT, 'bin', 'run.js');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  raw: Buffer;
}

export interface RunOptions {
  repo?: string;
  input?: string | Buffer;
  env?: Record<string, string>;
  cwd?: string;
}

/** A fixed identity and no user or system config, for every git a test runs. */
export const GIT_ENV = {
  GIT_AUTHOR_NAME: 'fixture',
  GIT_AUTHOR_EMAIL: 'fixture@example.com',
  GIT_COMMITTER_NAME: 'fixture',
  GIT_COMMITTER_EMAIL: 'fixture@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

function childEnv(opts: RunOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...GIT_ENV, ...opts.env };
  if (opts.repo !== undefined) env.VOST_REPO = opts.repo;
  else if (!opts.env?.VOST_REPO) delete env.VOST_REPO;
  return env;
}

/**
 * Runs `vost <args>` as a subprocess. Asynchronous on purpose: a blocking
 * spawn would stall the vitest worker while the CLI runs.
 */
export function vost(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: childEnv(opts), cwd: opts.cwd ?? ROOT });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', fail);
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
    child.on('close', (code) => {
      const raw = Buffer.concat(out);
      done({ code: code ?? -1, stdout: raw.toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), raw });
    });
  });
}

/** Runs git and returns trimmed stdout; throws on failure. */
export function git(repo: string, args: string[], input?: string): string {
  const r = spawnSync('git', ['--git-dir', repo, ...args], { env: { ...process.env, ...GIT_ENV }, input: input ?? '' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr.toString()}`);
  return r.stdout.toString('utf8').replace(/\n$/, '');
}

/** Exit status of a git command (for fsck and friends). */
export function gitStatus(repo: string, args: string[]): { code: number; stderr: string } {
  const r = spawnSync('git', ['--git-dir', repo, ...args], { env: { ...process.env, ...GIT_ENV } });
  return { code: r.status ?? -1, stderr: r.stderr.toString('utf8') + r.stdout.toString('utf8') };
}

export function fsckClean(repo: string): boolean {
  return gitStatus(repo, ['fsck', '--strict', '--no-dangling']).code === 0;
}

/** `path -> "mode type oid"` for every file in the tree of `rev`. */
export function lsTree(repo: string, rev = 'main'): Map<string, { mode: string; oid: string }> {
  const out = git(repo, ['ls-tree', '-r', '-z', rev]);
  const m = new Map<string, { mode: string; oid: string }>();
  for (const rec of out.split('\0').filter(Boolean)) {
    const [meta, path] = rec.split('\t');
    const [mode, , oid] = meta.split(' ');
    m.set(path, { mode, oid });
  }
  return m;
}

export function commitCount(repo: string, rev = 'main'): number {
  return Number(git(repo, ['rev-list', '--count', rev]));
}

export function headMessage(repo: string, rev = 'main'): string {
  return git(repo, ['log', '-1', '--format=%B', rev]).replace(/\n+$/, '');
}

export function tempDir(prefix = 'vost-e2e-simple-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function cleanup(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A file tree description: string/Buffer = regular file, {exec} = executable, {link} = symlink. */
export type FixtureTree = Record<string, string | Buffer | { exec: string } | { link: string }>;

function materialise(dir: string, files: FixtureTree): void {
  for (const [rel, v] of Object.entries(files)) {
    const p = join(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    if (typeof v === 'string' || Buffer.isBuffer(v)) writeFileSync(p, v);
    else if ('exec' in v) {
      writeFileSync(p, v.exec);
      chmodSync(p, 0o755);
    } else symlinkSync(v.link, p);
  }
}

/** Builds a tree from `files` with git and commits it on top of `parent`; returns the commit id. */
export function commitTree(repo: string, parent: string | null, files: FixtureTree, message: string): string {
  const base = mkdtempSync(join(tmpdir(), 'vost-fixture-'));
  try {
    const env = { ...process.env, ...GIT_ENV, GIT_INDEX_FILE: join(base, 'index') };
    const run = (args: string[], cwd?: string): string => {
      const r = spawnSync('git', ['--git-dir', repo, ...args], { env, cwd });
      if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr.toString()}`);
      return r.stdout.toString().trim();
    };
    const wt = join(base, 'wt');
    mkdirSync(wt);
    materialise(wt, files);
    run(['--work-tree', wt, 'add', '-A', '.'], wt);
    const tree = run(['write-tree']);
    return run(['commit-tree', tree, ...(parent ? ['-p', parent] : []), '-m', message]);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

/**
 * Creates a bare repo whose branch `main` has an `Initialize main` root commit
 * followed by one commit per entry of `commits` (each replacing the whole tree),
 * written by git itself. HEAD points at main.
 */
export function makeRepo(base: string, commits: { message: string; files: FixtureTree }[], name = 'repo.git'): string {
  const repo = join(base, name);
  const init = spawnSync('git', ['init', '--bare', '-q', '-b', 'main', repo], { env: { ...process.env, ...GIT_ENV } });
  if (init.status !== 0) throw new Error(`git init: ${init.stderr.toString()}`);
  let tip = commitTree(repo, null, {}, 'Initialize main');
  for (const c of commits) tip = commitTree(repo, tip, c.files, c.message);
  git(repo, ['update-ref', 'refs/heads/main', tip]);
  return repo;
}

/** Error line as the CLI prints it. */
export function errLine(text: string): string {
  return `Error: ${text}\n`;
}
