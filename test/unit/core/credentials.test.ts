import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveCredentials } from '../../../src/core/index.js';

const saved = { ...process.env };
let dir: string | null = null;
afterEach(() => {
  process.env = { ...saved };
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

/** Point git at a global config whose credential helper answers with fixed values. */
function useHelper(script: string): void {
  dir = mkdtempSync(join(tmpdir(), 'vost-cred-'));
  const cfg = join(dir, 'gitconfig');
  writeFileSync(cfg, `[credential]\n\thelper = "!f() { ${script} }; f"\n`);
  process.env.GIT_CONFIG_GLOBAL = cfg;
  process.env.GIT_CONFIG_NOSYSTEM = '1';
  process.env.PATH = `/usr/bin:/bin`;
}

describe('resolveCredentials', () => {
  it('leaves non-https URLs and URLs with a user alone', async () => {
    expect(await resolveCredentials('http://example.com/r.git')).toBe('http://example.com/r.git');
    expect(await resolveCredentials('https://me@example.com/r.git')).toBe('https://me@example.com/r.git');
  });

  it('inserts what git credential fill returns', async () => {
    useHelper('echo username=alice; echo password=s3cret;');
    expect(await resolveCredentials('https://example.com/r.git')).toBe('https://alice:s3cret@example.com/r.git');
  });

  it('returns the URL unchanged when no helper answers', async () => {
    useHelper('true;');
    expect(await resolveCredentials('https://example.invalid/r.git')).toBe('https://example.invalid/r.git');
  });
});
