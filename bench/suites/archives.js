// Issue 5: archive export/import, against git archive and tar.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bigFileDataset, TREE_FILES, treeDataset } from '../lib/data.js';
import { fresh, revParse } from '../lib/git.js';
import { CommandFailed, interleave, median, MiB, readRssReport, run, runOk, sh, Skip } from '../lib/harness.js';
import { result, target } from '../lib/report.js';
import { requireCommand, vost, vostArgv } from '../lib/vost.js';

const zip = {
  name: 'archives.zip',
  issue: 5,
  what: '`vost zip` of the 10,000-file commit',
  async run(ctx) {
    requireCommand('zip');
    const repo = join(await treeDataset(ctx.dataDir), 'tree.git');
    const out = join(ctx.scratch, 'tree.zip');
    const [vostMs, peer] = interleave([
      () => vost(['-r', repo, 'zip', out]).ms,
      () => runOk('git archive', ['git', `--git-dir=${repo}`, 'archive', '--format=zip', '-o', join(ctx.scratch, 'peer.zip'), 'main']).ms,
    ], { runs: ctx.runs(5), warmup: 0 });
    const test = run(['unzip', '-tq', out]).status === 0;
    const entries = runOk('zipinfo', ['zipinfo', '-1', out]).stdout.split('\n').filter(Boolean).length;
    return result({
      ...this, unit: 'ms', vost: median(vostMs), peer: median(peer), samples: vostMs.length, peerLabel: 'git archive --format=zip',
      target: target.ratioMax(1.5),
      checks: [
        { ok: test, msg: 'unzip -t rejects the archive' },
        { ok: entries === TREE_FILES, msg: `zip has ${entries} entries, expected ${TREE_FILES}` },
      ],
    });
  },
};

const q = (s) => `'${s.replaceAll("'", "'\\''")}'`;

/** Run `left | right` with each side under /usr/bin/time; returns both peak RSS figures. */
function timedPipe(ctx, label, left, right) {
  const a = join(ctx.scratch, 'pipe-left.time');
  const b = join(ctx.scratch, 'pipe-right.time');
  const res = sh(`/usr/bin/time -v -o ${a} ${left.map(q).join(' ')} | /usr/bin/time -v -o ${b} ${right.map(q).join(' ')}`, {
    timeoutMs: 600_000,
  });
  if (res.status !== 0) {
    if (/not implemented/i.test(res.stderr)) throw new Skip(`${label}: ${res.stderr.trim().split('\n').pop()}`);
    throw new CommandFailed(label, res);
  }
  return { ms: res.ms, left: readRssReport(a).rssBytes / MiB, right: readRssReport(b).rssBytes / MiB };
}

const tarRoundTrip = {
  name: 'archives.tar-1gib',
  issue: 5,
  what: '1 GiB file: `vost archive_out --format tar -` | `vost archive_in --format tar -` (peak RSS of each)',
  async run(ctx) {
    requireCommand('archive_out');
    requireCommand('archive_in');
    const big = await bigFileDataset(ctx.dataDir);
    const src = join(big, 'big.git');
    const oid = readFileSync(join(big, 'big.oid'), 'utf8').trim();
    const dest = fresh(ctx, 'tar-in.git');
    const v = timedPipe(ctx, 'vost archive_out | vost archive_in',
      vostArgv(['-r', src, 'archive_out', '--format', 'tar', '-']),
      vostArgv(['-r', dest, 'archive_in', '--format', 'tar', '-']));
    const peerDir = fresh(ctx, 'tar-peer', { init: 'dir' });
    const p = timedPipe(ctx, 'git archive | tar -x',
      ['git', `--git-dir=${src}`, 'archive', '--format=tar', 'main'],
      ['tar', '-x', '-C', peerDir]);
    fresh(ctx, 'tar-peer');
    const stored = revParse(dest, 'main:big.bin');
    const checks = [{ ok: stored === oid, msg: `round trip stored ${stored}, expected ${oid}` }];
    const notes = [`pipeline wall: vost ${(v.ms / 1000).toFixed(1)} s, git archive | tar -x ${(p.ms / 1000).toFixed(1)} s`];
    return [
      result({
        ...this, name: `${this.name}.out-rss`, unit: 'MiB', vost: v.left, peer: p.left, peerLabel: 'git archive --format=tar',
        target: target.below(150, 'MiB'), checks, notes,
      }),
      result({
        ...this, name: `${this.name}.in-rss`, unit: 'MiB', vost: v.right, peer: p.right, peerLabel: 'tar -x',
        target: target.below(150, 'MiB'), checks, notes,
      }),
    ];
  },
};

export default [zip, tarRoundTrip];
