import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, errLine, git, tempDir, vost } from './helpers.js';
import { makeReadFixture } from './fixture.js';

let base: string;
let repo: string;
const hash = (...args: string[]) => vost(['hash', ...args], { repo });
const oid = (rev: string) => git(repo, ['rev-parse', rev]);

beforeAll(() => {
  base = tempDir();
  repo = makeReadFixture(base);
});
afterAll(() => cleanup(base));

describe('hash: commits', () => {
  it('prints the commit id of the selected snapshot', async () => {
    const tip = oid('main');
    const first = oid('main~1');
    const cases: [string[], string][] = [
      [[], tip],
      [['main:'], tip],
      [['main~1'], first],
      [['~1'], first],
      [['v1'], first],
      [[first.slice(0, 7)], first],
      [['--back', '1'], first],
      [['-b', 'dev'], first],
      [['--ref', 'v1'], first],
      [['--match', 'fir*', '--before', '2999-01-01'], first],
      [['--path', ':src/hello.txt', '--back', '1'], first],
      [['big~1'], tip],
    ];
    for (const [args, want] of cases) {
      expect(await hash(...args), args.join(' ')).toMatchObject({ code: 0, stdout: `${want}\n`, stderr: '' });
    }
  });

  it('prints object ids of paths: blobs for files, trees for directories', async () => {
    expect((await hash(':one.txt')).stdout).toBe(`${oid('main:one.txt')}\n`);
    expect((await hash('main:src/')).stdout).toBe(`${oid('main:src')}\n`);
    expect((await hash('~1:src/hello.txt')).stdout).toBe(`${oid('main~1:src/hello.txt')}\n`);
    expect((await hash(':src/link')).stdout).toBe(`${oid('main:src/link')}\n`);
  });

  it('prints one JSON line for json and jsonl', async () => {
    for (const fmt of ['json', 'jsonl']) {
      expect((await hash('--format', fmt)).stdout).toBe(`{"hash": "${oid('main')}", "type": "commit"}\n`);
      expect((await hash(':one.txt', '--format', fmt)).stdout).toBe(
        `{"hash": "${oid('main:one.txt')}", "type": "blob", "path": "one.txt"}\n`,
      );
      expect((await hash('main:/src/', `--format=${fmt}`)).stdout).toBe(
        `{"hash": "${oid('main:src')}", "type": "tree", "path": "src"}\n`,
      );
    }
  });
});

describe('hash: errors', () => {
  it('reports missing paths, unknown refs and non-commits', async () => {
    const blob = oid('main:one.txt').slice(0, 10);
    const cases: [string[], string][] = [
      [[':nope'], 'Path not found: nope'],
      [['main:src/nope'], 'Path not found: src/nope'],
      [['zzz'], 'Unknown ref: zzz'],
      [[blob], `Object ${blob} is not a commit`],
      [['main~0'], "Invalid ancestor '~0' — use 'main:' instead"],
      [['main~x'], "Invalid ancestor suffix '~x' — must be a positive integer"],
      [['main~9'], 'Cannot go back 9 commits — history too short'],
      [['main', '--ref', 'v1'], 'Cannot specify both positional ref and --ref'],
      [['main:one.txt', '-b', 'dev'], 'Cannot use -b/--branch with explicit ref in target'],
      [['~1', '--back', '1'], 'Cannot specify both positional ~N and --back'],
    ];
    for (const [args, msg] of cases) {
      expect(await hash(...args), args.join(' ')).toMatchObject({ code: 1, stdout: '', stderr: errLine(msg) });
    }
  });

  it('rejects an unknown format as a usage error', async () => {
    expect((await hash('--format', 'yaml')).code).toBe(2);
  });
});
