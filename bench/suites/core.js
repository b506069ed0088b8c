// Issue 2: the object store through the library.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  bigFileDataset, bigPackDataset, fastImport, objectsDataset, READS, TREE_FILES, treeDataset,
} from '../lib/data.js';
import { fileCount, fresh, git, revParse } from '../lib/git.js';
import { interleave, median, MiB, runOk, runWithRss } from '../lib/harness.js';
import { result, target } from '../lib/report.js';
import { libOp, OPS_PATH } from '../lib/vost.js';

/** Timed `git fast-import` of the tree stream into a fresh repo: the peer of every bulk import. */
export function fastImportPeer(ctx, tree) {
  const repo = fresh(ctx, 'peer-import.git', { init: 'bare' });
  const t0 = performance.now();
  fastImport(repo, join(tree, 'tree.fi'));
  return performance.now() - t0;
}

const importBatch = {
  name: 'core.import',
  issue: 2,
  what: 'GitStore.open + one batch of 10,000 writeFromFile + commit (in-process time)',
  async run(ctx) {
    const tree = await treeDataset(ctx.dataDir);
    let repo;
    let last;
    const [vost, peer] = interleave([
      () => {
        repo = fresh(ctx, 'lib-import.git');
        last = libOp('import', [repo, join(tree, 'tree'), join(tree, 'manifest.json')]);
        return last.ms;
      },
      () => fastImportPeer(ctx, tree),
    ], { runs: ctx.runs(5), warmup: 0 });
    const files = fileCount(repo);
    return result({
      ...this, unit: 'ms', vost: median(vost), peer: median(peer), samples: vost.length, peerLabel: 'git fast-import of a pre-built stream (blobs + one commit)',
      target: target.ratioMax(1.0),
      checks: [
        { ok: files === TREE_FILES, msg: `commit holds ${files} files, expected ${TREE_FILES}` },
        { ok: revParse(repo, 'main') === last.commit, msg: 'main does not point at the returned commit' },
      ],
    });
  },
};

const writeBig = {
  name: 'core.write-1gib',
  issue: 2,
  what: 'fs.writeFromFile of a 1 GiB file (whole process, under /usr/bin/time -v)',
  async run(ctx) {
    const big = await bigFileDataset(ctx.dataDir);
    const oid = readFileSync(join(big, 'big.oid'), 'utf8').trim();
    const file = join(big, 'big.bin');
    let repo;
    const rss = { vost: [], peer: [] };
    const [vost, peer] = interleave([
      () => {
        repo = fresh(ctx, 'lib-big.git');
        const r = libOp('write-file', [repo, file], { rss: true, scratch: ctx.scratch });
        rss.vost.push(r.rssBytes / MiB);
        return r.wallMs;
      },
      () => {
        const peerRepo = fresh(ctx, 'peer-big.git', { init: 'bare' });
        const r = runWithRss(['git', `--git-dir=${peerRepo}`, 'hash-object', '-w', file], { scratch: ctx.scratch });
        if (r.status !== 0) throw new Error(`git hash-object failed: ${r.stderr}`);
        rss.peer.push(r.rssBytes / MiB);
        return r.ms;
      },
    ], { runs: ctx.runs(1) });
    ctx.memo.hashObject = { rssMiB: Math.max(...rss.peer), ms: median(peer) };
    const stored = revParse(repo, 'main:big.bin');
    const checks = [{ ok: stored === oid, msg: `main:big.bin is ${stored}, expected ${oid}` }];
    return [
      result({
        ...this, name: `${this.name}.rss`, unit: 'MiB', vost: Math.max(...rss.vost), peer: Math.max(...rss.peer),
        peerLabel: 'git hash-object -w (max of runs)', target: target.atMost(100, 'MiB'), checks,
      }),
      result({
        ...this, name: `${this.name}.wall`, unit: 'ms', vost: median(vost), peer: median(peer), samples: vost.length,
        peerLabel: 'git hash-object -w', target: target.ratioMax(1.2), checks,
      }),
    ];
  },
};

const randomReads = {
  name: 'core.reads',
  issue: 2,
  what: `${READS.toLocaleString('en-US')} random fs.read() on a gc-ed repo of ~100,000 objects (ratio = vost/peer throughput)`,
  async run(ctx) {
    const data = await objectsDataset(ctx.dataDir);
    const repo = join(data, 'repo.git');
    let bytes = 0;
    const [vost, peer] = interleave([
      () => {
        const r = libOp('reads', [repo, join(data, 'reads.txt')]);
        bytes = r.bytes;
        return r.reads / (r.ms / 1000);
      },
      () => {
        const r = runOk('git cat-file --batch', ['git', `--git-dir=${repo}`, 'cat-file', '--batch'], {
          stdin: join(data, 'reads.batch'), stdout: 'ignore',
        });
        return READS / (r.ms / 1000);
      },
    ], { runs: ctx.runs(5), warmup: 1 });
    const sizes = runOk('cat-file sizes', ['git', `--git-dir=${repo}`, 'cat-file', '--batch-check=%(objectsize)'], {
      stdin: join(data, 'reads.batch'),
    }).stdout.split('\n').filter(Boolean).reduce((a, s) => a + Number(s), 0);
    return result({
      ...this, unit: 'reads/s', vost: median(vost), peer: median(peer), samples: vost.length, peerLabel: 'git cat-file --batch with main:<path> lines',
      target: target.atLeast(10_000, 'reads/s'),
      checks: [{ ok: bytes === sizes, msg: `read ${bytes} bytes, git says ${sizes}` }],
    });
  },
};

const openReadOne = {
  name: 'core.open-read-one',
  issue: 2,
  what: "node script that opens the 100k-object repo and reads one file vs `node -e ''` (whole process)",
  async run(ctx) {
    const data = await objectsDataset(ctx.dataDir);
    const repo = join(data, 'repo.git');
    const path = readFileSync(join(data, 'reads.txt'), 'utf8').split('\n')[0];
    const node = process.execPath;
    const [vost, peer] = interleave([
      () => runOk('read-one', [node, OPS_PATH, 'read-one', repo, path]).ms,
      () => runOk("node -e ''", [node, '-e', '']).ms,
    ], { runs: ctx.runs(15), warmup: 2 });
    libOp('read-one', [repo, path]);
    return result({
      ...this, unit: 'ms', vost: median(vost), peer: median(peer), samples: vost.length, peerLabel: "node -e ''",
      target: target.overheadMax(50, 'ms'),
      notes: [`overhead beyond Node start-up: ${(median(vost) - median(peer)).toFixed(0)} ms`],
    });
  },
};

const bigPack = {
  name: 'core.big-pack',
  issue: 2,
  big: true,
  what: 'read one small object stored past 2 GiB in a > 2 GiB pack (peak RSS)',
  async run(ctx) {
    const data = await bigPackDataset(ctx.dataDir);
    const repo = join(data, 'repo.git');
    const packDir = join(repo, 'objects', 'pack');
    const packBytes = Math.max(...readdirSync(packDir).filter((f) => f.endsWith('.pack')).map((f) => statSync(join(packDir, f)).size));
    const r = libOp('read-one', [repo, 'small.txt'], { rss: true, scratch: ctx.scratch });
    const peer = runWithRss(['git', `--git-dir=${repo}`, 'cat-file', '-p', 'main:small.txt'], { scratch: ctx.scratch });
    const expected = Number(git(repo, ['cat-file', '-s', 'main:small.txt']));
    const smallOid = git(repo, ['rev-parse', 'main:small.txt']);
    const idx = readdirSync(packDir).find((f) => f.endsWith('.idx'));
    const offset = Number(/^(\d+) (\w+)/m.exec(
      git(repo, ['show-index'], { stdin: join(packDir, idx) }).split('\n').find((l) => l.includes(smallOid)) ?? '',
    )?.[1] ?? 0);
    return result({
      ...this, unit: 'MiB', vost: r.rssBytes / MiB, peer: peer.rssBytes / MiB, peerLabel: 'git cat-file -p',
      target: target.below(150, 'MiB'),
      checks: [
        { ok: packBytes > 2 * 1024 * MiB, msg: `pack is only ${packBytes} bytes` },
        { ok: offset > 2 * 1024 * MiB, msg: `small.txt sits at pack offset ${offset}, not past 2 GiB` },
        { ok: r.bytes === expected, msg: `read ${r.bytes} bytes, expected ${expected}` },
      ],
      notes: [`pack ${(packBytes / MiB / 1024).toFixed(2)} GiB, object at offset ${offset}; vost wall ${r.wallMs.toFixed(0)} ms`],
    });
  },
};

export default [importBatch, writeBig, randomReads, openReadOne, bigPack];
