/** Source resolution (cli.md §9.2-9.3): modes, globs with the dotfile rules, `**`, and the `/./` pivot, on disk and in a repo. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../../src/transfer/library.js';
import { GitStore } from '../../../src/core/index.js';
import type { FS } from '../../../src/core/fs.js';
import { RefEndpoint } from '../../../src/plugins/ref/endpoint.js';
import { EndpointSet, localSide, repoSide, resolveSources, type SourceSide } from '../../../src/transfer/resolve.js';

let root: string;
let snap: FS;
const FILES = ['a.py', '.hidden.py', 'pkg/b.py', 'pkg/.dot/c.py', 'pkg/sub/d.py', 'docs/readme.txt'];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'vost-resolve-'));
  for (const f of FILES) {
    mkdirSync(join(root, 'tree', f, '..'), { recursive: true });
    writeFileSync(join(root, 'tree', f), f);
  }
  const store = await GitStore.open(join(root, 'repo.git'), { create: true, branch: 'main' });
  snap = await (await store.branches.get('main')).copyIn([`${join(root, 'tree')}/`], '');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** `mode name under` per resolved source, the same for disk and repo. */
async function resolved(side: SourceSide, base: string, paths: string[]): Promise<string[]> {
  const r = await resolveSources(side, paths.map((p) => ({ path: base + p, display: p })));
  return r.refs.map((s) => `${s.mode} ${s.name || '-'} ${s.under || '-'}`);
}

const sides: Array<[string, () => { side: SourceSide; base: string }]> = [
  ['disk', () => ({ side: localSide(new EndpointSet(), '/', undefined), base: `${join(root, 'tree')}/` })],
  ['repo', () => {
    const set = new EndpointSet();
    return { side: repoSide(snap, set.add(new RefEndpoint(snap))), base: '' };
  }],
];

describe.each(sides)('%s sources', (_name, make) => {
  it('modes: file, dir (name kept), contents (trailing slash)', async () => {
    const { side, base } = make();
    expect(await resolved(side, base, ['a.py', 'pkg', 'pkg/'])).toEqual(['file a.py -', 'dir pkg -', 'contents - -']);
  });

  it('* and ? skip dot names unless the pattern starts with a dot', async () => {
    const { side, base } = make();
    expect(await resolved(side, base, ['*.py'])).toEqual(['file a.py -']);
    expect(await resolved(side, base, ['.*.py'])).toEqual(['file .hidden.py -']);
    expect(await resolved(side, base, ['pkg/?.py'])).toEqual(['file b.py -']);
  });

  it('** matches any depth but never enters dot folders; matches are flattened to their names', async () => {
    const { side, base } = make();
    expect(await resolved(side, base, ['**/*.py'])).toEqual(['file a.py -', 'file b.py -', 'file d.py -']);
  });

  it('the /./ pivot keeps the path after it', async () => {
    const { side, base } = make();
    expect(await resolved(side, base, ['pkg/./sub/d.py', 'pkg/./sub', 'pkg/./sub/'])).toEqual(['file d.py sub', 'dir sub -', 'contents - -']);
  });

  it('names the missing source, the non-directory and the empty glob', async () => {
    const { side, base } = make();
    await expect(resolved(side, base, ['nope'])).rejects.toThrow(/not found/);
    await expect(resolved(side, base, ['a.py/'])).rejects.toThrow(/Not a directory/);
    await expect(resolved(side, base, ['*.zzz'])).rejects.toThrow(/No matches for pattern/);
  });
});
