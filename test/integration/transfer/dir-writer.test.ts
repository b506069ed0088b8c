/**
 * The folder writer's batched path: many small files written through the
 * worker thread (and inline), checked against what `git hash-object` and
 * `stat` say on disk; failures inside a batch surface and leave nothing at
 * the final paths; the stat cache is told each file's id and final stat.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DirEndpoint } from '../../../src/plugins/dir/endpoint.js';
import { StatCache, type StatKey } from '../../../src/plugins/dir/statcache.js';
import { DirWriter } from '../../../src/plugins/dir/writer.js';
import { StageSink } from '../../../src/plugins/dir/stage-sink.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'vost-dirwriter-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Deterministic content of a given size. */
function content(i: number, size: number): Buffer {
  const b = Buffer.alloc(size);
  for (let k = 0; k < size; k++) b[k] = (i * 31 + k * 7) & 0xff;
  return b;
}

const MTIME_MS = Date.UTC(2020, 0, 2, 3, 4, 5);

describe('StageSink', () => {
  it.each([
    ['a worker thread', true],
    ['inline writes', false],
  ])('writes many batches through %s with exact bytes, modes and times, and the stat of each', async (_label, useWorker) => {
    const sink = new StageSink(useWorker);
    // Folders are shared between batches, so whichever batch is written first must make them.
    const files = Array.from({ length: 300 }, (_, i) => ({ dir: join(root, `d${i % 9}`, 'sub'), name: `f${i}`, data: content(i, 1 + ((i * 997) % 20_000)), exec: i % 7 === 0 }));
    // One file bigger than a batch, so a batch sized to it is needed.
    files.push({ dir: root, name: 'big', data: content(9, 700_000), exec: false });
    for (const f of files) sink.add(join(f.dir, f.name), f.data, f.exec, f.exec ? undefined : MTIME_MS, f.dir);
    await sink.flush();
    await sink.close();
    for (const f of files) {
      expect(readFileSync(join(f.dir, f.name)).equals(f.data)).toBe(true);
      const big = statSync(join(f.dir, f.name), { bigint: true });
      expect(sink.statOf(join(f.dir, f.name))).toEqual({ size: f.data.length, mtimeNs: big.mtimeNs, ctimeNs: big.ctimeNs, ino: big.ino });
      const st = statSync(join(f.dir, f.name));
      if (f.exec) expect(st.mode & 0o777).toBe(0o755);
      else expect(st.mtimeMs).toBe(MTIME_MS);
    }
  });

  it('reports a failure inside a worker batch and refuses more files', async () => {
    const sink = new StageSink(true);
    // A file in place of its folder: the first batch (the worker's) cannot make it.
    writeFileSync(join(root, 'blocked'), '');
    for (let i = 0; i < 200; i++) {
      const dir = i === 10 ? join(root, 'blocked') : root;
      sink.add(join(dir, `f${i}`), content(i, 8000), false, undefined, dir);
    }
    await expect(sink.flush()).rejects.toMatchObject({ code: 'EEXIST' });
    expect(() => sink.add(join(root, 'later'), content(1, 10), false, undefined, root)).toThrow();
    await sink.close();
    expect(existsSync(join(root, 'later'))).toBe(false);
  });
});

describe('DirWriter with many files', () => {
  const N = 1500;
  const paths = Array.from({ length: N }, (_, i) => `d${i % 13}/s${i % 5}/f${i}.bin`);

  it('places every file and gives the stat cache each file\'s id and final stat', async () => {
    const out = join(root, 'out');
    mkdirSync(out);
    writeFileSync(join(out, 'keep.txt'), 'untouched');
    const cache = StatCache.memory();
    const recorded = new Map<string, { st: StatKey; oid: string }>();
    const record = cache.record.bind(cache);
    cache.record = (path, st, oid, at) => {
      recorded.set(path, { st, oid });
      record(path, st, oid, at);
    };
    const w = await DirWriter.create(out, cache);
    const oids = new Map<string, string>();
    for (const [i, p] of paths.entries()) {
      const data = content(i, 100 + ((i * 389) % 16_000));
      const oid = createHash('sha1').update(`blob ${data.length}\0`).update(data).digest('hex');
      oids.set(p, oid);
      await w.put(p, i % 11 === 0 ? 'executable' : 'file', data, { oid, mtimeMs: MTIME_MS });
    }
    // Nothing is visible before the commit.
    expect(readdirSync(out).sort()).toEqual([expect.stringMatching(/^\.vost-staging-/), 'keep.txt']);
    // Older than the stat cache's racy window when the folders move in (but for the last batch, written at commit).
    await new Promise((r) => setTimeout(r, 80));
    await w.commit();
    expect(readdirSync(out).sort()).toEqual([...Array.from({ length: 13 }, (_, i) => `d${i}`), 'keep.txt'].sort());
    const onDisk = execFileSync('git', ['hash-object', '--', ...paths], { cwd: out, encoding: 'utf8' }).trim().split('\n');
    let hits = 0;
    expect(onDisk).toEqual(paths.map((p) => oids.get(p)));
    for (const [i, p] of paths.entries()) {
      const abs = join(out, p);
      const st = lstatSync(abs, { bigint: true });
      expect(st.mtimeNs).toBe(BigInt(MTIME_MS) * 1_000_000n);
      expect(Number(st.mode) & 0o777).toBe(i % 11 === 0 ? 0o755 : 0o666 & ~process.umask());
      const key = { size: Number(st.size), mtimeNs: st.mtimeNs, ctimeNs: st.ctimeNs, ino: st.ino };
      expect(recorded.get(p)).toEqual({ oid: oids.get(p), st: key });
      if (cache.lookup(p, key) === oids.get(p)) hits++;
    }
    expect(recorded.size).toBe(N);
    expect(hits).toBeGreaterThan(N * 0.9);
    expect(readFileSync(join(out, 'keep.txt'), 'utf8')).toBe('untouched');
  });

  it('moves missing folders in whole, and files one by one into folders that exist; never writes through a link', async () => {
    const out = join(root, 'out');
    const outside = join(root, 'outside');
    mkdirSync(join(out, 'd0', 's0'), { recursive: true });
    mkdirSync(outside);
    writeFileSync(join(out, 'd0', 's0', 'f0.bin'), 'old');
    writeFileSync(join(out, 'd0', 'mine.txt'), 'kept');
    writeFileSync(join(out, 'd1'), 'a file where a folder goes');
    symlinkSync(outside, join(out, 'd2'));
    const w = await new DirEndpoint(out).writer();
    for (const [i, p] of paths.entries()) await w.put(p, 'file', content(i, 300));
    await w.commit();
    for (const [i, p] of paths.entries()) expect(readFileSync(join(out, p)).equals(content(i, 300))).toBe(true);
    expect(readFileSync(join(out, 'd0', 'mine.txt'), 'utf8')).toBe('kept');
    expect(lstatSync(join(out, 'd1')).isDirectory()).toBe(true);
    expect(lstatSync(join(out, 'd2')).isDirectory()).toBe(true);
    expect(readdirSync(outside)).toEqual([]);
    expect(readdirSync(out).filter((n) => n.startsWith('.vost-staging-'))).toEqual([]);
  });

  it('abort while batches are in flight leaves the folder as it was', async () => {
    const out = join(root, 'out');
    mkdirSync(out);
    writeFileSync(join(out, 'a.txt'), 'original');
    const w = await new DirEndpoint(out).writer();
    for (const [i, p] of paths.entries()) await w.put(p, 'file', content(i, 4000));
    await w.abort();
    expect(readdirSync(out)).toEqual(['a.txt']);
    expect(readFileSync(join(out, 'a.txt'), 'utf8')).toBe('original');
  });
});
