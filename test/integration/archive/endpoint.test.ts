import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tarPlugin, zipPlugin } from '../../../src/plugins/archive/index.js';
import type { Endpoint } from '../../../src/plugins/contract.js';
import { removeDir, tempDir } from './helpers.js';

async function text(ep: Endpoint, path: string): Promise<string> {
  const { data } = await ep.read(path);
  if (data instanceof Uint8Array) return Buffer.from(data).toString();
  const parts: Buffer[] = [];
  for await (const c of data) parts.push(c as Buffer);
  return Buffer.concat(parts).toString();
}

describe('archive endpoint writer', () => {
  let dir: string;
  beforeAll(() => { dir = tempDir(); });
  afterAll(() => removeDir(dir));
  const ctx = (forWrite: boolean) => ({ cwd: dir, forWrite, env: {} });

  for (const [plugin, name] of [[zipPlugin, 'w.zip'], [tarPlugin, 'w.tar.bz2']] as const) {
    it(`${name}: a put whose source fails keeps the old member; the rest commits`, async () => {
      const spec = `${plugin.scheme}://${name}`;
      let ep = await plugin.open(spec, ctx(true));
      let w = await ep.writer!();
      await w.put('a.txt', 'file', Buffer.from('old'));
      await w.put('keep/x.txt', 'file', Buffer.from('x'));
      await w.commit();
      await ep.close?.();
      ep = await plugin.open(spec, ctx(true));
      w = await ep.writer!();
      const failing = Readable.from((async function* () { yield Buffer.from('par'); throw new Error('disk gone'); })());
      await expect(w.put('a.txt', 'file', failing)).rejects.toThrow('disk gone');
      await w.put('b.txt', 'executable', Buffer.from('new'));
      await w.commit();
      await ep.close?.();
      const after = await plugin.open(spec, ctx(false));
      const listed = new Map<string, string>();
      for await (const e of after.list()) listed.set(e.path, e.kind);
      expect([...listed].sort()).toEqual([['a.txt', 'file'], ['b.txt', 'executable'], ['keep/x.txt', 'file']]);
      expect(await text(after, 'a.txt')).toBe('old');
      await after.close?.();
      const tool = name.endsWith('.zip') ? ['unzip', ['-tq', join(dir, name)]] : ['tar', ['-tjf', join(dir, name)]];
      execFileSync(tool[0] as string, tool[1] as string[], { stdio: 'pipe' });
    });
  }

  it('a missing source archive is an error; a missing destination is an empty archive', async () => {
    await expect(zipPlugin.open('zip://none.zip', ctx(false))).rejects.toThrow('File not found: none.zip');
    const ep = await tarPlugin.open('tar://none.tgz/', ctx(true));
    expect(await ep.stat('x')).toBeNull();
    await expect(zipPlugin.open('zip://', ctx(true))).rejects.toThrow(/needs a file name/);
  });

  it('tar entries carry git blob ids, so unchanged files compare by id', async () => {
    const ep = await tarPlugin.open('tar://ids.tar', ctx(true));
    const w = await ep.writer!();
    await w.put('hello.txt', 'file', Buffer.from('hello\n'));
    await w.commit();
    const src = await tarPlugin.open('tar://ids.tar', ctx(false));
    const entries = [];
    for await (const e of src.list()) entries.push(e);
    const expected = execFileSync('git', ['hash-object', '--stdin'], { input: 'hello\n' }).toString().trim();
    expect(entries.map((e) => e.oid)).toEqual([expected]);
    await src.close?.();
  });
});
