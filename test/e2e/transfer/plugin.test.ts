/**
 * A third-party endpoint plugin installed the way oclif installs user
 * plugins (data dir package.json + node_modules), declaring its endpoint
 * through the `vost:endpoints` hook; cp and sync use it like any endpoint.
 */
import { mkdirSync, symlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, diskTree, fsck, gitTree, makeTree, tempDir, vost } from './helpers.js';

const PLUGIN = resolve(__dirname, '../../../plugins/vost-plugin-mem');
let work: string;
let repo: string;
let env: Record<string, string>;
const run = (...args: string[]) => vost(args, { cwd: work, repo, env });

beforeAll(async () => {
  work = tempDir();
  repo = join(work, 'repo.git');
  const data = join(work, 'data');
  mkdirSync(join(data, 'node_modules'), { recursive: true });
  symlinkSync(PLUGIN, join(data, 'node_modules', 'vost-plugin-mem'));
  writeFileSync(join(data, 'package.json'), JSON.stringify({ private: true, oclif: { schema: 1, plugins: [{ type: 'user', name: 'vost-plugin-mem' }] } }));
  env = { VOST_DATA_DIR: data, VOST_MEM_DIR: join(work, 'mem') };
  makeTree(join(work, 'src'), { 'a.txt': 'a\n', 'run.sh': '*#!/bin/sh\n', 'l': '@a.txt', 'sub/b.txt': 'b\n' });
});
afterAll(() => cleanup(work));

describe('mem:// plugin endpoint', () => {
  it('round-trips folder → mem:// → repo → mem:// → folder across processes', async () => {
    expect(await run('cp', 'src/', 'mem://box')).toMatchObject({ code: 0, stderr: '' });
    const stored = JSON.parse(readFileSync(join(work, 'mem', 'box.json'), 'utf8')).entries;
    expect(Object.keys(stored).sort()).toEqual(['a.txt', 'l', 'run.sh', 'sub/b.txt']);
    expect(await run('sync', 'mem://box', ':fromplugin')).toMatchObject({ code: 0, stderr: '' });
    fsck(repo);
    expect(gitTree(repo, 'main', 'fromplugin')).toEqual(diskTree(join(work, 'src')));
    expect(await run('sync', '-n', 'mem://box', ':fromplugin')).toMatchObject({ code: 0, stdout: '' });
    expect(await run('sync', ':fromplugin', 'mem://copy')).toMatchObject({ code: 0 });
    expect(await run('cp', 'mem://copy', 'out')).toMatchObject({ code: 0 });
    expect(diskTree(join(work, 'out'))).toEqual(diskTree(join(work, 'src')));
  });

  it('an unknown scheme is a clear error', async () => {
    const r = await run('cp', 'src/', 'nosuch://x');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error: Unknown endpoint scheme 'nosuch:\/\/' — no plugin registered for it \(known: .*mem:\/\/.*\)\n$/);
  });
});
