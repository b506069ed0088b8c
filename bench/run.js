#!/usr/bin/env node
// vost benchmark runner: `npm run bench [-- --only <name>] [--big] [--list] [--runs N] [--clean]`.
// Every figure is compared with a peer tool measured in the same run on the
// same data; results go to stdout and bench/out/results.{md,json}.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Skip } from './lib/harness.js';
import { notMeasured, renderTable, writeResults } from './lib/report.js';
import { ROOT } from './lib/vost.js';
import core from './suites/core.js';
import transfer from './suites/transfer.js';
import history from './suites/history.js';
import archives from './suites/archives.js';
import watch from './suites/watch.js';

const ALL = [...core, ...transfer, ...history, ...archives, ...watch];

const { values: opts } = parseArgs({
  options: {
    only: { type: 'string', multiple: true },
    big: { type: 'boolean', default: false },
    list: { type: 'boolean', default: false },
    runs: { type: 'string' },
    clean: { type: 'boolean', default: false },
  },
});

const base = process.env.VOST_BENCH_DIR ?? join(tmpdir(), 'vost-bench');
if (opts.clean) {
  rmSync(base, { recursive: true, force: true });
  console.log(`removed ${base}`);
  process.exit(0);
}

/** `--only core` selects core.*, `--only core.reads` just that one. */
const selected = ALL.filter((b) => {
  if (opts.only?.length) return opts.only.some((o) => b.name === o || b.name.startsWith(`${o}.`));
  return !b.big || opts.big;
});
if (opts.list || selected.length === 0) {
  for (const b of ALL) console.log(`${b.name.padEnd(28)} issue ${b.issue}${b.big ? ' (--big)' : ''}  ${b.what}`);
  process.exit(selected.length === 0 && !opts.list ? 2 : 0);
}

const runsOverride = opts.runs ? Number(opts.runs) : undefined;
const scratch = join(base, `run-${process.pid}`);
const ctx = {
  dataDir: join(base, 'data'),
  scratch,
  /** Default sample count of a benchmark, unless --runs overrides it. */
  runs: (n) => runsOverride ?? n,
  /** Peer figures one benchmark measured that a later one may reuse within this run. */
  memo: {},
};
mkdirSync(ctx.dataDir, { recursive: true });
mkdirSync(scratch, { recursive: true });

const loadBefore = loadavg()[0];
const rows = [];
try {
  for (const bench of selected) {
    const t0 = performance.now();
    process.stderr.write(`[bench] ${bench.name} ...\n`);
    try {
      const out = await bench.run(ctx);
      rows.push(...(Array.isArray(out) ? out : [out]));
    } catch (err) {
      rows.push(err instanceof Skip
        ? notMeasured(bench, 'SKIP', `not available yet: ${err.message}`)
        : notMeasured(bench, 'FAIL', `error: ${err.message}`));
    }
    const last = rows.at(-1);
    process.stderr.write(`[bench] ${bench.name}: ${last.status} (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
  }
} finally {
  // Deleting the scratch files is slow on this disk; let it finish after we exit.
  spawn('rm', ['-rf', scratch], { detached: true, stdio: 'ignore' }).unref();
}

const meta = {
  command: ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '),
  date: new Date().toISOString(),
  commit: gitDescribe(),
  load: `1-min load average ${loadBefore.toFixed(1)} at start, ${loadavg()[0].toFixed(1)} at end (shared machine)`,
  machine: `${cpus().length} x ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, node ${process.version}, ${execFileSync('git', ['--version']).toString().trim()}`,
};
console.log(renderTable(rows));
writeResults(join(ROOT, 'bench', 'out'), rows, meta);
console.log(`\nwritten: bench/out/results.md, bench/out/results.json`);

function gitDescribe() {
  try {
    return execFileSync('git', ['-C', ROOT, 'describe', '--always', '--dirty'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return 'unknown';
  }
}
