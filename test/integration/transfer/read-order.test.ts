/**
 * Reading a snapshot's blobs in pack order: the ref endpoint's read-order
 * keys follow the pack offsets git reports, loose objects come last, and a
 * folder filled in that order holds exactly what git checks out.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import '../../../src/transfer/library.js';
import { GitStore } from '../../../src/core/index.js';
import { RefEndpoint } from '../../../src/plugins/ref/endpoint.js';

let root: string;
let gitdir: string;
const git = (args: string[], input?: string) => execFileSync('git', ['--git-dir', gitdir, ...args], { encoding: 'utf8', input });
const NAMES = Array.from({ length: 40 }, (_, i) => `d${i % 4}/f${String(i).padStart(2, '0')}.txt`);

/** A one-commit repo whose pack stores the blobs in reverse path order (fast-import keeps stream order). */
function reversedPackRepo(): void {
  git(['init', '-q', '--bare']);
  git(['config', 'fastimport.unpackLimit', '0']);
  let stream = '';
  [...NAMES].reverse().forEach((name, i) => {
    const body = `${name}\n${'x'.repeat(200 + i * 37)}\n`;
    stream += `blob\nmark :${i + 1}\ndata ${Buffer.byteLength(body)}\n${body}\n`;
  });
  stream += 'commit refs/heads/main\ncommitter T <t@t> 1700000000 +0000\ndata 3\nall\n';
  [...NAMES].reverse().forEach((name, i) => (stream += `M 100644 :${i + 1} ${name}\n`));
  // unpackLimit 0: a pack even for a few objects (fast-import would leave them loose).
  git(['fast-import', '--quiet'], stream + '\n');
  git(['symbolic-ref', 'HEAD', 'refs/heads/main']);
}

function packOffsets(): Map<string, number> {
  const idx = readdirSync(join(gitdir, 'objects/pack')).find((f) => f.endsWith('.idx'))!;
  const out = new Map<string, number>();
  for (const line of execFileSync('git', ['verify-pack', '-v', join(gitdir, 'objects/pack', idx)], { encoding: 'utf8' }).split('\n')) {
    const [oid, type, , , offset] = line.split(/\s+/);
    if (type === 'blob') out.set(oid!, Number(offset));
  }
  return out;
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'vost-read-order-'));
  gitdir = join(root, 'repo.git');
  reversedPackRepo();
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('read order of a repository source', () => {
  it('follows pack offsets, with loose objects last', async () => {
    const store = await GitStore.open(gitdir);
    const fs = await store.branches.get('main').then((f) => f.writeText('zz-loose.txt', 'only loose\n'));
    const endpoint = new RefEndpoint(fs);
    const entries = [];
    for await (const e of endpoint.list()) entries.push({ path: e.path, hint: { oid: e.oid! } });
    expect(entries.map((e) => e.path).sort()).toEqual([...NAMES, 'zz-loose.txt'].sort());

    const keys = await endpoint.readOrder(entries);
    const offsets = packOffsets();
    const byKey = entries.map((e, i) => ({ path: e.path, oid: e.hint.oid, key: keys[i]! })).sort((a, b) => a.key - b.key);
    const packed = byKey.slice(0, NAMES.length).map((e) => offsets.get(e.oid));
    expect(packed.every((o) => o !== undefined)).toBe(true);
    expect(packed).toEqual([...packed].sort((a, b) => a! - b!));
    // Pack order is the reverse of path order here, so the keys really reorder.
    expect(byKey.map((e) => e.path)).toEqual([...NAMES].reverse().concat('zz-loose.txt'));
    expect(byKey[NAMES.length]!.key).toBe(Infinity);
    expect(offsets.has(byKey[NAMES.length]!.oid)).toBe(false);
  });

  it('fills a folder with exactly what git checks out', async () => {
    const store = await GitStore.open(gitdir);
    const out = join(root, 'out');
    const oracle = join(root, 'oracle');
    execFileSync('mkdir', ['-p', oracle]);
    execFileSync('git', ['--git-dir', gitdir, '--work-tree', oracle, 'checkout', 'main', '--', '.']);
    await (await store.branches.get('main')).syncOut('', out);
    for (const name of NAMES) expect(readFileSync(join(out, name), 'utf8')).toBe(readFileSync(join(oracle, name), 'utf8'));
    expect(execFileSync('diff', ['-r', out, oracle], { encoding: 'utf8' })).toBe('');
  });
});

describe('destinations whose output depends on order', () => {
  it('get the plan order: a zip written from a repo lists its members by path, whatever the pack order', async () => {
    const zip = join(root, 'out.zip');
    execFileSync(process.execPath, [join(__dirname, '../../../bin/run.js'), '-r', gitdir, 'cp', ':', `zip://${zip}`], { encoding: 'utf8' });
    const members = execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).trim().split('\n').filter((m) => !m.endsWith('/'));
    expect(members).toEqual([...NAMES].sort());
  });
});
