// Issue 4: `vost log` over a long history, against `git log`.
import { join } from 'node:path';
import { HISTORY_COMMITS, historyDataset } from '../lib/data.js';
import { interleave, median, runOk, timeToFirstLine } from '../lib/harness.js';
import { result, target } from '../lib/report.js';
import { requireCommand, vost, vostArgv } from '../lib/vost.js';

/** git's rendering of vost's text log line: `<short hash>  <ISO time>  <message>`. */
const gitLogArgs = (repo, format = '%h  %ad  %s') =>
  ['git', `--git-dir=${repo}`, 'log', '--first-parent', `--format=${format}`, '--date=iso-strict', 'main'];

const log = {
  name: 'history.log',
  issue: 4,
  what: `\`vost log\` of a ${HISTORY_COMMITS.toLocaleString('en-US')}-commit history to /dev/null`,
  async run(ctx) {
    requireCommand('log');
    const repo = join(await historyDataset(ctx.dataDir), 'repo.git');
    const [vostMs, peer] = interleave([
      () => vost(['-r', repo, 'log'], { stdout: 'ignore' }).ms,
      () => runOk('git log', gitLogArgs(repo), { stdout: 'ignore' }).ms,
    ], { runs: ctx.runs(3), warmup: 0 });
    const lines = vost(['-r', repo, 'log']).stdout.split('\n').filter(Boolean).length;
    return result({
      ...this, unit: 'ms', vost: median(vostMs), peer: median(peer), samples: vostMs.length,
      peerLabel: "git log --first-parent --format='%h  %ad  %s' --date=iso-strict",
      target: target.ratioMax(3),
      checks: [{ ok: lines === HISTORY_COMMITS, msg: `vost log printed ${lines} lines, expected ${HISTORY_COMMITS}` }],
    });
  },
};

const firstLine = {
  name: 'history.log-first-line',
  issue: 4,
  what: 'time to the first line of `vost log --format jsonl` on the same history',
  async run(ctx) {
    requireCommand('log');
    const repo = join(await historyDataset(ctx.dataDir), 'repo.git');
    const vostMs = [];
    const peer = [];
    let line = '';
    for (let round = 0; round < ctx.runs(5); round++) {
      const v = await timeToFirstLine(vostArgv(['-r', repo, 'log', '--format', 'jsonl']));
      line = v.line;
      vostMs.push(v.ms);
      peer.push((await timeToFirstLine(gitLogArgs(repo, '{"hash": "%H", "message": "%s"}'))).ms);
    }
    const head = runOk('git rev-parse', ['git', `--git-dir=${repo}`, 'rev-parse', 'main']).stdout.trim();
    let hash = null;
    try {
      hash = JSON.parse(line).hash;
    } catch {
      hash = null;
    }
    return result({
      ...this, unit: 'ms', vost: median(vostMs), peer: median(peer), samples: vostMs.length, peerLabel: 'git log first line (same walk)',
      target: target.info,
      checks: [{ ok: hash === head, msg: `first jsonl line is not the tip commit: ${line.slice(0, 80)}` }],
    });
  },
};

export default [log, firstLine];
