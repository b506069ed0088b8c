/**
 * Conformance audit of the read commands `ls`, `cat`, `hash` and `cmp`
 * against cli.md §3, §4, §7.1–7.3 and §11.3: the cases the everyday tests in
 * test/e2e/simple leave out. Fixtures are written by git plumbing, so commit
 * dates, modes and raw link bytes are exactly what each case needs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, errLine, git, GIT_ENV, tempDir, vost } from '../simple/helpers.js';

const ENV = { ...process.env, ...GIT_ENV };

/** git with byte input and extra environment; returns trimmed stdout. */
function gitIn(repo: string, args: string[], input: string | Buffer = '', env: Record<string, string> = {}): string {
  const r = spawnSync('git', ['--git-dir', repo, ...args], { input, env: { ...ENV, ...env } });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr.toString()}`);
  return r.stdout.toString().trim();
}

function initBare(repo: string): void {
  const r = spawnSync('git', ['init', '--bare', '-q', '-b', 'main', repo], { env: ENV });
  if (r.status !== 0) throw new Error(r.stderr.toString());
}

/** A tree of `[mode, name, content]` entries (one level: enough for these cases). */
function mktree(repo: string, entries: [string, string, string | Buffer][]): string {
  const lines = entries.map(([mode, name, content]) => {
    const oid = gitIn(repo, ['hash-object', '-w', '--stdin'], content);
    return `${mode} blob ${oid}\t${name}\n`;
  });
  return gitIn(repo, ['mktree'], lines.join(''));
}

/** A commit with a fixed committer date (seconds since the epoch). */
function commit(repo: string, tree: string, parent: string | null, message: string, epoch: number): string {
  const date = `${epoch} +0000`;
  const args = ['commit-tree', tree, ...(parent ? ['-p', parent] : []), '-m', message];
  return gitIn(repo, args, '', { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
}

/** Builds `main` from `[message, epoch, entries]` steps, oldest first; returns the commit ids. */
function history(repo: string, steps: [string, number, [string, string, string | Buffer][]][]): string[] {
  const ids: string[] = [];
  for (const [message, epoch, entries] of steps) {
    ids.push(commit(repo, mktree(repo, entries), ids.at(-1) ?? null, message, epoch));
  }
  gitIn(repo, ['update-ref', 'refs/heads/main', ids.at(-1)!]);
  return ids;
}

const RAW_TARGET = Buffer.from([0x74, 0x61, 0x72, 0xff, 0x67, 0x65, 0x74]); // "tar\xffget": not UTF-8

let base: string;
beforeAll(() => {
  base = tempDir('vost-audit-read-');
});
afterAll(() => cleanup(base));

describe('link targets that are not UTF-8', () => {
  let repo: string;
  let local: string;
  beforeAll(() => {
    repo = join(base, 'raw.git');
    initBare(repo);
    history(repo, [['raw link', 1700000000, [['120000', 'lnk', RAW_TARGET], ['100644', 'f', 'f\n']]]]);
    // The same link on disk, with its target present so it is not dangling.
    local = join(base, 'raw-disk');
    mkdirSync(local);
    writeFileSync(Buffer.from(`${local}/${RAW_TARGET.toString('latin1')}`, 'latin1'), 'x');
    writeFileSync(join(local, 'plain'), 'f\n');
    symlinkSync(RAW_TARGET, join(local, 'lnk'));
  });

  it('cmp hashes a local link by the raw bytes of its target, as git stores them', async () => {
    const repoOid = git(repo, ['rev-parse', 'main:lnk']);
    const r = await vost(['-v', 'cmp', join(local, 'lnk'), ':lnk'], { repo });
    expect(r.stderr).toBe(`${repoOid}  ${join(local, 'lnk')}\n${repoOid}  :lnk\n`);
    expect(r.code).toBe(0);
  });

  it('cat prints the raw target bytes and ls -l gives the blob size', async () => {
    expect((await vost(['cat', 'lnk'], { repo })).raw.equals(RAW_TARGET)).toBe(true);
    const size = Number(gitIn(repo, ['cat-file', '-s', 'main:lnk']));
    const rows = JSON.parse((await vost(['ls', '-l', '--format', 'json', 'lnk'], { repo })).stdout) as { size: number }[];
    expect(rows[0].size).toBe(size);
    const text = (await vost(['ls', '-l', 'lnk'], { repo })).stdout;
    expect(text.startsWith(`${git(repo, ['rev-parse', 'main:lnk']).slice(0, 7)}  ${size}  lnk -> `)).toBe(true);
  });
});

describe('snapshot selection details (§4.2, §4.3)', () => {
  let repo: string;
  let ids: string[];
  const run = (...args: string[]) => vost(args, { repo });
  beforeAll(() => {
    repo = join(base, 'hist.git');
    initBare(repo);
    // Committer dates out of order on purpose: B is newer than C, its child.
    ids = history(repo, [
      ['A', 1704067200, [['100644', 'f.sh', 'a\n']]], // 2024-01-01
      ['B', 1709251200, [['100755', 'f.sh', 'a\n']]], // 2024-03-01: mode-only change
      ['C', 1706745600, [['100755', 'f.sh', 'a\n'], ['100644', 'g', 'g\n']]], // 2024-02-01
      ['D', 1711929600, [['100644', 'g', 'g2\n']]], // 2024-04-01: f.sh deleted
    ]);
  });

  it('--path sees a mode-only change and a deletion', async () => {
    const [, b, c, d] = ids;
    expect((await run('hash', '--path', 'f.sh')).stdout).toBe(`${d}\n`);
    expect((await run('hash', '--path', 'f.sh', '--back', '1')).stdout).toBe(`${c}\n`);
    expect((await run('hash', '--path', 'f.sh', '--ref', c)).stdout).toBe(`${b}\n`);
    expect((await run('hash', '--path', 'g', '--back', '0', '--ref', c)).stdout).toBe(`${c}\n`);
  });

  it('--before skips newer commits until the first older one, then stops checking time', async () => {
    const [a, b, c] = ids;
    expect((await run('hash', '--before', '2024-02-15')).stdout).toBe(`${c}\n`);
    // B is after the cut-off but comes after C in the walk: time is no longer checked.
    expect((await run('hash', '--before', '2024-02-15', '--match', 'B')).stdout).toBe(`${b}\n`);
    expect((await run('hash', '--before', '2024-01-31T23:59:59Z')).stdout).toBe(`${a}\n`);
    expect(await run('hash', '--before', '2023-12-31')).toMatchObject({ code: 1, stderr: errLine('No matching commits found') });
  });

  it('applies a path ~N before the filters, but hash ~N after them', async () => {
    const [, b, c] = ids;
    // ls/cat: ~1 is C; the newest change of f.sh from there is B (mode only), which has no g.
    expect((await run('ls', '~1:', '--path', 'f.sh')).stdout).toBe('f.sh\n');
    expect(await run('cat', '~1:g', '--path', 'f.sh')).toMatchObject({ code: 1, stderr: errLine('File not found: g') });
    expect(JSON.parse((await run('ls', '-l', '--format', 'json', 'main~1:', '--path', 'f.sh')).stdout)).toEqual([
      { name: 'f.sh', hash: git(repo, ['rev-parse', `${b}:f.sh`]), size: 2, type: 'executable' },
    ]);
    // hash: the filter selects D (f.sh deleted), then ~1 steps back to C.
    expect((await run('hash', 'main~1', '--path', 'f.sh')).stdout).toBe(`${c}\n`);
    expect((await run('hash', '~1:g', '--path', 'f.sh')).stdout).toBe(`${git(repo, ['rev-parse', `${c}:g`])}\n`);
  });

  it('follows annotated tags to their commit', async () => {
    gitIn(repo, ['tag', '-a', 'ann', '-m', 'annotated', ids[2]]);
    expect((await run('hash', 'ann')).stdout).toBe(`${ids[2]}\n`);
    expect((await run('hash', 'ann~1')).stdout).toBe(`${ids[1]}\n`);
    expect((await run('cat', 'ann:g')).stdout).toBe('g\n');
    expect((await run('ls', 'ann:')).stdout).toBe('f.sh\ng\n');
  });
});

describe('current branch (§2.6)', () => {
  it('uses main when HEAD is detached, and names main when it is missing', async () => {
    const repo = join(base, 'head.git');
    initBare(repo);
    const [first, second] = history(repo, [
      ['one', 1700000000, [['100644', 'f', '1\n']]],
      ['two', 1700000100, [['100644', 'f', '2\n']]],
    ]);
    writeFileSync(join(repo, 'HEAD'), `${first}\n`);
    expect((await vost(['hash'], { repo })).stdout).toBe(`${second}\n`);
    gitIn(repo, ['branch', '-m', 'main', 'trunk']);
    for (const args of [['hash'], ['ls'], ['cat', 'f'], ['cmp', ':f', ':f']]) {
      expect(await vost(args, { repo }), args.join(' ')).toMatchObject({ code: 1, stdout: '', stderr: errLine('Branch not found: main') });
    }
  });
});

describe('globs and links (§7.1, §9.3, §11.3)', () => {
  let repo: string;
  let local: string;
  const ls = (...args: string[]) => vost(['ls', ...args], { repo });
  beforeAll(() => {
    repo = join(base, 'glob.git');
    initBare(repo);
    const sub = mktree(repo, [['100644', 'x', 'x']]);
    const files = [
      `100644 blob ${gitIn(repo, ['hash-object', '-w', '--stdin'], 'dot\n')}\t.dotfile`,
      `120000 blob ${gitIn(repo, ['hash-object', '-w', '--stdin'], 'sub')}\tdirlink`,
      `100644 blob ${gitIn(repo, ['hash-object', '-w', '--stdin'], 'd\n')}\tdeep`,
    ];
    const tree = gitIn(repo, ['mktree'], `${files.join('\n')}\n040000 tree ${sub}\t.hid\n040000 tree ${sub}\tsub\n`);
    gitIn(repo, ['update-ref', 'refs/heads/main', commit(repo, tree, null, 'globs', 1700000000)]);
    local = join(base, 'glob-disk');
    mkdirSync(join(local, 'sub'), { recursive: true });
    symlinkSync('sub', join(local, 'dirlink'));
  });

  it('never lets wildcards, classes or ** reach dot-names unless the segment starts with a dot', async () => {
    expect((await ls('**')).stdout).toBe('deep\ndirlink\nsub\nsub/x\n');
    expect((await ls('**/x')).stdout).toBe('sub/x\n');
    expect((await ls('?dotfile', '[.]d*')).stdout).toBe('');
    expect((await ls('.*')).stdout).toBe('.dotfile\n.hid\n');
    expect((await ls('.h*/*', '-R')).stdout).toBe('.hid/x\n');
  });

  it('treats a link to a directory as a file everywhere', async () => {
    expect((await ls('dirlink', 'dirlink/')).stdout).toBe('dirlink\n');
    expect((await ls('-R', 'dirlink')).stdout).toBe('dirlink\n');
    expect((await ls('dirlink/*')).stdout).toBe('');
    expect(await ls('dirlink/x')).toMatchObject({ code: 1, stderr: errLine('Path not found: dirlink/x') });
    expect((await vost(['cat', 'dirlink'], { repo })).stdout).toBe('sub');
    expect(await vost(['cmp', join(local, 'dirlink'), ':dirlink'], { repo })).toMatchObject({ code: 0, stderr: '' });
    const slash = `${join(local, 'dirlink')}/`;
    expect(await vost(['cmp', slash, ':dirlink'], { repo })).toMatchObject({ code: 1, stderr: errLine(`Is a directory: ${slash}`) });
  });
});
