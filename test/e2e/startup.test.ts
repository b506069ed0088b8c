/**
 * The CLI runs from the esbuild bundle (scripts/bundle.js): its command table,
 * oclif's manifest and the compiled command files must agree, and a command
 * must load neither the other commands, nor oclif, nor packages from
 * node_modules (the bundle holds those it needs at start).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(ROOT, 'bin', 'run.js');

function commandFileIds(dir = join(ROOT, 'dist', 'commands')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return commandFileIds(path);
    if (!entry.name.endsWith('.js')) return [];
    const rel = relative(join(ROOT, 'dist', 'commands'), path).replace(/\.js$/, '');
    return [rel.split('/').filter((part) => part !== 'index').join(':')];
  });
}

describe('CLI bundle', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'vost-startup-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('has every compiled command in its table and in the manifest, with help text', async () => {
    const bundle = (await import(pathToFileURL(join(ROOT, 'dist', 'bundle', 'cli.js')).href)) as { COMMANDS: Record<string, unknown> };
    const manifest = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8')) as {
      commands: Record<string, { summary?: string; flags: Record<string, unknown> }>;
    };
    const start = (await import(pathToFileURL(join(ROOT, 'dist', 'bundle', 'start.js')).href)) as { LOADERS: Record<string, unknown> };
    const ids = commandFileIds().sort();
    expect(Object.keys(bundle.COMMANDS).sort()).toEqual(ids);
    expect(Object.keys(start.LOADERS).sort()).toEqual(ids);
    expect(Object.keys(manifest.commands).sort()).toEqual(ids);
    for (const id of ids) {
      expect(manifest.commands[id].summary, id).toBeTruthy();
      expect(Object.keys(manifest.commands[id].flags), id).toContain('repo');
    }
  });

  it('vost cat loads its own command file and shared chunks only: no other command, no oclif, nothing from node_modules', () => {
    const repo = join(work, 'r.git');
    const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' };
    expect(spawnSync('node', [BIN, '-r', repo, 'init'], { env }).status).toBe(0);
    expect(spawnSync('node', [BIN, '-r', repo, 'write', ':a.txt'], { env, input: 'hi\n' }).status).toBe(0);
    // A preload that lists every module file the ESM loader resolves.
    const hook = `data:text/javascript,${encodeURIComponent(`
      export async function resolve(spec, ctx, next) {
        const r = await next(spec, ctx);
        if (r.url.startsWith('file:')) process.stderr.write('LOADED ' + r.url + '\\n');
        return r;
      }`)}`;
    const register = `data:text/javascript,${encodeURIComponent(`import { register } from 'node:module'; register(${JSON.stringify(hook)});`)}`;
    const r = spawnSync('node', ['--import', register, BIN, '-r', repo, 'cat', ':a.txt'], { env, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('hi\n');
    const loaded = [...new Set(r.stderr
      .split('\n')
      .filter((line) => line.startsWith('LOADED '))
      .map((line) => relative(ROOT, fileURLToPath(line.slice(7)))))];
    expect(loaded).toContain(join('dist', 'bundle', 'commands', 'cat.js'));
    const outside = loaded.filter((path) => path !== join('bin', 'run.js') && !path.startsWith(join('dist', 'bundle', 'chunks')));
    expect(outside.sort()).toEqual([join('dist', 'bundle', 'commands', 'cat.js'), join('dist', 'bundle', 'start.js')]);
    // The bundle keeps each CommonJS module's path as its key: oclif's would show.
    const oclif = loaded.filter((path) => readFileSync(join(ROOT, path), 'utf8').includes('node_modules/@oclif/core/'));
    expect(oclif).toEqual([]);
  });

  it('the package entries (vost, vost/plugin) load from the library bundle and share one endpoint registry', () => {
    const repo = join(work, 'lib.git');
    const script = `
      import { GitStore, registerEndpoint } from 'vost';
      import { registerEndpoint as fromPlugin } from 'vost/plugin';
      const store = await GitStore.open(${JSON.stringify(repo)}, { create: true });
      const fs = await (await store.fs('main')).writeText('a.txt', 'hi');
      process.stdout.write(JSON.stringify({ text: await fs.readText('a.txt'), same: registerEndpoint === fromPlugin, url: import.meta.resolve('vost') }));
    `;
    const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' };
    const r = spawnSync('node', ['--input-type=module', '-e', script], { cwd: ROOT, env, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { text: string; same: boolean; url: string };
    expect(out).toMatchObject({ text: 'hi', same: true });
    expect(relative(ROOT, fileURLToPath(out.url))).toBe(join('dist', 'lib', 'index.js'));
    expect(spawnSync('git', ['--git-dir', repo, 'cat-file', '-p', 'main:a.txt'], { encoding: 'utf8' }).stdout).toBe('hi');
  });
});
