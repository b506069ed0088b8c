import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BIN = resolve(__dirname, '../../../bin/run.js');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  raw: Buffer;
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'vost-archive-e2e-'));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Run the built CLI with VOST_REPO=repo in `cwd`. */
export function vost(repo: string, args: string[], opts: { cwd?: string; input?: Buffer; env?: Record<string, string> } = {}): RunResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd,
    input: opts.input,
    env: { ...process.env, VOST_REPO: repo, ...opts.env },
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status ?? -1, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8'), raw: r.stdout };
}

export function sh(cmd: string, args: string[], cwd?: string, input?: Buffer): string {
  return execFileSync(cmd, args, { cwd, input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}

export function git(repo: string, ...args: string[]): string {
  return sh('git', ['--git-dir', repo, ...args]).trimEnd();
}

/** Run Python code in `cwd` (to craft hostile archives that zip/tar refuse to make). */
export function python(code: string, cwd: string): void {
  const r = spawnSync('python3', ['-c', code], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
}
