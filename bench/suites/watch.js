// Issue 6: `vost sync --watch` latency and idle cost on the 10,000-file tree.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readManifest, Rng, text, treeDataset } from '../lib/data.js';
import { changedCount, fresh } from '../lib/git.js';
import { median, runOk, sleep, Skip } from '../lib/harness.js';
import { result, target } from '../lib/report.js';
import { requireCommand, vost, vostArgv } from '../lib/vost.js';

const DEBOUNCE = 500;
const TRIALS = 5;
const IDLE_SECONDS = 30;
/**
 * The idle window opens this long after the watcher started at the earliest.
 * Some 20 s after start V8's memory reducer compacts away the garbage of the
 * initial scan (three full GCs, ~0.3 s of CPU, once); that is start-up cost,
 * not what an idle watcher costs per minute, and it must not fall in the window.
 */
const SETTLE_SECONDS = 35;

/** Tip of main read straight from the ref files: cheap enough to poll every few ms. */
function readRef(repo) {
  const loose = join(repo, 'refs', 'heads', 'main');
  if (existsSync(loose)) return readFileSync(loose, 'utf8').trim();
  const packed = join(repo, 'packed-refs');
  if (!existsSync(packed)) return null;
  return /^([0-9a-f]{40}) refs\/heads\/main$/m.exec(readFileSync(packed, 'utf8'))?.[1] ?? null;
}

/** utime + stime (+ reaped children) of a process, in clock ticks. */
function cpuTicks(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
}

/** Start the watcher and resolve once it has announced itself; output lines are collected. */
async function startWatcher(repo, cwd) {
  const [cmd, ...args] = vostArgv(['-r', repo, 'sync', '--watch', './tree', ':', '--debounce', String(DEBOUNCE)]);
  const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const w = { child, stdout: '', stderr: '', exited: false };
  child.stdout.on('data', (c) => (w.stdout += c));
  child.stderr.on('data', (c) => (w.stderr += c));
  child.on('exit', () => (w.exited = true));
  const deadline = Date.now() + 30_000;
  while (!/Sync:/.test(w.stdout) && !w.exited && Date.now() < deadline) await sleep(50);
  if (w.exited) {
    const msg = w.stderr.trim().split('\n')[0] || 'watcher exited at start';
    throw /not implemented/i.test(w.stderr) ? new Skip(msg) : new Error(`sync --watch: ${msg}`);
  }
  return w;
}

async function stopWatcher(w) {
  if (w.exited) return;
  w.child.kill('SIGINT');
  for (let i = 0; i < 60 && !w.exited; i++) await sleep(50);
  if (!w.exited) w.child.kill('SIGKILL');
}

/** Edit one file and return ms until main moves (NaN on timeout), plus the number of files the commit changed. */
async function trial(s, path, rng, timeoutMs) {
  const before = readRef(s.repo);
  const abs = join(s.dir, 'tree', path);
  const data = text(statSync(abs).size, rng);
  const t0 = performance.now();
  writeFileSync(abs, data);
  while (performance.now() - t0 < timeoutMs) {
    const now = readRef(s.repo);
    if (now && now !== before) return { ms: performance.now() - t0, changed: changedCount(s.repo, before, now) };
    await sleep(5);
  }
  return { ms: NaN, changed: 0 };
}

const watch = {
  name: 'watch',
  issue: 6,
  what: `\`vost sync --watch ./tree : --debounce ${DEBOUNCE}\` on 10,000 files`,
  async run(ctx) {
    requireCommand('sync', ['watch', 'debounce']);
    const tree = await treeDataset(ctx.dataDir);
    const dir = fresh(ctx, 'watch', { init: 'dir' });
    runOk('cp -a', ['cp', '-a', join(tree, 'tree'), join(dir, 'tree')]);
    const s = { dir, repo: join(dir, 'repo.git') };
    vost(['-r', s.repo, 'sync', './tree', ':'], { cwd: dir });
    const paths = readManifest(tree).map(([p]) => p).filter((p) => p.endsWith('.txt'));
    const rng = new Rng('watch');
    const startedAt = Date.now();
    const w = await startWatcher(s.repo, dir);
    try {
      await sleep(1000);
      const warm = await trial(s, paths[1], rng, 15_000);
      const trials = [];
      for (let i = 0; i < TRIALS; i++) {
        await sleep(DEBOUNCE + 1000);
        trials.push(await trial(s, paths[2 + i * 97], rng, 5_000));
      }
      await sleep(Math.max(2000, startedAt + SETTLE_SECONDS * 1000 - Date.now()));
      const hz = Number(execFileSync('getconf', ['CLK_TCK']).toString());
      const t0 = cpuTicks(w.child.pid);
      await sleep(IDLE_SECONDS * 1000);
      const cpu = ((cpuTicks(w.child.pid) - t0) / hz / IDLE_SECONDS) * 100;
      const ms = trials.map((t) => t.ms);
      const checks = [
        { ok: Number.isFinite(warm.ms), msg: 'the first edit was never committed (watcher not live?)' },
        { ok: ms.every(Number.isFinite), msg: `${ms.filter((m) => !Number.isFinite(m)).length} of ${TRIALS} edits not committed within 5 s` },
        { ok: trials.every((t) => t.changed === 1), msg: `commits changed ${trials.map((t) => t.changed).join('/')} files, expected 1 each` },
      ];
      return [
        result({
          ...this, name: 'watch.latency', unit: 'ms', vost: median(ms.filter(Number.isFinite)), peer: DEBOUNCE,
          peerLabel: `the debounce itself (${DEBOUNCE} ms)`, target: target.atMost(DEBOUNCE + 300, 'ms'), checks,
          notes: [`trials (ms): ${ms.map((m) => m.toFixed(0)).join(', ')}`],
        }),
        result({
          ...this, name: 'watch.idle-cpu', what: `idle watcher CPU over ${IDLE_SECONDS} s, from ${SETTLE_SECONDS} s after start (/proc/<pid>/stat utime+stime)`,
          unit: '%', vost: cpu, peer: NaN, target: target.below(1, '%'),
          checks: [{ ok: !w.exited, msg: 'watcher exited during the idle window' }],
        }),
      ];
    } finally {
      await stopWatcher(w);
    }
  },
};

export default [watch];
