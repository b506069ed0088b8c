// Issue 3: cp / sync / cat through the CLI, against git, rsync and cp.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bigFileDataset, editFiles, readManifest, Rng, TREE_FILES, treeDataset } from '../lib/data.js';
import { changedCount, fileCount, fresh, revParse } from '../lib/git.js';
import { interleave, median, MiB, run, runOk, runWithRss } from '../lib/harness.js';
import { result, target } from '../lib/report.js';
import { requireCommand, vost, vostWithRss } from '../lib/vost.js';
import { fastImportPeer } from './core.js';

const cpImport = {
  name: 'transfer.cp-import',
  issue: 3,
  what: '`vost cp ./tree/ :` of 10,000 files into a new repo (whole process)',
  async run(ctx) {
    requireCommand('cp');
    const tree = await treeDataset(ctx.dataDir);
    let repo;
    const [vostMs, peer] = interleave([
      () => {
        repo = fresh(ctx, 'cp-import.git');
        return vost(['-r', repo, 'cp', './tree/', ':'], { cwd: tree }).ms;
      },
      () => fastImportPeer(ctx, tree),
    ], { runs: ctx.runs(5), warmup: 0 });
    const files = fileCount(repo);
    return result({
      ...this, unit: 'ms', vost: median(vostMs), peer: median(peer), samples: vostMs.length, peerLabel: 'git fast-import of a pre-built stream',
      target: target.ratioMax(1.5),
      checks: [{ ok: files === TREE_FILES, msg: `commit holds ${files} files, expected ${TREE_FILES}` }],
    });
  },
};

/** A private copy of the tree synced once to a repo (vost) and to a folder (rsync). */
async function syncSetup(ctx) {
  if (ctx.memo.sync) return ctx.memo.sync;
  requireCommand('sync');
  const tree = await treeDataset(ctx.dataDir);
  const dir = fresh(ctx, 'sync', { init: 'dir' });
  runOk('cp -a', ['cp', '-a', join(tree, 'tree'), join(dir, 'tree')]);
  const repo = join(dir, 'repo.git');
  vost(['-r', repo, 'sync', './tree', ':'], { cwd: dir });
  runOk('rsync', ['rsync', '-a', '--delete', 'tree/', 'copy/'], { cwd: dir });
  ctx.memo.sync = { dir, repo, manifest: readManifest(tree) };
  return ctx.memo.sync;
}

const vostSync = (s) => vost(['-r', s.repo, 'sync', './tree', ':'], { cwd: s.dir });
const rsync = (s, extra = []) =>
  runOk('rsync', ['rsync', '-a', '--delete', ...extra, 'tree/', 'copy/'], { cwd: s.dir });

const syncNoop = {
  name: 'transfer.sync-noop',
  issue: 3,
  what: '`vost sync ./tree :` when nothing changed (10,000 files)',
  async run(ctx) {
    const s = await syncSetup(ctx);
    const before = revParse(s.repo, 'main');
    const [vostMs, peer] = interleave([() => vostSync(s).ms, () => rsync(s).ms], { runs: ctx.runs(5), warmup: 1 });
    const after = revParse(s.repo, 'main');
    return result({
      ...this, unit: 'ms', vost: median(vostMs), peer: median(peer), samples: vostMs.length, peerLabel: 'rsync -a --delete tree/ copy/ (no-op)',
      target: target.ratioMax(2),
      checks: [{ ok: before === after, msg: `a no-op sync moved main from ${before} to ${after}` }],
    });
  },
};

const EDITS = 100;

const syncEdit = {
  name: 'transfer.sync-edit100',
  issue: 3,
  what: `\`vost sync\` after editing ${EDITS} files in place (same sizes, mtimes restored)`,
  async run(ctx) {
    const s = await syncSetup(ctx);
    const rng = new Rng('edits');
    const candidates = s.manifest.map(([p]) => p).filter((p) => p !== 'small.txt');
    const detected = [];
    const rsyncCopied = [];
    const vostMs = [];
    const peer = [];
    const runs = ctx.runs(5);
    for (let round = 0; round < runs; round++) {
      const picks = new Set();
      while (picks.size < EDITS) picks.add(candidates[rng.int(candidates.length)]);
      editFiles(join(s.dir, 'tree'), picks, rng);
      const measure = [
        () => {
          const before = revParse(s.repo, 'main');
          vostMs.push(vostSync(s).ms);
          detected.push(changedCount(s.repo, before, revParse(s.repo, 'main')));
        },
        () => {
          const r = rsync(s, ['--stats']);
          peer.push(r.ms);
          rsyncCopied.push(Number(/Number of regular files transferred: ([\d,]+)/.exec(r.stdout)?.[1].replaceAll(',', '') ?? NaN));
        },
      ];
      if (round % 2) measure.reverse();
      measure.forEach((m) => m());
    }
    return result({
      ...this, unit: 'ms', vost: median(vostMs), peer: median(peer), samples: vostMs.length, peerLabel: 'rsync -a --delete tree/ copy/ on the same edits',
      target: target.ratioMax(3),
      checks: [{ ok: detected.every((n) => n === EDITS), msg: `vost committed ${detected.join('/')} changed files, expected ${EDITS} each round` }],
      notes: [`vost detected ${detected.join('/')} of ${EDITS}`, `rsync (quick check) copied ${rsyncCopied.join('/')} of ${EDITS}`],
    });
  },
};

const CP_TREE = 'cp -r tree out2';

/** The peer of both checkout rows: `cp -r` of the tree into a fresh folder `name`, in ms. */
function cpTree(ctx, tree, name) {
  return runOk('cp -r', ['cp', '-r', join(tree, 'tree'), fresh(ctx, name)]).ms;
}

const syncOut = {
  name: 'transfer.sync-out',
  issue: 3,
  what: '`vost sync : ./out` of 10,000 files into an empty folder',
  async run(ctx) {
    requireCommand('sync');
    const tree = await treeDataset(ctx.dataDir);
    const repo = join(tree, 'tree.git');
    let out;
    const [vostMs, peer] = interleave([
      () => {
        out = fresh(ctx, 'out', { init: 'dir' });
        return vost(['-r', repo, 'sync', ':', out]).ms;
      },
      () => cpTree(ctx, tree, 'out2'),
    ], { runs: ctx.runs(5), warmup: 0 });
    const diff = run(['diff', '-rq', join(tree, 'tree'), out], { timeoutMs: 60_000 }).status === 0;
    return result({
      ...this, unit: 'ms', vost: median(vostMs), peer: median(peer), samples: vostMs.length, peerLabel: CP_TREE,
      target: target.ratioMax(1.3),
      checks: [{ ok: diff, msg: 'output differs from the source tree' }],
    });
  },
};

/**
 * Why sync-out's 1.3x is out of reach while planning precedes applying: the
 * plan alone (a dry run: Node start-up, opening the repo, listing and
 * planning 10,000 files) plus the bare cost of creating the files from
 * memory (bench/lib/floor-writer.cjs: create, write, set mtime, close; no
 * reading, inflating, verifying, staging or stat cache), against cp -r.
 * Information only: this is a floor, not something vost is held to.
 */
const syncOutFloor = {
  name: 'transfer.sync-out-floor',
  issue: 3,
  what: 'floor under `vost sync : ./out`: its dry run (the plan) + creating the 10,000 files from memory in Node',
  async run(ctx) {
    requireCommand('sync');
    const tree = await treeDataset(ctx.dataDir);
    const repo = join(tree, 'tree.git');
    const writer = fileURLToPath(new URL('../lib/floor-writer.cjs', import.meta.url));
    const plans = [];
    const writes = [];
    const [, peer] = interleave([
      () => {
        plans.push(vost(['-r', repo, 'sync', '-n', ':', join(ctx.scratch, 'floor-none')], { stdout: 'ignore' }).ms);
        const res = runOk('floor writer', [process.execPath, writer, join(tree, 'tree'), fresh(ctx, 'floor')]);
        writes.push(JSON.parse(res.stdout).writeMs);
        return plans.at(-1) + writes.at(-1);
      },
      () => cpTree(ctx, tree, 'floor-cp'),
    ], { runs: ctx.runs(5), warmup: 0 });
    const plan = median(plans);
    const write = median(writes);
    return result({
      ...this, unit: 'ms', vost: plan + write, peer: median(peer), samples: plans.length, peerLabel: CP_TREE,
      target: target.info,
      notes: [`dry run (plan) ${plan.toFixed(0)} ms + file creation ${write.toFixed(0)} ms`],
    });
  },
};

const cpBig = {
  name: 'transfer.cp-1gib',
  issue: 3,
  what: '`vost cp big.bin :` of a 1 GiB file into a new repo (peak RSS)',
  async run(ctx) {
    requireCommand('cp');
    const big = await bigFileDataset(ctx.dataDir);
    const oid = readFileSync(join(big, 'big.oid'), 'utf8').trim();
    const repo = fresh(ctx, 'cp-big.git');
    const r = vostWithRss(['-r', repo, 'cp', 'big.bin', ':'], { cwd: big, scratch: ctx.scratch });
    ctx.memo.hashObject ??= hashObjectPeer(ctx, join(big, 'big.bin'));
    const stored = revParse(repo, 'main:big.bin');
    return result({
      ...this, unit: 'MiB', vost: r.rssBytes / MiB, peer: ctx.memo.hashObject.rssMiB, peerLabel: 'git hash-object -w',
      target: target.atMost(100, 'MiB'),
      checks: [{ ok: stored === oid, msg: `main:big.bin is ${stored}, expected ${oid}` }],
      notes: [`wall: vost ${(r.ms / 1000).toFixed(1)} s, git hash-object -w ${(ctx.memo.hashObject.ms / 1000).toFixed(1)} s`],
    });
  },
};

function hashObjectPeer(ctx, file) {
  const repo = fresh(ctx, 'peer-big.git', { init: 'bare' });
  const r = runWithRss(['git', `--git-dir=${repo}`, 'hash-object', '-w', file], { scratch: ctx.scratch });
  return { rssMiB: r.rssBytes / MiB, ms: r.ms };
}

const cat = {
  name: 'transfer.cat',
  issue: 3,
  what: '`vost cat :small.txt` (whole process)',
  async run(ctx) {
    requireCommand('cat');
    const tree = await treeDataset(ctx.dataDir);
    const repo = join(tree, 'tree.git');
    const expected = readFileSync(join(tree, 'tree', 'small.txt'), 'utf8');
    let output = '';
    const [vostMs, peer, node] = interleave([
      () => {
        const r = vost(['-r', repo, 'cat', ':small.txt']);
        output = r.stdout;
        return r.ms;
      },
      () => runOk('git cat-file', ['git', `--git-dir=${repo}`, 'cat-file', '-p', 'main:small.txt']).ms,
      () => runOk("node -e ''", [process.execPath, '-e', '']).ms,
    ], { runs: ctx.runs(10), warmup: 2 });
    return result({
      ...this, unit: 'ms', vost: median(vostMs), peer: median(peer), samples: vostMs.length, peerLabel: 'git cat-file -p main:small.txt',
      target: target.atMost(150, 'ms'),
      checks: [{ ok: output === expected, msg: 'cat printed something else than the file' }],
      notes: [`bare \`node -e ''\` took ${median(node).toFixed(0)} ms in the same run (machine load indicator)`],
    });
  },
};

export default [cpImport, syncNoop, syncEdit, syncOut, syncOutFloor, cpBig, cat];
