import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export { blobId, commitCount, git, lastChanges, tempDir, treeOf, until } from '../../integration/watch/helpers.js';

export const BIN = resolve(dirname(fileURLToPath(import.meta.url)), '../../../bin/run.js');

export const ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.com',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.com',
};

/** Run the CLI to completion (for setup and for a second writer). */
export function vost(cwd: string, args: string[], input?: string): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, env: ENV, input, encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

export interface Watcher {
  proc: ChildProcess;
  out: () => string;
  err: () => string;
  /** Send a signal and wait for the exit code. */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

/** Start `vost <args>` (a long-running watch) as a subprocess. */
export function startVost(cwd: string, args: string[], opts: { uid?: number; gid?: number; home?: string } = {}): Watcher {
  const { home, ...ids } = opts;
  const env = home ? { ...ENV, HOME: home } : ENV;
  const proc = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], ...ids });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (b) => (out += String(b)));
  proc.stderr!.on('data', (b) => (err += String(b)));
  const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  return {
    proc,
    out: () => out,
    err: () => err,
    stop: async (signal = 'SIGTERM') => {
      if (proc.exitCode === null) proc.kill(signal);
      return exited;
    },
  };
}
