import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, GitFixture, removeDir, tempDir, vost } from './helpers.js';

/**
 * A history written by git itself: a feature branch merged into main, an
 * annotated and a lightweight tag, commits in several time zones, a
 * multi-line message, refs packed by the bare clone.
 */
describe('log on a history written by git (cli.md §11.1)', () => {
  let dir: string;
  let repo: string;
  const c: Record<string, string> = {};
  beforeAll(async () => {
    dir = tempDir();
    const fx = new GitFixture(dir);
    c.one = fx.commit({ 'a.txt': 'a1', 'cfg/x.json': '{}' }, 'first');
    c.two = fx.commit({ 'a.txt': 'a2' }, 'second: edit a', '+0530');
    fx.run(['checkout', '-q', '-b', 'feature']);
    c.feat = fx.commit({ 'f.txt': 'feature' }, 'feature work');
    fx.run(['checkout', '-q', 'main']);
    c.three = fx.commit({ 'cfg/x.json': '{"v": 2}' }, 'third\n\nwith a body line', '-0800');
    const date = `${Date.UTC(2024, 0, 20) / 1000} +0000`;
    git(fx.work, ['merge', '-q', '--no-ff', '-m', 'Merge feature', 'feature'], { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
    c.merge = fx.run(['rev-parse', 'HEAD']);
    c.five = fx.commit({ 'a.txt': null, 'é.txt': 'ü' }, 'fünf ✓');
    fx.run(['tag', '-a', '-m', 'release', 'v1', c.three]);
    fx.run(['tag', 'light', c.two]);
    repo = fx.bare();
  });
  afterAll(() => removeDir(dir));

  /** git's first-parent log from `rev`, in vost's text layout. */
  const gitLog = (rev: string, extra: string[] = []) =>
    git(repo, ['log', '--first-parent', '--format=%H%x00%cI%x00%B%x00', rev, ...extra])
      .split('\x00\n')
      .filter((s) => s !== '')
      .map((rec) => {
        const [hash, time, body] = rec.replace(/^\n/, '').split('\x00');
        return `${hash.slice(0, 7)}  ${time.replace(/Z$/, '+00:00')}  ${body.replace(/\n+$/, '')}\n`;
      })
      .join('');

  it('lists first-parent history with each commit time in its own zone', async () => {
    const r = await vost(repo, ['log']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(gitLog('main'));
    expect(r.stdout).toContain('+05:30  second: edit a');
    expect(r.stdout).toContain('-08:00  third\n\nwith a body line\n');
  });

  it('starts from refs, tags (annotated ones peeled), hash prefixes and ~N', async () => {
    expect((await vost(repo, ['log', 'feature'])).stdout).toBe(gitLog('feature'));
    expect((await vost(repo, ['log', 'v1'])).stdout).toBe(gitLog('v1^{commit}'));
    expect((await vost(repo, ['log', c.two.slice(0, 9)])).stdout).toBe(gitLog(c.two));
    expect((await vost(repo, ['log', 'main~2'])).stdout).toBe(gitLog('main~2'));
    expect((await vost(repo, ['log', '~1:'])).stdout).toBe(gitLog('main~1'));
    expect((await vost(repo, ['log', '--ref', 'light', '--back', '1'])).stdout).toBe(gitLog('light~1'));
  });

  it('filters by path, match and date, combined with AND', async () => {
    const hashes = async (args: string[]) =>
      (await vost(repo, ['log', '--format', 'jsonl', ...args])).stdout
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { hash: string }).hash);
    expect(await hashes([':cfg'])).toEqual([c.three, c.one]);
    expect(await hashes(['--path', 'a.txt'])).toEqual([c.five, c.two, c.one]);
    expect(await hashes(['main:a.txt', '--match', 's*'])).toEqual([c.two]);
    expect(await hashes(['--match', 'third*'])).toEqual([c.three]);
    expect(await hashes(['--before', '2024-01-12'])).toEqual([c.two, c.one]);
    expect(await hashes(['--before', '2024-01-12T11:59:59+00:00'])).toEqual([c.one]);
    expect(await hashes(['--match', 'nothing'])).toEqual([]);
  });

  it('prints json (pretty array) and jsonl with the spec keys, non-ASCII escaped', async () => {
    const json = await vost(repo, ['log', '--format', 'json']);
    const parsed = JSON.parse(json.stdout) as Array<Record<string, unknown>>;
    expect(parsed[0]).toEqual({
      hash: c.five,
      message: 'fünf ✓',
      time: '2024-01-15T12:00:00+00:00',
      author_name: 'Ann Author',
      author_email: 'ann@example.com',
      branch: 'main',
    });
    expect(json.stdout).toContain('"message": "f\\u00fcnf \\u2713"');
    expect(json.stdout.startsWith('[\n  {\n    "hash": ')).toBe(true);
    const fromHash = (await vost(repo, ['log', c.one, '--format', 'jsonl'])).stdout;
    expect(fromHash).toContain('"branch": null}');
    expect((await vost(repo, ['log', '--match', 'zzz', '--format', 'json'])).stdout).toBe('[]\n');
    expect((await vost(repo, ['log', '--match', 'zzz', '--format', 'jsonl'])).stdout).toBe('');
  });

  it('reports bad targets, conflicts and dates with one line and exit 1', async () => {
    const err = async (args: string[]) => {
      const r = await vost(repo, ['log', ...args]);
      return [r.code, r.stdout, r.stderr];
    };
    expect(await err(['a.txt'])).toEqual([1, '', 'Error: Unknown ref: a.txt\n']);
    expect(await err(['main~0'])).toEqual([1, '', "Error: Invalid ancestor '~0' — use 'main:' instead\n"]);
    expect(await err(['main~x'])).toEqual([1, '', "Error: Invalid ancestor suffix '~x' — must be a positive integer\n"]);
    expect(await err(['main', '--ref', 'feature'])).toEqual([1, '', 'Error: Cannot specify both positional ref and --ref\n']);
    expect(await err(['main', '-b', 'feature'])).toEqual([1, '', 'Error: Cannot use -b/--branch with explicit ref in target\n']);
    expect(await err(['~1', '--back', '1'])).toEqual([1, '', 'Error: Cannot specify both positional ~N and --back\n']);
    expect(await err([':a', '--path', 'b'])).toEqual([1, '', 'Error: Cannot specify both positional path and --path\n']);
    expect(await err(['--before', 'yesterday'])).toEqual([
      1,
      '',
      'Error: Invalid date: yesterday (use ISO 8601, e.g. 2024-01-15 or 2024-01-15T14:30:00)\n',
    ]);
    expect(await err(['--back', '9'])).toEqual([1, '', 'Error: Cannot go back 9 commits — history too short\n']);
    expect(await err(['--back', '-1'])).toEqual([1, '', 'Error: --back must be >= 0\n']);
    expect(await err(['-b', 'nope'])).toEqual([1, '', 'Error: Branch not found: nope\n']);
  });

  it('resolves hash prefixes exactly: ambiguous, non-commit objects', async () => {
    const blob = git(repo, ['rev-parse', 'main:é.txt']);
    expect(await vost(repo, ['log', blob.slice(0, 10)])).toMatchObject({ code: 1, stderr: `Error: Object ${blob.slice(0, 10)} is not a commit\n` });
    // Among the fixture's objects some share a first hex digit; find one such prefix.
    const all = git(repo, ['cat-file', '--batch-all-objects', '--batch-check=%(objectname)']).split('\n');
    const first = all.map((o) => o[0]);
    const shared = first.find((ch, i) => first.indexOf(ch) !== i) as string;
    const [m1, m2] = all.filter((o) => o.startsWith(shared)).sort();
    const r = await vost(repo, ['log', shared]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^Error: Ambiguous short hash '${shared}': matches [0-9a-f]{12} and [0-9a-f]{12}\\n$`));
    expect([m1.slice(0, 12), m2.slice(0, 12)].some((h) => r.stderr.includes(h))).toBe(true);
  });

  it('reads the repo without changing it', async () => {
    expect(git(repo, ['fsck', '--strict'])).toBe('');
    expect(git(repo, ['for-each-ref', '--format=%(refname)'])).toBe('refs/heads/feature\nrefs/heads/main\nrefs/tags/light\nrefs/tags/v1');
  });
});
