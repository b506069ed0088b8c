// Shared measurement helpers: process timing, peak RSS, medians, and the
// Skip signal a benchmark raises when the feature it needs has not landed.
import { spawnSync, spawn } from 'node:child_process';
import { readFileSync, rmSync, openSync, closeSync } from 'node:fs';
import { join } from 'node:path';

/** Raised by a benchmark whose feature is missing; reported as SKIP. */
export class Skip extends Error {}

/** A child process that failed; carries enough output to diagnose it in the table. */
export class CommandFailed extends Error {
  constructor(label, res) {
    const detail = firstLine(res.stderr) || firstLine(res.stdout) || `exit ${res.status}`;
    super(`${label}: ${res.timedOut ? 'timed out' : detail}`);
    this.result = res;
  }
}

export const MiB = 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 180_000;

function firstLine(text) {
  return String(text ?? '').trim().split('\n').find((l) => l.trim() !== '')?.slice(0, 200) ?? '';
}

export function median(values) {
  const xs = [...values].sort((a, b) => a - b);
  const mid = xs.length >> 1;
  return xs.length % 2 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
}

/**
 * Run argv to completion and time it. `stdin` may be a file path; `stdout`
 * 'ignore' sends output to /dev/null so a peer is not slowed by our pipe.
 */
export function run(argv, opts = {}) {
  const { cwd, env, stdin, stdout = 'pipe', timeoutMs = DEFAULT_TIMEOUT_MS } = opts;
  const inFd = stdin ? openSync(stdin, 'r') : 'ignore';
  const start = process.hrtime.bigint();
  const res = spawnSync(argv[0], argv.slice(1), {
    cwd,
    env: { ...process.env, ...env },
    stdio: [inFd, stdout, 'pipe'],
    timeout: timeoutMs,
    maxBuffer: 256 * MiB,
    encoding: 'utf8',
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (typeof inFd === 'number') closeSync(inFd);
  return {
    ms,
    status: res.status,
    stdout: res.stdout ?? '',
    stderr: res.stderr ?? '',
    timedOut: res.error?.code === 'ETIMEDOUT',
    error: res.error,
  };
}

/** `run` that throws CommandFailed on a non-zero exit. */
export function runOk(label, argv, opts) {
  const res = run(argv, opts);
  if (res.status !== 0) throw new CommandFailed(label, res);
  return res;
}

/** Bash one-liner (for pipes); `set -o pipefail` so either side's failure counts. */
export function sh(script, opts = {}) {
  return run(['bash', '-c', `set -eo pipefail; ${script}`], opts);
}

export function shOk(label, script, opts) {
  const res = sh(script, opts);
  if (res.status !== 0) throw new CommandFailed(label, res);
  return res;
}

/**
 * Run argv under `/usr/bin/time -v` and return wall ms plus peak RSS in
 * bytes of that process (children included by time's accounting).
 */
export function runWithRss(argv, opts = {}) {
  const report = join(opts.scratch ?? '/tmp', `time-${process.pid}-${Date.now()}.txt`);
  const res = run(['/usr/bin/time', '-v', '-o', report, ...argv], opts);
  let text = '';
  try {
    text = readFileSync(report, 'utf8');
  } finally {
    rmSync(report, { force: true });
  }
  const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(text);
  return { ...res, rssBytes: kb ? Number(kb[1]) * 1024 : NaN };
}

/** Parse a `/usr/bin/time -v -o FILE` report written by a shell pipeline. */
export function readRssReport(file) {
  const text = readFileSync(file, 'utf8');
  const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(text);
  const status = /Exit status: (\d+)/.exec(text);
  return { rssBytes: kb ? Number(kb[1]) * 1024 : NaN, status: status ? Number(status[1]) : NaN };
}

/**
 * Interleave measurements of several contenders, alternating the order each
 * round so drift on a shared machine hits every side alike. Each contender
 * is `() => number` (its own measurement, prepare steps excluded by itself).
 * Once `budgetMs` is spent, stops after `minRuns` samples so a slow
 * contender cannot blow the suite's time. Returns per-contender sample arrays.
 */
export function interleave(contenders, { runs, warmup = 0, budgetMs = 40_000, minRuns = 3 }) {
  const samples = contenders.map(() => []);
  const start = performance.now();
  for (let round = 0; round < warmup + runs; round++) {
    const measured = round - warmup;
    if (measured >= Math.min(minRuns, runs) && performance.now() - start > budgetMs) break;
    const order = contenders.map((_, i) => i);
    if (round % 2) order.reverse();
    for (const i of order) {
      const value = contenders[i]();
      if (round >= warmup) samples[i].push(value);
    }
  }
  return samples;
}

/**
 * Spawn a long-running process and resolve with the elapsed ms until its
 * stdout yields the first complete line; the process is then killed.
 */
export function timeToFirstLine(argv, { cwd, env, timeoutMs = 60_000 } = {}) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(argv[0], argv.slice(1), {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let done = false;
    const finish = (fn) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      fn();
    };
    const timer = setTimeout(() => finish(() => reject(new Error('timed out waiting for first line'))), timeoutMs);
    child.stdout.on('data', (chunk) => {
      if (chunk.includes(10)) {
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        finish(() => resolve({ ms, line: chunk.toString('utf8').split('\n')[0] }));
      }
    });
    child.stderr.on('data', (c) => (stderr += c));
    child.on('exit', (code) =>
      finish(() => reject(new CommandFailed(argv.join(' '), { status: code, stderr, stdout: '' }))),
    );
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
