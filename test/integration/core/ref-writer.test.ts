import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { writeFileSync } from 'node:fs';
import { RefEndpoint } from '../../../src/plugins/ref/endpoint.js';
import type { PutResult } from '../../../src/plugins/contract.js';
import { fsck, git, lsTree, useTempStore } from './helpers.js';

const t = useTempStore();

describe('RefWriter.put', () => {
  it('reports the blob ids git computes, for bytes and for local files, in small and packed batches', async () => {
    for (const count of [3, 200]) {
      const fs = await t.store.branches.get('main');
      const w = await new RefEndpoint(fs).writer({ operation: 'cp' });
      const buf = Buffer.alloc(64);
      const expected = new Map<string, Buffer>();
      const reported = new Map<string, string | undefined>();
      for (let i = 0; i < count; i++) {
        const content = Buffer.from(`${count} bytes ${i}\n`);
        content.copy(buf);
        const res = await w.put(`b/${i}`, 'file', buf.subarray(0, content.length));
        // The writer must have taken its own copy: the caller's buffer is reused at once.
        buf.fill(0x41);
        reported.set(`b/${i}`, (res as PutResult).oid);
        expected.set(`b/${i}`, content);

        const local = join(t.tmp.path, `local-${count}-${i}`);
        const disk = Buffer.from(`${count} on disk ${i}\n`);
        writeFileSync(local, disk);
        const fromDisk = await w.put(`l/${i}`, 'file', Readable.from([Buffer.from('unused')]), { localPath: local, size: disk.length });
        reported.set(`l/${i}`, (fromDisk as PutResult).oid);
        expected.set(`l/${i}`, disk);
      }
      await w.commit();
      const ids = new Map(lsTree(t.repoPath, 'main').map((l) => [l.split('\t')[1]!, l.split(/\s/)[2]!]));
      for (const [path, oid] of reported) expect(oid, path).toBe(ids.get(path));
      const paths = [...expected.keys()].filter((_, i) => i % 37 === 0);
      for (const path of paths) expect(git(t.repoPath, 'cat-file', 'blob', `main:${path}`)).toBe(expected.get(path)!.toString('latin1'));
    }
    fsck(t.repoPath);
  });
});
