/**
 * The one contract every endpoint must pass, built-in or third-party. Call
 * `endpointContract(name, factory)` inside a vitest file; the factory makes
 * a fresh, empty, writable endpoint and can reopen it to see what a commit
 * made visible (snapshot endpoints such as `ref` are immutable values).
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { Endpoint, EntryKind } from '../../src/plugins/contract.js';

export interface ContractSubject {
  endpoint: Endpoint;
  /** The endpoint as it is now (after commits). */
  reopen(): Promise<Endpoint>;
  /** Extra checks after each commit (e.g. `git fsck --strict`). */
  verify?(): Promise<void>;
  cleanup(): Promise<void>;
}

export type ContractFactory = () => Promise<ContractSubject>;

export interface ContractOptions {
  /** Size of the streamed large file (default 12 MiB). */
  largeBytes?: number;
}

async function bytes(data: Uint8Array | Readable): Promise<Buffer> {
  if (data instanceof Uint8Array) return Buffer.from(data);
  const parts: Buffer[] = [];
  for await (const c of data) parts.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(parts);
}

async function listAll(ep: Endpoint, prefix?: string): Promise<Map<string, { kind: EntryKind; target?: string }>> {
  const out = new Map<string, { kind: EntryKind; target?: string }>();
  for await (const e of ep.list(prefix === undefined ? {} : { prefix })) out.set(e.path, { kind: e.kind, ...(e.target !== undefined ? { target: e.target } : {}) });
  return out;
}

async function contentOf(ep: Endpoint, path: string): Promise<string> {
  return (await bytes((await ep.read(path)).data)).toString('utf8');
}

async function put(ep: Endpoint, files: Array<[string, EntryKind, string]>, removes: string[] = []): Promise<void> {
  const w = await ep.writer!();
  for (const r of removes) await w.remove(r);
  for (const [path, kind, text] of files) {
    await w.put(path, kind, Buffer.from(text), kind === 'symlink' ? { target: text } : {});
  }
  await w.commit();
}

function sha(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

export function endpointContract(name: string, factory: ContractFactory, options: ContractOptions = {}): void {
  describe(`endpoint contract: ${name}`, () => {
    let subject: ContractSubject | null = null;
    const open = async (): Promise<ContractSubject> => {
      subject = await factory();
      return subject;
    };
    afterEach(async () => {
      await subject?.cleanup();
      subject = null;
    });

    it('starts empty and reports missing paths as null', async () => {
      const s = await open();
      expect((await listAll(s.endpoint)).size).toBe(0);
      expect(await s.endpoint.stat('nothing/here.txt')).toBeNull();
      expect(typeof s.endpoint.display).toBe('string');
    });

    it('writes, lists and reads files, executables, symlinks and nested folders', async () => {
      const s = await open();
      await put(s.endpoint, [
        ['a.txt', 'file', 'alpha\n'],
        ['bin/run.sh', 'executable', '#!/bin/sh\necho hi\n'],
        ['deep/er/still/f.txt', 'file', 'deep\n'],
        ['link', 'symlink', 'a.txt'],
        ['dangling', 'symlink', 'no/such/target'],
      ]);
      await s.verify?.();
      const ep = await s.reopen();
      const all = await listAll(ep);
      expect([...all.keys()].sort()).toEqual(['a.txt', 'bin/run.sh', 'dangling', 'deep/er/still/f.txt', 'link']);
      expect(all.get('bin/run.sh')!.kind).toBe('executable');
      expect(all.get('a.txt')!.kind).toBe('file');
      expect(all.get('link')!.kind).toBe('symlink');
      expect(await contentOf(ep, 'a.txt')).toBe('alpha\n');
      expect(await contentOf(ep, 'link')).toBe('a.txt');
      expect(await contentOf(ep, 'dangling')).toBe('no/such/target');
      expect((await ep.stat('deep/er'))?.kind).toBe('dir');
      const st = await ep.stat('bin/run.sh');
      expect(st && st.kind).toBe('executable');
      expect([...(await listAll(ep, 'deep')).keys()]).toEqual(['deep/er/still/f.txt']);
    });

    it('stores through putNow and reads through readNow (when it has them) exactly as put and read do', async () => {
      const s = await open();
      const w = await s.endpoint.writer!();
      const files: Array<[string, EntryKind, string]> = [
        ['now/a.txt', 'file', 'stored at once\n'],
        ['now/run.sh', 'executable', '#!/bin/sh\n'],
        ['link', 'symlink', 'now/a.txt'],
      ];
      for (const [path, kind, text] of files) {
        const data = Buffer.from(text);
        const meta = kind === 'symlink' ? { target: text } : {};
        const taken = w.putNow?.(path, kind, data, meta) ?? false;
        // putNow keeps its own copy: the caller may reuse the buffer at once.
        data.fill(0);
        if (!taken) await w.put(path, kind, Buffer.from(text), meta);
      }
      await w.commit();
      await s.verify?.();
      const ep = await s.reopen();
      const all = await listAll(ep);
      expect([...all.keys()].sort()).toEqual(['link', 'now/a.txt', 'now/run.sh']);
      expect(all.get('now/run.sh')!.kind).toBe('executable');
      expect(await contentOf(ep, 'now/a.txt')).toBe('stored at once\n');
      if (!ep.readNow) return;
      for await (const e of ep.list()) {
        const hint = e.oid ? { oid: e.oid } : {};
        const viaRead = await bytes((await ep.read(e.path, hint)).data);
        const now = ep.readNow(e.path, hint);
        if (now) expect(Buffer.from(now.data).equals(viaRead)).toBe(true);
      }
    });

    it('handles unicode and space-containing names', async () => {
      const s = await open();
      const names = ['ünïcödé.txt', '日本語/ファイル.md', 'with space/a b.txt', 'emoji-😀.txt'];
      await put(s.endpoint, names.map((n) => [n, 'file', n] as [string, EntryKind, string]));
      await s.verify?.();
      const ep = await s.reopen();
      expect([...(await listAll(ep)).keys()].sort()).toEqual([...names].sort());
      for (const n of names) expect(await contentOf(ep, n)).toBe(n);
    });

    it('updates and deletes; folders left empty disappear', async () => {
      const s = await open();
      await put(s.endpoint, [
        ['keep.txt', 'file', 'v1'],
        ['gone/only.txt', 'file', 'x'],
        ['mode.sh', 'file', 'echo'],
      ]);
      let ep = await s.reopen();
      await put(ep, [
        ['keep.txt', 'file', 'v2'],
        ['mode.sh', 'executable', 'echo'],
      ], ['gone/only.txt']);
      await s.verify?.();
      ep = await s.reopen();
      const all = await listAll(ep);
      expect([...all.keys()].sort()).toEqual(['keep.txt', 'mode.sh']);
      expect(await contentOf(ep, 'keep.txt')).toBe('v2');
      expect(all.get('mode.sh')!.kind).toBe('executable');
      expect(await ep.stat('gone')).toBeNull();
    });

    it('removes a folder through removeEmptyDir (when it has that) only if it is empty at commit', async (ctx) => {
      const s = await open();
      const probe = await s.endpoint.writer!();
      const supported = probe.removeEmptyDir !== undefined;
      await probe.abort();
      if (!supported) return ctx.skip();
      await put(s.endpoint, [['full/a.txt', 'file', 'a'], ['emptied/b.txt', 'file', 'b']]);
      const w = await (await s.reopen()).writer!();
      await w.remove('emptied/b.txt');
      for (const dir of ['emptied', 'full', 'never-there']) await w.removeEmptyDir!(dir);
      for (const bad of ['../evil', '/abs', 'a/../../evil']) await expect(w.removeEmptyDir!(bad)).rejects.toThrow();
      await w.commit();
      await s.verify?.();
      const ep = await s.reopen();
      expect([...(await listAll(ep)).keys()]).toEqual(['full/a.txt']);
      expect(await ep.stat('emptied')).toBeNull();
    });

    it('replaces a file by a folder and a folder by a file', async () => {
      const s = await open();
      await put(s.endpoint, [['x', 'file', 'file'], ['d/inner.txt', 'file', 'in']]);
      let ep = await s.reopen();
      await put(ep, [['x/y.txt', 'file', 'now a dir'], ['d', 'file', 'now a file']]);
      await s.verify?.();
      ep = await s.reopen();
      expect([...(await listAll(ep)).keys()].sort()).toEqual(['d', 'x/y.txt']);
    });

    it('streams a large file through without changing a byte', async () => {
      const s = await open();
      const size = options.largeBytes ?? 12 * 1024 * 1024;
      const chunk = Buffer.alloc(1024 * 1024);
      for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 31 + 7) & 0xff;
      const expected = createHash('sha256');
      const gen = async function* (): AsyncGenerator<Buffer> {
        for (let done = 0; done < size; done += chunk.length) {
          const part = chunk.subarray(0, Math.min(chunk.length, size - done));
          expected.update(part);
          yield Buffer.from(part);
        }
      };
      const w = await s.endpoint.writer!();
      await w.put('big.bin', 'file', Readable.from(gen()));
      await w.commit();
      const ep = await s.reopen();
      const got = await bytes((await ep.read('big.bin')).data);
      expect(got.length).toBe(size);
      expect(sha(got)).toBe(expected.digest('hex'));
    });

    it('leaves the destination exactly as it was when aborted or failing midway', async () => {
      const s = await open();
      await put(s.endpoint, [['a.txt', 'file', 'original'], ['dir/b.txt', 'file', 'b']]);
      const before = await s.reopen();
      const w = await before.writer!();
      await w.put('a.txt', 'file', Buffer.from('changed'));
      await w.put('new.txt', 'file', Buffer.from('new'));
      await w.remove('dir/b.txt');
      const failing = Readable.from(
        (async function* () {
          yield Buffer.from('partial');
          throw new Error('source failed midway');
        })(),
      );
      await expect(w.put('half.txt', 'file', failing)).rejects.toThrow('source failed midway');
      await w.abort();
      await s.verify?.();
      const after = await s.reopen();
      const all = await listAll(after);
      expect([...all.keys()].sort()).toEqual(['a.txt', 'dir/b.txt']);
      expect(await contentOf(after, 'a.txt')).toBe('original');
    });

    it('refuses paths that would escape the root', async () => {
      const s = await open();
      const w = await s.endpoint.writer!();
      for (const bad of ['../evil.txt', '/abs.txt', 'a/../../evil.txt']) {
        await expect(w.put(bad, 'file', Buffer.from('x'))).rejects.toThrow();
      }
      await w.abort();
      expect((await listAll(await s.reopen())).size).toBe(0);
    });

    it('prunes listed folders through skipDir and lists direct children', async () => {
      const s = await open();
      await put(s.endpoint, [['a/1.txt', 'file', '1'], ['b/2.txt', 'file', '2'], ['b/c/3.txt', 'file', '3'], ['top.txt', 'file', 't']]);
      const ep = await s.reopen();
      const seen: string[] = [];
      for await (const e of ep.list({ skipDir: (d) => d === 'b' })) seen.push(e.path);
      expect(seen.sort()).toEqual(['a/1.txt', 'top.txt']);
      if (ep.readdir) {
        const items = (await ep.readdir('b')).map((i) => `${i.name}${i.isDir ? '/' : ''}`).sort();
        expect(items).toEqual(['2.txt', 'c/']);
      }
    });
  });
}
