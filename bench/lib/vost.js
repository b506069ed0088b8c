// How benchmarks reach vost: the built CLI and the built library (through
// bench/lib/ops.mjs in a child process), with "not landed yet" turned into Skip.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { CommandFailed, Skip, run, runWithRss } from './harness.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(ROOT, 'bin', 'run.js');
const OPS = fileURLToPath(new URL('./ops.mjs', import.meta.url));

const NOT_IMPLEMENTED = /not implemented|NOT_IMPLEMENTED/i;

function manifest() {
  const path = join(ROOT, 'oclif.manifest.json');
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : { commands: {} };
}

/** Skip unless the built CLI has command `id` (and every flag in `flags`). */
export function requireCommand(id, flags = []) {
  if (!existsSync(join(ROOT, 'dist'))) throw new Skip('dist/ is not built (run npm run build)');
  const cmd = manifest().commands[id];
  const file = join(ROOT, 'dist', 'commands', ...id.split(':')) + '.js';
  if (!cmd && !existsSync(file)) throw new Skip(`command \`vost ${id.replaceAll(':', ' ')}\` is missing`);
  const missing = flags.filter((f) => cmd && !(f in (cmd.flags ?? {})));
  if (missing.length) throw new Skip(`\`vost ${id}\` has no --${missing.join(', --')} flag`);
}

export const vostArgv = (args) => [process.execPath, BIN, ...args];

function classify(label, res) {
  const text = `${res.stderr}\n${res.stdout}`;
  if (NOT_IMPLEMENTED.test(text)) throw new Skip(`${label}: ${text.trim().split('\n')[0]}`);
  throw new CommandFailed(label, res);
}

/** Run the vost CLI; a "not implemented" failure becomes Skip, anything else CommandFailed. */
export function vost(args, opts = {}) {
  const res = run(vostArgv(args), opts);
  if (res.status !== 0) classify(`vost ${args.join(' ')}`, res);
  return res;
}

export function vostWithRss(args, opts = {}) {
  const res = runWithRss(vostArgv(args), opts);
  if (res.status !== 0) classify(`vost ${args.join(' ')}`, res);
  return res;
}

/**
 * Run one library operation from ops.mjs in a fresh Node process. The op
 * prints one JSON line; `{skip}` means the library said NotImplemented.
 */
export function libOp(op, args, { rss = false, ...opts } = {}) {
  if (!existsSync(join(ROOT, 'dist', 'index.js'))) throw new Skip('dist/ is not built (run npm run build)');
  const argv = [process.execPath, OPS, op, ...args];
  const res = rss ? runWithRss(argv, opts) : run(argv, opts);
  const last = res.stdout.trim().split('\n').pop() ?? '';
  let parsed;
  try {
    parsed = JSON.parse(last);
  } catch {
    throw new CommandFailed(`library ${op}`, res);
  }
  if (parsed.skip) throw new Skip(parsed.skip);
  if (parsed.error) throw new Error(`library ${op}: ${parsed.error}`);
  return { ...parsed, wallMs: res.ms, rssBytes: res.rssBytes };
}

export const OPS_PATH = OPS;
