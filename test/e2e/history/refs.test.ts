import { existsSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, GitFixture, gitStatus, removeDir, tempDir, vost } from './helpers.js';

describe('branch, tag and note on a git-made repository (cli.md §12)', () => {
  let dir: string;
  let repo: string;
  const c: Record<string, string> = {};
  beforeAll(async () => {
    dir = tempDir();
    const fx = new GitFixture(dir);
    c.one = fx.commit({ 'a.txt': '1' }, 'one');
    c.two = fx.commit({ 'b.txt': '2' }, 'two');
    c.three = fx.commit({ 'a.txt': '3' }, 'three');
    fx.run(['branch', 'dev', c.two]);
    fx.run(['tag', '-a', '-m', 'annotated', 'v1', c.one]);
    fx.run(['notes', 'add', '-m', 'git note', c.two]);
    repo = fx.bare();
    // Notes refs are not cloned; copy the one git wrote.
    git(repo, ['fetch', '-q', fx.work, 'refs/notes/commits:refs/notes/commits']);
  });
  afterAll(() => removeDir(dir));

  const run = async (args: string[]) => {
    const r = await vost(repo, args);
    return [r.code, r.stdout, r.stderr];
  };
  const rev = (ref: string) => git(repo, ['rev-parse', ref]);

  it('lists, checks and hashes branches', async () => {
    expect(await run(['branch'])).toEqual([0, 'dev\nmain\n', '']);
    expect(await run(['branch', 'list', '--format', 'json'])).toEqual([0, '["dev", "main"]\n', '']);
    expect(await run(['branch', 'list', '--format', 'jsonl'])).toEqual([0, '"dev"\n"main"\n', '']);
    expect(await run(['branch', 'exists', 'dev'])).toEqual([0, '', '']);
    expect(await run(['branch', 'exists', 'nope'])).toEqual([1, '', '']);
    expect(await run(['branch', 'hash', 'main'])).toEqual([0, `${c.three}\n`, '']);
    expect(await run(['branch', 'hash', 'main', '--path', 'b.txt', '--format', 'json'])).toEqual([
      0,
      `{"branch": "main", "hash": "${c.two}"}\n`,
      '',
    ]);
    expect(await run(['branch', 'hash', 'main', '--back', '2'])).toEqual([0, `${c.one}\n`, '']);
    expect((await run(['branch', 'hash', 'main', '--ref', 'dev']))[0]).toBe(2);
    expect(await run(['branch', 'hash', 'nope'])).toEqual([1, '', 'Error: Branch not found: nope\n']);
  });

  it('sets branches from refs and filters, with git seeing the result', async () => {
    expect(await run(['-v', 'branch', 'set', 'feature/x', '--ref', 'v1'])).toEqual([0, '', 'Set branch feature/x\n']);
    expect(rev('feature/x')).toBe(c.one);
    expect(git(repo, ['reflog', 'show', '--format=%gs', 'feature/x'])).toBe('branch: Created from one');
    expect(await run(['branch', 'set', 'feature/x', '-b', 'dev'])).toEqual([1, '', 'Error: Branch already exists: feature/x\n']);
    expect(await run(['branch', 'set', 'feature/x', '-f', '--match', 't*o'])).toEqual([0, '', '']);
    expect(rev('feature/x')).toBe(c.two);
    expect(await run(['branch', 'set', 'sq', '--squash'])).toEqual([0, '', '']);
    expect(git(repo, ['log', '--format=%s %P', 'sq'])).toBe('squash ');
    expect(rev('sq^{tree}')).toBe(rev('main^{tree}'));
    expect(await run(['branch', 'set', 'sq', '--squash', '--append', '-b', 'dev'])).toEqual([0, '', '']);
    expect(git(repo, ['log', '--format=%s', 'sq'])).toBe('squash\nsquash');
    expect(rev('sq^{tree}')).toBe(rev('dev^{tree}'));
    expect(await run(['branch', 'set', 'empty', '--empty'])).toEqual([0, '', '']);
    expect(git(repo, ['log', '--format=%s %T', 'empty'])).toBe('Initialize empty 4b825dc642cb6eb9a060e54bf8d69288fbee4904');
    expect((await run(['branch', 'set', 'e2', '--empty', '--back', '1']))[2]).toBe(
      'Error: --empty cannot be combined with --ref/--path/--match/--before/--back\n',
    );
    expect((await run(['branch', 'set', 'x', '--append']))[2]).toBe(
      'Error: --append without --squash (replay full commit chain) is not yet implemented\n',
    );
    expect((await run(['branch', 'set', 'x', '--append', '--squash']))[2]).toBe('Error: --append requires existing branch: x\n');
    expect((await run(['branch', 'set', 'x', '--append', '--empty']))[2]).toBe('Error: --append cannot be combined with --empty\n');
    expect((await run(['branch', 'set', 'a:b']))[2]).toBe("Error: Invalid ref name 'a:b': contains colon\n");
    expect((await run(['branch', 'set', 'a..b', '--empty']))[2]).toBe("Error: Invalid ref name: 'a..b'\n");
    expect((await run(['branch', 'set', 'y', '--ref', 'zzz']))[2]).toBe('Error: Unknown ref: zzz\n');
  });

  it('gets and sets the current branch, and deletes branches', async () => {
    expect(await run(['branch', 'current', '--format', 'json'])).toEqual([0, '{"name": "main"}\n', '']);
    expect(await run(['-v', 'branch', 'current', '-b', 'dev'])).toEqual([0, '', 'Current branch set to dev\n']);
    expect(git(repo, ['symbolic-ref', 'HEAD'])).toBe('refs/heads/dev');
    expect(await run(['branch', 'current', '-b', 'nope'])).toEqual([1, '', 'Error: Branch not found: nope\n']);
    expect(await run(['-v', 'branch', 'delete', 'dev'])).toEqual([0, '', 'Deleted branch dev\n']);
    expect(gitStatus(repo, ['rev-parse', '--verify', '-q', 'refs/heads/dev'])).not.toBe(0);
    expect(await run(['branch', 'current'])).toEqual([1, '', 'Error: HEAD does not point to an existing branch\n']);
    expect(await run(['branch', 'delete', 'dev'])).toEqual([1, '', 'Error: Branch not found: dev\n']);
    git(repo, ['symbolic-ref', 'HEAD', 'refs/heads/main']);
  });

  it('manages tags; annotated tags are peeled', async () => {
    expect(await run(['tag'])).toEqual([0, 'v1\n', '']);
    expect(await run(['tag', 'hash', 'v1', '--format', 'jsonl'])).toEqual([0, `{"tag": "v1", "hash": "${c.one}"}\n`, '']);
    expect(await run(['-v', 'tag', 'set', 'rel', '--back', '1'])).toEqual([0, '', 'Set tag rel\n']);
    expect(rev('refs/tags/rel')).toBe(c.two);
    expect(await run(['tag', 'set', 'rel'])).toEqual([1, '', 'Error: Tag already exists: rel\n']);
    expect(await run(['tag', 'set', 'rel', '-f'])).toEqual([0, '', '']);
    expect(rev('refs/tags/rel')).toBe(c.three);
    expect(await run(['tag', 'list', '--format', 'json'])).toEqual([0, '["rel", "v1"]\n', '']);
    expect(await run(['tag', 'exists', 'rel'])).toEqual([0, '', '']);
    expect(await run(['tag', 'exists', 'nope'])).toEqual([1, '', '']);
    expect(await run(['-v', 'tag', 'delete', 'rel'])).toEqual([0, '', 'Deleted tag rel\n']);
    expect(await run(['tag', 'delete', 'rel'])).toEqual([1, '', 'Error: Tag not found: rel\n']);
    expect(await run(['tag', 'hash', 'rel'])).toEqual([1, '', 'Error: Tag not found: rel\n']);
    expect(await run(['tag', 'set', 'bad name'])).toEqual([1, '', "Error: Invalid ref name: 'bad name'\n"]);
    expect((await run(['log', 'v1', '--format', 'jsonl'])).at(1)).toContain(`"hash": "${c.one}"`);
  });

  it('reads notes git wrote and writes notes git reads', async () => {
    expect(await run(['note', 'get', c.two])).toEqual([0, 'git note\n', '']);
    expect(await run(['note', 'list'])).toEqual([0, `${c.two}\n`, '']);
    expect(await run(['-v', 'note', 'set', 'hello'])).toEqual([0, '', 'Note set for main\n']);
    expect(git(repo, ['notes', 'show', c.three])).toBe('hello');
    expect(await run(['note', 'set', 'v1:', 'on a tag'])).toEqual([0, '', '']);
    expect(git(repo, ['notes', 'show', c.one])).toBe('on a tag');
    expect(await run(['note', 'get', ':'])).toEqual([0, 'hello', '']);
    expect(await run(['note', 'set', '-N', 'review', c.one, 'ok'])).toEqual([0, '', '']);
    expect(git(repo, ['notes', '--ref', 'review', 'show', c.one])).toBe('ok');
    expect((await run(['note', 'list', '--format', 'json'])).at(1)).toBe(`${JSON.stringify([c.one, c.two, c.three].sort()).replace(/,/g, ', ')}\n`);
    expect(await run(['note', 'list', '-N', 'none', '--format', 'json'])).toEqual([0, '[]\n', '']);
    expect(await run(['note', 'list', '-N', 'none'])).toEqual([0, '', '']);
    expect(git(repo, ['log', '-1', '--format=%s', 'refs/notes/commits'])).toBe(`Notes added by 'git notes' on ${c.one.slice(0, 7)}`);
    expect(await run(['-v', 'note', 'delete', 'main'])).toEqual([0, '', 'Note deleted for main\n']);
    expect(gitStatus(repo, ['notes', 'show', c.three])).not.toBe(0);
    expect(await run(['note', 'delete', 'main'])).toEqual([1, '', "Error: No note for main in namespace 'commits'\n"]);
    expect(await run(['note', 'get', 'main', '-N', 'review'])).toEqual([1, '', "Error: No note for main in namespace 'review'\n"]);
    expect(await run(['note', 'get', c.one.slice(0, 7)])).toEqual([
      1,
      '',
      `Error: Cannot resolve '${c.one.slice(0, 7)}': not a commit hash, branch, or tag\n`,
    ]);
    expect(await run(['note', 'set', 'a', 'b', 'c'])).toEqual([1, '', 'Error: Usage: vost note set [TARGET] TEXT\n']);
    expect(git(repo, ['fsck', '--strict'])).toBe('');
  });
});

describe('init, destroy, gc, pack (cli.md §6)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = tempDir();
  });
  afterAll(() => removeDir(dir));

  it('initialises a repository git accepts, with -b and -f', async () => {
    const repo = join(dir, 'a.git');
    expect(await vost(repo, ['init', '-b', 'trunk'])).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(git(repo, ['symbolic-ref', 'HEAD'])).toBe('refs/heads/trunk');
    expect(git(repo, ['log', '--format=%s|%an <%ae>|%T', 'trunk'])).toBe(
      'Initialize trunk|vost <vost@localhost>|4b825dc642cb6eb9a060e54bf8d69288fbee4904',
    );
    expect(git(repo, ['config', 'core.bare'])).toBe('true');
    expect(git(repo, ['fsck', '--strict'])).toBe('');
    expect(await vost(repo, ['init'])).toMatchObject({ code: 1, stderr: `Error: Repository already exists: ${repo}\n` });
    expect(await vost(repo, ['init', '-f'])).toMatchObject({ code: 0 });
    expect(git(repo, ['for-each-ref', '--format=%(refname)'])).toBe('refs/heads/main');
    // "Anything at that path": a plain file, and a symbolic link to nothing.
    const file = join(dir, 'file');
    writeFileSync(file, 'x');
    const link = join(dir, 'dangling');
    symlinkSync(join(dir, 'nowhere'), link);
    const [onFile, onLink] = await Promise.all([vost(file, ['init']), vost(link, ['-v', 'init'])]);
    expect(onFile).toMatchObject({ code: 1, stderr: `Error: Repository already exists: ${file}\n` });
    expect(onLink).toMatchObject({ code: 1, stderr: `Error: Repository already exists: ${link}\n` });
    expect(existsSync(join(dir, 'nowhere'))).toBe(false);
  });

  it('sorts branch and tag names by code point, astral characters last', async () => {
    const repo = join(dir, 'sort.git');
    await vost(repo, ['init']);
    for (const name of ['\u{1F600}', '\uFF5A', 'b', 'B']) {
      git(repo, ['update-ref', `refs/tags/${name}`, 'main']);
      git(repo, ['update-ref', `refs/heads/${name}`, 'main']);
    }
    const [tags, branches] = await Promise.all([vost(repo, ['tag', 'list', '--format', 'json']), vost(repo, ['branch'])]);
    expect(tags.stdout).toBe('["B", "b", "\\uff5a", "\\ud83d\\ude00"]\n');
    expect(branches.stdout).toBe('B\nb\nmain\n\uFF5A\n\u{1F600}\n');
  });

  it('destroys only empty repositories unless -f', async () => {
    const repo = join(dir, 'd.git');
    await vost(repo, ['init']);
    expect((await vost(repo, ['tag', 'set', 't'])).code).toBe(0);
    expect(await vost(repo, ['destroy'])).toMatchObject({ code: 1, stderr: 'Error: Repository is not empty. Use -f to destroy.\n' });
    expect(await vost(repo, ['-v', 'destroy', '-f'])).toMatchObject({ code: 0, stderr: `Destroyed ${repo}\n` });
    expect(await vost(repo, ['destroy'])).toMatchObject({ code: 1, stderr: `Error: Repository not found: ${repo}\n` });
    await vost(repo, ['init']);
    expect((await vost(repo, ['destroy'])).code).toBe(0);
  });

  it('packs loose objects without changing refs or content', async () => {
    const fx = new GitFixture(join(dir, 'fx'));
    fx.commit({ 'a.txt': 'a', 'b/c.txt': 'c' }, 'one');
    fx.commit({ 'a.txt': 'A' }, 'two');
    const repo = join(dir, 'p.git');
    git(dir, ['clone', '-q', '--bare', fx.work, repo]);
    const refs = git(repo, ['for-each-ref']);
    const loose = () => Number(/^count: (\d+)$/m.exec(git(repo, ['count-objects', '-v']))?.[1]);
    const before = loose();
    expect(before).toBeGreaterThan(0);
    expect(await vost(repo, ['-v', 'pack'])).toMatchObject({ code: 0, stderr: `pack: packed ${before} object(s)\n` });
    expect(loose()).toBe(0);
    expect(git(repo, ['for-each-ref'])).toBe(refs);
    expect(git(repo, ['fsck', '--strict'])).toBe('');
    git(fx.work, ['push', '-q', repo, 'main:refs/heads/other']);
    fx.commit({ 'z.txt': 'z' }, 'three');
    git(fx.work, ['push', '-q', repo, 'main:refs/heads/other']);
    // An unreachable object and a stale temp pack: gc drops the temp file but prunes nothing.
    const orphan = git(repo, ['hash-object', '-w', '--stdin'], {}, 'orphan');
    const stale = join(repo, 'objects', 'pack', 'tmp_pack_leftover');
    writeFileSync(stale, 'x');
    utimesSync(stale, new Date(2020, 0, 1), new Date(2020, 0, 1));
    const pending = loose();
    expect(await vost(repo, ['-v', 'gc'])).toMatchObject({ code: 0, stderr: `gc: packed ${pending} object(s)\n` });
    expect(loose()).toBe(0);
    expect(existsSync(stale)).toBe(false);
    expect(git(repo, ['cat-file', '-t', orphan])).toBe('blob');
    expect(git(repo, ['fsck', '--strict'])).toBe(`dangling blob ${orphan}`);
    expect(git(repo, ['log', '--format=%s', 'other'])).toBe('three\ntwo\none');
  });
});
