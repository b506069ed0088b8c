import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { BIN, cleanup, errLine, git, tempDir, vost } from './helpers.js';
import { BIN_BYTES, bigContent, makeReadFixture } from './fixture.js';

let base: string;
let repo: string;
const cat = (...args: string[]) => vost(['cat', ...args], { repo });

beforeAll(() => {
  base = tempDir();
  repo = makeReadFixture(base);
});
afterAll(() => cleanup(base));

describe('cat', () => {
  it('concatenates files in argument order with nothing between them', async () => {
    expect(await cat('one.txt', ':two.txt', 'main:src/hello.txt')).toMatchObject({ code: 0, stdout: 'one\ntwo\nhello\n', stderr: '' });
    expect((await cat('two.txt', 'one.txt', 'two.txt')).stdout).toBe('two\none\ntwo\n');
  });

  it('is binary-safe and prints link targets', async () => {
    expect(Buffer.compare((await cat('bin.dat')).raw, BIN_BYTES)).toBe(0);
    expect((await cat('src/link')).stdout).toBe('hello.txt');
    const big = (await cat('-b', 'big', ':big.bin')).raw;
    expect(big.length).toBe(bigContent().length);
    expect(Buffer.compare(big, bigContent())).toBe(0);
  });

  it('keeps what it printed before an error', async () => {
    expect(await cat('one.txt', 'nope', 'two.txt')).toMatchObject({ code: 1, stdout: 'one\n', stderr: errLine('File not found: nope') });
    expect(await cat('src')).toMatchObject({ code: 1, stdout: '', stderr: errLine('src is a directory, not a file') });
    expect(await cat('src/')).toMatchObject({ code: 1, stderr: errLine('src is a directory, not a file') });
    expect(await cat(':')).toMatchObject({ code: 1, stderr: errLine('Repo path must not be empty') });
    expect(await cat('main:')).toMatchObject({ code: 1, stderr: errLine('Repo path must not be empty') });
    expect((await cat('one.txt/x')).code).toBe(1);
    expect((await cat('a//b')).stderr).toBe(errLine("Invalid repo path: Empty segment in path: 'a//b'"));
    expect((await cat('../x')).stderr).toBe(errLine("Invalid repo path: Invalid path segment: '..'"));
  });

  it('requires a path (usage error)', async () => {
    const r = await cat();
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("Missing argument 'PATHS...'.");
    expect(r.stderr).toContain('Usage: vost cat');
  });

  it('reads older snapshots through filters, refs and ~N', async () => {
    for (const args of [
      ['--back', '1', 'src/hello.txt'],
      ['main~1:src/hello.txt'],
      ['v1:src/hello.txt'],
      ['-b', 'dev', 'src/hello.txt'],
      ['--before', '2999-01-01', '--path', 'src/hello.txt', '--back', '1', 'src/hello.txt'],
      ['--ref', 'main', '--match', 'fir*', 'src/hello.txt'],
      [`${git(repo, ['rev-parse', 'main~1']).slice(0, 7)}:src/hello.txt`],
    ]) {
      expect(await cat(...args), args.join(' ')).toMatchObject({ code: 0, stdout: 'hi\n' });
    }
    expect((await cat('--back', '1', 'two.txt')).stderr).toBe(errLine('File not found: two.txt'));
    expect((await cat('dev:one.txt', 'main:two.txt')).stdout).toBe('one\ntwo\n');
  });

  it('reports ref errors and conflicts', async () => {
    expect((await cat('nope:one.txt')).stderr).toBe(errLine('Unknown ref: nope'));
    expect((await cat('main~0:one.txt')).stderr).toBe(errLine("Invalid ancestor '~0' — use 'main:one.txt' instead"));
    expect((await cat('--back', '1', '~1:one.txt')).stderr).toBe(errLine('Cannot use --back with ~N in path'));
  });

  it('stops quietly with exit 0 when the reader closes the pipe', async () => {
    const script = `node '${BIN}' cat -b big :big.bin 2>"$ERRF" | head -c1 >/dev/null; echo "\${PIPESTATUS[0]}"`;
    const errf = `${base}/cat-epipe.err`;
    const r = spawnSync('bash', ['-c', script], { env: { ...process.env, VOST_REPO: repo, ERRF: errf } });
    expect(r.stdout.toString().trim()).toBe('0');
    expect(spawnSync('cat', [errf]).stdout.toString()).toBe('');
  });
});
