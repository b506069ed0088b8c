import { execFileSync, spawn, spawnSync } from 'node:child_process';
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

/**
 * Run the built CLI with VOST_REPO=repo in `cwd`. Asynchronous on purpose: a
 * blocking spawn would stall the test worker's event loop for the whole run.
 */
export function vost(repo: string, args: string[], opts: { cwd?: string; input?: Buffer; env?: Record<string, string> } = {}): Promise<RunResult> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd,
      env: { ...process.env, VOST_REPO: repo, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      const raw = Buffer.concat(out);
      resolveRun({ code: code ?? -1, stdout: raw.toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), raw });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? Buffer.alloc(0));
  });
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
