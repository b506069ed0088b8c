/**
 * Checkout of a git-made pack through the no-wait path (blobs read from the
 * open pack and queued into the folder writer's batches one after another):
 * git is the oracle for what lands on disk, and a damaged blob fails the
 * transfer with CorruptObjectError naming it, leaving nothing behind.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import '../../../src/transfer/library.js';
import { GitStore } from '../../../src/core/index.js';
import type { FileObjectStore } from '../../../src/core/store/object-store.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'vost-deflated-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Deterministic, poorly compressible content. */
function content(i: number, size: number): Buffer {
  const b = Buffer.alloc(size);
  let x = i * 2654435761 + 1;
  for (let k = 0; k < size; k++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[k] = x >>> 24;
  }
  return b;
}

const blobId = (data: Buffer) => createHash('sha1').update(`blob ${data.length}\0`).update(data).digest('hex');

/** `syncOut` of main into a new folder equals `git checkout` of it (links compared as links); returns the folder. */
async function checkoutMatchesGit(gitdir: string): Promise<string> {
  const store = await GitStore.open(gitdir);
  const out = join(root, 'out');
  await (await store.branches.get('main')).syncOut('', out);
  const oracle = join(root, 'oracle');
  mkdirSync(oracle);
  execFileSync('git', ['--git-dir', gitdir, '--work-tree', oracle, 'checkout', 'main', '--', '.']);
  expect(execFileSync('diff', ['-r', '--no-dereference', out, oracle], { encoding: 'utf8' })).toBe('');
  return out;
}

describe('sync out of a git-made pack', () => {
  let gitdir: string;
  const names = Array.from({ length: 250 }, (_, i) => `d${i % 6}/s${i % 4}/f${i}.bin`);

  beforeEach(() => {
    gitdir = join(root, 'repo.git');
    const work = join(root, 'work');
    names.forEach((name, i) => {
      mkdirSync(join(work, name, '..'), { recursive: true });
      writeFileSync(join(work, name), content(i, (i * 733) % 12_000));
    });
    execFileSync('sh', ['-c', 'head -c 1500000 /dev/zero > big.bin && : > empty && ln -s d0/s0/f0.bin link && printf "#!/bin/sh\\n" > run.sh && chmod +x run.sh'], { cwd: work });
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@t', ...args], { cwd: work });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'all');
    git('clone', '-q', '--bare', work, gitdir);
    execFileSync('git', ['--git-dir', gitdir, 'repack', '-adq']);
  });

  it('writes exactly what git checks out', async () => {
    const out = await checkoutMatchesGit(gitdir);
    expect(statSync(join(out, 'run.sh')).mode & 0o111).not.toBe(0);
    expect(readdirSync(out).filter((n) => n.startsWith('.vost-'))).toEqual([]);
  });

  it('fails on a damaged blob in the pack, naming it, and leaves no folder behind', async () => {
    const pack = readdirSync(join(gitdir, 'objects/pack')).find((f) => f.endsWith('.pack'))!;
    const idx = join(gitdir, 'objects/pack', pack.replace(/\.pack$/, '.idx'));
    const victim = blobId(content(7, (7 * 733) % 12_000));
    const line = execFileSync('git', ['verify-pack', '-v', idx], { encoding: 'utf8' }).split('\n').find((l) => l.startsWith(victim))!;
    const [, type, , packedSize, offset] = line.split(/\s+/);
    expect(type).toBe('blob');
    // A byte in the middle of its zlib data: the stream's checksum no longer holds.
    const fd = openSync(join(gitdir, 'objects/pack', pack), 'r+');
    writeSync(fd, Buffer.from([0x55]), 0, 1, Number(offset) + Math.floor(Number(packedSize) / 2));
    closeSync(fd);

    const store = await GitStore.open(gitdir);
    const out = join(root, 'out');
    await expect((await store.branches.get('main')).syncOut('', out)).rejects.toMatchObject({ code: 'CORRUPT_OBJECT', message: expect.stringContaining(victim) });
    expect(existsSync(out)).toBe(false);
  });
});

describe('sync out of a pack made mostly of deltas', () => {
  let gitdir: string;
  const names = Array.from({ length: 200 }, (_, i) => `d${i % 5}/f${i}.txt`);
  const text = (i: number, round: number) =>
    Array.from({ length: 60 }, (_, line) => (line === (i + round * 7) % 60 ? `changed in round ${round}\n` : `line ${line} of file ${i}\n`)).join('');

  beforeEach(() => {
    gitdir = join(root, 'repo.git');
    const work = join(root, 'work');
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@t', ...args], { cwd: work });
    mkdirSync(work);
    git('init', '-q', '-b', 'main');
    for (const round of [0, 1, 2]) {
      names.forEach((name, i) => {
        mkdirSync(join(work, name, '..'), { recursive: true });
        writeFileSync(join(work, name), text(i, round));
      });
      git('add', '-A');
      git('commit', '-q', '-m', `round ${round}`);
    }
    git('clone', '-q', '--bare', work, gitdir);
    execFileSync('git', ['--git-dir', gitdir, 'gc', '-q', '--aggressive']);
  });

  /** Blob ids git stored as deltas. */
  function deltaBlobs(): string[] {
    const idx = readdirSync(join(gitdir, 'objects/pack')).find((f) => f.endsWith('.idx'))!;
    return execFileSync('git', ['verify-pack', '-v', join(gitdir, 'objects/pack', idx)], { encoding: 'utf8' })
      .split('\n')
      .map((l) => l.split(/\s+/))
      .filter((f) => f[1] === 'blob' && f.length >= 7)
      .map((f) => f[0]!);
  }

  it('writes exactly what git checks out, rebuilding the deltas', async () => {
    expect(deltaBlobs().length).toBeGreaterThan(100);
    await checkoutMatchesGit(gitdir);
  });

  it('rebuilds a small delta without waiting, and refuses one bigger than asked before building it', async () => {
    const store = await GitStore.open(gitdir);
    const objects = (await (await store.branches.get('main'))._repo()).objects as FileObjectStore;
    const [first, oid] = deltaBlobs() as [string, string];
    const size = Number(execFileSync('git', ['--git-dir', gitdir, 'cat-file', '-s', oid], { encoding: 'utf8' }));
    // The first read opens the pack; from then on reads need no waiting.
    await objects.read(first);
    const small = objects.readSmallNow(oid, size);
    expect(small?.data.toString('utf8')).toBe(execFileSync('git', ['--git-dir', gitdir, 'cat-file', 'blob', oid], { encoding: 'utf8' }));
    expect(objects.readSmallNow(oid, size - 1)).toBeUndefined();
  });
});
