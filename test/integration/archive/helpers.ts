import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_LIMITS, type ArchiveLimits } from '../../../src/plugins/archive/limits.js';

export const limits: ArchiveLimits = { ...DEFAULT_LIMITS };

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'vost-archive-'));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Run a tool and return stdout; throws with stderr on failure. */
export function sh(cmd: string, args: string[], cwd?: string, input?: Buffer): string {
  return execFileSync(cmd, args, { cwd, input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Run Python code (used to craft hostile archives the normal tools refuse to make). */
export function python(code: string, cwd: string): void {
  const r = spawnSync('python3', ['-c', code], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
}
