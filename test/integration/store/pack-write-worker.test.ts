import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DeflateWorker } from '../../../src/core/store/deflate-worker.js';
import { catBatch, git, useTempRepository } from './helpers.js';

const packDir = (gitdir: string) => join(gitdir, 'objects', 'pack');
const packFiles = (gitdir: string, ext: string) =>
  readdirSync(packDir(gitdir))
    .filter((n) => n.endsWith(ext))
    .map((n) => join(packDir(gitdir), n));

/** Half compressible, half random: deflate output sizes vary from object to object. */
function blob(i: number): Buffer {
  return Buffer.concat([Buffer.from(`object ${i}\n`.repeat(200 + (i % 50))), randomBytes(1000 + ((i * 37) % 3000))]);
}

describe('pack writer deflating on a worker thread', () => {
  const t = useTempRepository();
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('many objects, a big one and duplicates in between land in order in a pack git indexes identically', async () => {
    const deflate = vi.spyOn(DeflateWorker.prototype, 'deflate');
    const w = await t.repo.objects.packWriter();
    const blobs = Array.from({ length: 800 }, (_, i) => blob(i));
    const oids: string[] = [];
    let objects = 0;
    for (const [i, b] of blobs.entries()) {
      oids.push(await w.write('blob', b));
      objects += 1;
      if (i === 400) {
        await w.write('blob', randomBytes(1_500_000));
        objects += 1;
      }
      if (i % 100 === 0) await w.write('blob', blobs[0]!);
    }
    // Objects still being deflated count: a sink deciding between finish and abort must see them.
    expect(w.count).toBe(objects);
    await w.finish();
    expect(deflate.mock.calls.length).toBeGreaterThan(500);

    const [pack] = packFiles(t.gitdir, '.pack');
    const [idx] = packFiles(t.gitdir, '.idx');
    expect(git(t.gitdir, ['verify-pack', idx!])).toBe('');
    const rebuilt = join(t.tmp.dir, 'rebuilt.idx');
    git(t.gitdir, ['index-pack', '-o', rebuilt, pack!]);
    expect(readFileSync(rebuilt).equals(readFileSync(idx!))).toBe(true);
    const sample = [0, 1, 399, 400, 401, 799];
    const got = catBatch(t.gitdir, sample.map((i) => oids[i]!));
    for (const i of sample) expect(got.get(oids[i]!)!.data.equals(blobs[i]!), `blob ${i}`).toBe(true);
    expect(readdirSync(packDir(t.gitdir)).filter((n) => n.startsWith('tmp_'))).toEqual([]);
  });

  it('a caller may refill its buffer as soon as write returns', async () => {
    const w = await t.repo.objects.packWriter();
    const buf = Buffer.alloc(4000);
    const expected = new Map<string, Buffer>();
    for (let i = 0; i < 600; i++) {
      const content = blob(i).subarray(0, 4000);
      content.copy(buf);
      expected.set(await w.write('blob', buf.subarray(0, content.length)), Buffer.from(content));
      buf.fill(0);
    }
    await w.finish();
    const got = catBatch(t.gitdir, [...expected.keys()]);
    for (const [oid, data] of expected) expect(got.get(oid)!.data.equals(data)).toBe(true);
  });

  it('a write racing finish fails instead of being dropped, and what came before lands', async () => {
    const w = await t.repo.objects.packWriter();
    const blobs = Array.from({ length: 600 }, (_, i) => blob(i));
    const oids: string[] = [];
    for (const b of blobs) oids.push(await w.write('blob', b));
    const finished = w.finish();
    await expect(w.write('blob', Buffer.from('too late'))).rejects.toThrow('already finished');
    await finished;
    expect(git(t.gitdir, ['verify-pack', packFiles(t.gitdir, '.idx')[0]!])).toBe('');
    const got = catBatch(t.gitdir, oids);
    oids.forEach((oid, i) => expect(got.get(oid)?.data.equals(blobs[i]!)).toBe(true));
  });

  it('abort with objects still in flight leaves no temp files, and the writer refuses more', async () => {
    const w = await t.repo.objects.packWriter();
    for (let i = 0; i < 600; i++) await w.write('blob', blob(i));
    await w.abort();
    expect(readdirSync(packDir(t.gitdir))).toEqual([]);
    await expect(w.write('blob', Buffer.from('late'))).rejects.toThrow();
  });

  it('a failed deflate fails the pack: a later write or finish throws, abort cleans up', async () => {
    const real = DeflateWorker.prototype.deflate;
    let calls = 0;
    vi.spyOn(DeflateWorker.prototype, 'deflate').mockImplementation(function (this: DeflateWorker, data: Uint8Array) {
      calls += 1;
      return calls === 50 ? Promise.reject(new Error('boom')) : real.call(this, data);
    });
    const w = await t.repo.objects.packWriter();
    const run = async () => {
      for (let i = 0; i < 600; i++) await w.write('blob', blob(i));
      await w.finish();
    };
    await expect(run()).rejects.toThrow('boom');
    await w.abort();
    expect(readdirSync(packDir(t.gitdir))).toEqual([]);
  });
});

describe('DeflateWorker', () => {
  it('returns zlib streams at the given level, in the order asked, and close rejects what is owed', async () => {
    const d = new DeflateWorker(9);
    const inputs = Array.from({ length: 300 }, (_, i) => blob(i));
    const outs = await Promise.all(inputs.map((b) => d.deflate(b)));
    outs.forEach((z, i) => {
      expect(zlib.inflateSync(z).equals(inputs[i]!)).toBe(true);
      expect(z.equals(zlib.deflateSync(inputs[i]!, { level: 9 }))).toBe(true);
    });
    const owed = expect(d.deflate(inputs[0]!)).rejects.toThrow('closed');
    await d.close();
    await owed;
    await expect(d.deflate(inputs[1]!)).rejects.toThrow('closed');
  });
});
