/**
 * Helpers for the history/ref e2e tests: run the built CLI as a subprocess,
 * build fixture repositories with stock git, and ask git about the results.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const BIN = join(ROOT, 'bin', 'run.js');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Ann Author',
  GIT_AUTHOR_EMAIL: 'ann@example.com',
  GIT_COMMITTER_NAME: 'Carl Committer',
  GIT_COMMITTER_EMAIL: 'carl@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

/**
 * Runs `vost <args>` as a child process; `repo` goes through VOST_REPO unless
 * `null`. Asynchronous so that the test worker stays responsive.
 */
export function vost(repo: string | null, args: string[], opts: { env?: Record<string, string>; input?: string } = {}): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...GIT_ENV, TZ: 'UTC' };
  delete env.VOST_REPO;
  if (repo !== null) env.VOST_REPO = repo;
  Object.assign(env, opts.env ?? {});
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, cwd: ROOT });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code: code ?? -1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** Runs git and returns trimmed stdout; throws on failure. */
export function git(cwd: string, args: string[], env: Record<string, string> = {}, input = ''): string {
  const r = spawnSync('git', args, { cwd, env: { ...process.env, ...GIT_ENV, ...env }, input });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr.toString()}`);
  return r.stdout.toString('utf8').replace(/\n$/, '');
}

/** Like git(), but returns the exit status instead of throwing. */
export function gitStatus(cwd: string, args: string[]): number {
  return spawnSync('git', args, { cwd, env: { ...process.env, ...GIT_ENV } }).status ?? -1;
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'vost-h3-'));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A work tree for building fixture histories with git, cloned bare at the end. */
export class GitFixture {
  readonly work: string;
  private clock = Date.UTC(2024, 0, 10, 12, 0, 0) / 1000;

  constructor(readonly dir: string) {
    this.work = join(dir, 'work');
    mkdirSync(this.work, { recursive: true });
    git(this.work, ['init', '-q', '-b', 'main']);
  }

  /** Writes files (null deletes) and commits them at the next fixture time (one day later). */
  commit(files: Record<string, string | null>, message: string, tz = '+0000'): string {
    for (const [path, content] of Object.entries(files)) {
      if (content === null) {
        git(this.work, ['rm', '-q', path]);
      } else {
        mkdirSync(dirname(join(this.work, path)), { recursive: true });
        writeFileSync(join(this.work, path), content);
        git(this.work, ['add', path]);
      }
    }
    this.clock += 86_400;
    const date = `${this.clock} ${tz}`;
    git(this.work, ['commit', '-q', '--allow-empty', '-m', message], { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
    return git(this.work, ['rev-parse', 'HEAD']);
  }

  run(args: string[]): string {
    return git(this.work, args);
  }

  /** Clones the work repo into a bare repository and returns its path. */
  bare(name = 'repo.git'): string {
    const path = join(this.dir, name);
    git(this.dir, ['clone', '-q', '--bare', '--no-local', this.work, path]);
    return path;
  }
}
