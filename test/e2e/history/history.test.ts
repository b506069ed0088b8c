import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitStore } from '../../../src/index.js';
import { git, removeDir, tempDir, vost } from './helpers.js';

/** Commits made through the library, so that the branch has vost reflog lines. */
async function writeAll(repo: string, steps: Array<Record<string, string | null>>): Promise<string[]> {
  const store = await GitStore.open(repo, { create: false });
  const out: string[] = [];
  for (const files of steps) {
    let fs = await store.branches.get('main');
    const writes: Record<string, string> = {};
    const removes: string[] = [];
    for (const [p, v] of Object.entries(files)) {
      if (v === null) removes.push(p);
      else writes[p] = v;
    }
    fs = await fs.apply(writes, removes);
    out.push(fs.commitHash);
  }
  return out;
}

describe('diff (cli.md §11.2)', () => {
  let dir: string;
  let repo: string;
  let c: string[];
  beforeAll(async () => {
    dir = tempDir();
    repo = join(dir, 'r.git');
    await vost(repo, ['init']);
    c = await writeAll(repo, [
      { 'keep.txt': 'k', 'old.txt': 'o', 'd/x.txt': 'x', 'd/y.txt': 'y', 'mod.txt': '1' },
      { 'mod.txt': '2', 'old.txt': null, 'new.txt': 'n', 'd/y.txt': null, 'd/z/deep.txt': 'z' },
    ]);
  });
  afterAll(() => removeDir(dir));

  const gitNameStatus = (from: string, to: string) =>
    git(repo, ['diff', '--no-renames', '--name-status', from, to])
      .split('\n')
      .map((l) => l.split('\t'))
      .map(([s, p]) => `${s}  ${p}`)
      .sort();

  it('lists A, then M, then D, each sorted, matching git diff --name-status', async () => {
    const r = await vost(repo, ['diff', '~1']);
    expect(r.stdout).toBe('A  d/z/deep.txt\nA  new.txt\nM  mod.txt\nD  d/y.txt\nD  old.txt\n');
    expect(r.stdout.trim().split('\n').sort()).toEqual(gitNameStatus(c[0], c[1]));
    expect((await vost(repo, ['diff', `${c[0].slice(0, 8)}`])).stdout).toBe(r.stdout);
    expect((await vost(repo, ['diff', '--back', '1', '--reverse'])).stdout).toBe(
      'A  d/y.txt\nA  old.txt\nM  mod.txt\nD  d/z/deep.txt\nD  new.txt\n',
    );
  });

  it('selects the baseline with a path like --path and prints json/jsonl', async () => {
    // The newest commit that changed old.txt is c[1] itself: no difference.
    expect((await vost(repo, ['diff', ':old.txt'])).stdout).toBe('');
    expect((await vost(repo, ['diff', ':keep.txt', '--format', 'jsonl'])).stdout.split('\n')[0]).toBe('{"path": "d/z/deep.txt", "status": "A"}');
    const json = (await vost(repo, ['diff', 'main~1:', '--format', 'json'])).stdout;
    expect(JSON.parse(json)).toHaveLength(5);
    expect(json.startsWith('[\n  {\n    "path": "d/z/deep.txt",\n    "status": "A"\n  },')).toBe(true);
    expect((await vost(repo, ['diff', '--format', 'json'])).stdout).toBe('[]\n');
    expect(await vost(repo, ['diff'])).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });

  it('refuses conflicting baselines', async () => {
    expect((await vost(repo, ['diff', 'main', '-b', 'main'])).stderr).toBe('Error: Cannot use -b/--branch with explicit ref in baseline\n');
    expect((await vost(repo, ['diff', '~1', '--back', '1'])).stderr).toBe('Error: Cannot specify both positional ~N and --back\n');
  });
});

describe('undo, redo, reflog (cli.md §11.4-11.6)', () => {
  let dir: string;
  let repo: string;
  let c: string[];
  beforeAll(async () => {
    dir = tempDir();
    repo = join(dir, 'r.git');
    await vost(repo, ['init']);
    c = await writeAll(repo, [{ 'a.txt': '1' }, { 'a.txt': '2' }, { 'a.txt': '3' }]);
  });
  afterAll(() => removeDir(dir));

  const tip = () => git(repo, ['rev-parse', 'main']);
  const subject = (oid: string) => git(repo, ['log', '-1', '--format=%s', oid]);

  it('undoes and redoes as an undo stack, recording reflog lines git can read', async () => {
    expect(await vost(repo, ['undo', '2'])).toMatchObject({ code: 0, stdout: `Branch now at: ${c[0].slice(0, 7)} - + a.txt\n` });
    expect(tip()).toBe(c[0]);
    const r = await vost(repo, ['-v', 'redo']);
    expect(r.stdout).toBe(`Branch now at: ${c[2].slice(0, 7)} - ${subject(c[2])}\n`);
    expect(r.stderr).toBe("Redid 1 step on 'main'\n");
    expect(tip()).toBe(c[2]);
    expect((await vost(repo, ['redo'])).stderr).toBe('Error: Nothing to redo\n');
    expect((await vost(repo, ['undo'])).code).toBe(0);
    expect((await vost(repo, ['-v', 'undo'])).stderr).toBe("Undid 1 step on 'main'\n");
    expect((await vost(repo, ['redo', '3'])).stderr).toBe('Error: Cannot redo 3 steps - only 2 step(s) available\n');
    expect((await vost(repo, ['redo', '2'])).stdout).toBe(`Branch now at: ${c[2].slice(0, 7)} - ${subject(c[2])}\n`);
    expect(git(repo, ['reflog', 'show', '--format=%gs', 'refs/heads/main']).split('\n')).toEqual([
      'redo: move forward',
      'undo: move back',
      'undo: move back',
      'redo: move forward',
      'undo: move back',
      'commit: ~ a.txt',
      'commit: ~ a.txt',
      'commit: + a.txt',
    ]);
    expect(git(repo, ['fsck', '--strict'])).toBe('');
  });

  it('refuses bad undo/redo requests', async () => {
    expect((await vost(repo, ['undo', '9'])).stderr).toBe('Error: Cannot undo 9 steps - only 3 commit(s) in history\n');
    expect((await vost(repo, ['undo', '0'])).stderr).toBe('Error: steps must be >= 1, got 0\n');
    expect((await vost(repo, ['undo', '-b', 'nope'])).stderr).toBe('Error: Branch not found: nope\n');
    expect((await vost(repo, ['redo', '-b', 'nope'])).stderr).toBe('Error: Branch not found: nope\n');
  });

  it('shows the reflog oldest first in text, json and jsonl', async () => {
    const entries = git(repo, ['reflog', 'show', '--format=%H %gs', 'refs/heads/main']).split('\n').reverse();
    const text = (await vost(repo, ['reflog', '-n', '2'])).stdout;
    const lines = text.split('\n');
    expect(lines[0]).toBe("Reflog for branch 'main' (2 entries):");
    expect(lines[1]).toBe('');
    expect(lines[2]).toMatch(new RegExp(`^  \\[0\\] ${entries[6].slice(0, 7)} \\(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\)$`));
    expect(lines[3]).toBe('      undo: move back');
    expect(lines[5]).toMatch(/^ {2}\[1\] /);
    expect(lines[6]).toBe('      redo: move forward');
    expect(text.endsWith('\n\n')).toBe(true);
    const json = JSON.parse((await vost(repo, ['reflog', '--format', 'json'])).stdout) as Array<Record<string, unknown>>;
    expect(json.map((e) => `${e.new_sha as string} ${e.message as string}`)).toEqual(entries);
    expect(Object.keys(json[0])).toEqual(['old_sha', 'new_sha', 'committer', 'timestamp', 'time', 'message']);
    expect(json[0]).toMatchObject({ old_sha: git(repo, ['rev-parse', 'main~3']), committer: 'vost <vost@localhost>' });
    const jsonl = (await vost(repo, ['reflog', '--format', 'jsonl', '-n1'])).stdout;
    expect(jsonl.split('\n')).toHaveLength(2);
    expect(jsonl).toMatch(/"time": "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", "message": "redo: move forward"\}\n$/);
  });

  it('says when a branch has no reflog', async () => {
    const fresh = join(dir, 'fresh.git');
    await vost(fresh, ['init']);
    expect(await vost(fresh, ['reflog'])).toMatchObject({ code: 1, stderr: "Error: No reflog found for branch 'main'\n" });
    expect(await vost(fresh, ['redo'])).toMatchObject({ code: 1, stderr: "Error: No reflog found for branch 'main'\n" });
    expect((await vost(fresh, ['undo'])).stderr).toBe('Error: Cannot undo 1 steps - only 0 commit(s) in history\n');
  });
});
