import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, removeDir, ROOT, tempDir, vost } from './helpers.js';
import { spawnSync } from 'node:child_process';

describe('invocation, usage errors and repository selection (cli.md §2)', () => {
  let dir: string;
  let repo: string;
  beforeAll(async () => {
    dir = tempDir();
    repo = join(dir, 'r.git');
    expect((await vost(repo, ['init'])).code).toBe(0);
  });
  afterAll(() => removeDir(dir));

  const usage = (path: string, tail: string, error: string) =>
    `Usage: vost ${path} ${tail}\nTry 'vost ${path} --help' for help.\n\nError: ${error}\n`;

  it('prints click-style usage errors with exit 2', async () => {
    const cases: Array<[string[], string]> = [
      [['bogus'], "Usage: vost [OPTIONS] COMMAND [ARGS]...\nTry 'vost --help' for help.\n\nError: No such command 'bogus'.\n"],
      [['branch', 'bogus'], usage('branch', '[OPTIONS] COMMAND [ARGS]...', "No such command 'bogus'.")],
      [['note', 'bogus'], usage('note', '[OPTIONS] COMMAND [ARGS]...', "No such command 'bogus'.")],
      [['log', '--bogus'], usage('log', '[OPTIONS] [TARGET]', 'No such option: --bogus')],
      [['log', '-h'], usage('log', '[OPTIONS] [TARGET]', 'No such option: -h')],
      [['log', '--format', 'xml'], usage('log', '[OPTIONS] [TARGET]', "Invalid value for '--format': 'xml' is not one of 'text', 'json', 'jsonl'.")],
      [['undo', 'x'], usage('undo', '[OPTIONS] [STEPS]', "Invalid value for 'STEPS': 'x' is not a valid integer.")],
      [['reflog', '-n', 'x'], usage('reflog', '[OPTIONS]', "Invalid value for '-n' / '--limit': 'x' is not a valid integer.")],
      [['branch', 'set'], usage('branch set', '[OPTIONS] NAME', "Missing argument 'NAME'.")],
      [['tag', 'exists', 'a', 'b'], usage('tag exists', '[OPTIONS] NAME', 'Got unexpected extra argument (b)')],
      [['note', 'set'], usage('note set', '[OPTIONS] [TARGET] TEXT', "Missing argument 'ARGS...'.")],
      [['log', '--back'], usage('log', '[OPTIONS] [TARGET]', "Option '--back' requires an argument.")],
      [['--bogus'], "Usage: vost [OPTIONS] COMMAND [ARGS]...\nTry 'vost --help' for help.\n\nError: No such option: --bogus\n"],
      // oclif reads a word after an argument-less command as a subcommand name; click calls it an extra argument.
      [['gc', 'extra'], usage('gc', '[OPTIONS]', 'Got unexpected extra argument (extra)')],
      [['init', 'a', 'b'], usage('init', '[OPTIONS]', 'Got unexpected extra arguments (a b)')],
      [['branch', 'list', 'x', '-v'], usage('branch list', '[OPTIONS]', 'Got unexpected extra argument (x)')],
      [['tag', 'bogus', 'x'], usage('tag', '[OPTIONS] COMMAND [ARGS]...', "No such command 'bogus'.")],
    ];
    const results = await Promise.all(cases.map(([args]) => vost(repo, args)));
    cases.forEach(([args, stderr], i) => {
      const r = results[i];
      expect({ args, stderr: r.stderr, code: r.code, stdout: r.stdout }).toEqual({ args, stderr, code: 2, stdout: '' });
    });
  });

  it('lists every command and subcommand with its one-line summary in --help', async () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8')) as {
      commands: Record<string, { summary?: string }>;
    };
    const ids = Object.keys(manifest.commands);
    const groups = [...new Set(ids.filter((id) => id.includes(':')).map((id) => id.split(':')[0]))];
    const [top, ...groupHelps] = await Promise.all([vost(null, ['--help']), ...groups.map((g) => vost(null, [g, '--help']))]);
    const flat = (text: string) => text.replace(/\s+/g, ' ');
    for (const id of ids) {
      const summary = manifest.commands[id].summary ?? '';
      expect(summary, id).toMatch(/^\S.*\.$/);
      const words = id.split(':');
      const help = words.length === 1 ? top : groupHelps[groups.indexOf(words[0])];
      expect(help.code).toBe(0);
      expect(flat(help.stdout), id).toContain(` ${words.join(' ')} ${flat(summary)}`);
    }
  });

  it('shows help and the version on stdout with exit 0', async () => {
    const top = await vost(null, []);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('branch');
    const help = await vost(null, ['branch', 'set', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--squash');
    const version = await vost(null, ['--version']);
    expect(version).toMatchObject({ code: 0, stdout: expect.stringMatching(/^vost, version \d+\.\d+\.\d+\n$/) });
  });

  it('finds the repository from -r before or after the command, or VOST_REPO; the last one wins', async () => {
    const other = join(dir, 'other.git');
    expect((await vost(null, ['-r', other, 'init', '-b', 'dev'])).code).toBe(0);
    expect((await vost(null, ['branch', 'list', '-r', other])).stdout).toBe('dev\n');
    expect((await vost(null, [`--repo=${other}`, 'branch', 'list'])).stdout).toBe('dev\n');
    expect((await vost(repo, ['branch', 'list'])).stdout).toBe('main\n');
    expect((await vost(repo, ['branch', 'list', '--repo', other])).stdout).toBe('dev\n');
    expect((await vost(null, ['-r', repo, 'branch', 'list', '-r', other])).stdout).toBe('dev\n');
    expect((await vost(null, ['-r', other, 'branch', 'list', '-r', repo])).stdout).toBe('main\n');
    expect((await vost(null, ['note', '-r', other, 'list', '--format', 'json'])).stdout).toBe('[]\n');
    expect((await vost(repo, ['branch', '--repo', other])).stdout).toBe('dev\n');
    expect((await vost(null, ['tag', '-r', repo, 'list', '-r', other, '--format', 'json'])).stdout).toBe('[]\n');
  });

  it('accepts -v before or after the command', async () => {
    const a = join(dir, 'va.git');
    const b = join(dir, 'vb.git');
    expect((await vost(null, ['-v', '-r', a, 'init'])).stderr).toBe(`Initialized ${a}\n`);
    expect((await vost(null, ['init', '-r', b, '-v'])).stderr).toBe(`Initialized ${b}\n`);
    const c = join(dir, 'vc.git');
    expect(await vost(null, ['-vr', c, '--', 'init'])).toMatchObject({ code: 0, stderr: `Initialized ${c}\n` });
  });

  it('reports missing, foreign and unspecified repositories (exit 1)', async () => {
    expect(await vost(null, ['log'])).toMatchObject({ code: 1, stderr: 'Error: No repository specified. Use --repo or set VOST_REPO.\n' });
    expect(await vost(join(dir, 'nope') + '/', ['log'])).toMatchObject({ code: 1, stderr: `Error: Repository not found: ${join(dir, 'nope')}\n` });
    const plain = join(dir, 'plain');
    mkdirSync(plain);
    writeFileSync(join(plain, 'x'), 'x');
    expect(await vost(plain, ['log'])).toMatchObject({ code: 1, stderr: `Error: Not a git repository: ${plain}\n` });
    const empty = join(dir, 'emptydir');
    mkdirSync(empty);
    expect(await vost(empty, ['log'])).toMatchObject({ code: 1, stderr: `Error: Not a git repository: ${empty}\n` });
  });

  it('parses combined short flags, --name=value and -- like click', async () => {
    expect((await vost(repo, ['reflog', '-n1'])).stderr).toBe("Error: No reflog found for branch 'main'\n");
    expect((await vost(repo, ['log', '--format=jsonl'])).stdout).toMatch(/^\{"hash": "[0-9a-f]{40}", "message": "Initialize main"/);
    const r = await vost(repo, ['log', '--', '--format']);
    expect(r).toMatchObject({ code: 1, stderr: 'Error: Unknown ref: --format\n' });
  });

  it.skipIf(spawnSync('script', ['--version']).status !== 0)('pages log and reflog on a terminal only', async () => {
    // `script` gives the CLI a pseudo-terminal as stdout; the "pager" marks each line.
    const onTty = (args: string) => {
      const cmd = `${process.execPath} ${join(ROOT, 'bin', 'run.js')} -r ${repo} ${args}`;
      const r = spawnSync('script', ['-qc', cmd, '/dev/null'], { env: { ...process.env, PAGER: 'sed s/^/P:/' } });
      return r.stdout.toString().replace(/\r\n/g, '\n');
    };
    expect(onTty('log')).toMatch(/^P:[0-9a-f]{7} {2}\S+ {2}Initialize main\n$/);
    expect(onTty('log --no-pager')).toMatch(/^[0-9a-f]{7} {2}\S+ {2}Initialize main\n$/);
    expect(onTty('log | cat')).toMatch(/^[0-9a-f]{7} /);
    expect((await vost(repo, ['log'], { env: { PAGER: 'sed s/^/P:/' } })).stdout).toMatch(/^[0-9a-f]{7} /);
  });

  it('leaves the repository valid for git', async () => {
    expect(git(repo, ['fsck', '--strict'])).toBe('');
  });
});
