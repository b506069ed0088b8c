import { describe, expect, it } from 'vitest';
import { groupsOf, liftGlobalOptions } from '../../../src/cli/argv.js';

const groups = groupsOf(['branch', 'branch:list', 'note:list', 'log', 'a:b:c']);

describe('lifting global options', () => {
  it('derives groups from command ids', () => {
    expect([...groups].sort()).toEqual(['a', 'a:b', 'branch', 'note']);
  });

  it('lifts options before the command and after group names, the last --repo winning', () => {
    expect(liftGlobalOptions(['-r', 'A', '-v', 'log', '-r', 'B'], groups)).toEqual({
      argv: ['log', '-r', 'B'],
      env: { VOST_REPO: 'A', VOST_LIFTED_VERBOSE: '1' },
      version: false,
    });
    expect(liftGlobalOptions(['--repo=A', 'note', '-rB', 'list', '--format', 'json'], groups)).toEqual({
      argv: ['note', 'list', '--format', 'json'],
      env: { VOST_REPO: 'B' },
      version: false,
    });
    expect(liftGlobalOptions(['a', '-v', 'b', '--repo', 'X', 'c'], groups).argv).toEqual(['a', 'b', 'c']);
    expect(liftGlobalOptions(['--version'], groups).version).toBe(true);
  });

  it('reads clustered short options and -- like click', () => {
    const env = (argv: string[]) => liftGlobalOptions(argv, groups);
    expect(env(['-vr', 'A', 'log'])).toEqual({ argv: ['log'], env: { VOST_REPO: 'A', VOST_LIFTED_VERBOSE: '1' }, version: false });
    expect(env(['-vrA', 'branch', '-vv', 'list'])).toEqual({ argv: ['branch', 'list'], env: { VOST_REPO: 'A', VOST_LIFTED_VERBOSE: '1' }, version: false });
    expect(env(['-rv', 'log']).env).toEqual({ VOST_REPO: 'v' });
    expect(env(['-vx', 'log']).argv).toEqual(['-vx', 'log']);
    expect(env(['-r', 'A', '--', 'log', '--format', 'json'])).toEqual({ argv: ['log', '--format', 'json'], env: { VOST_REPO: 'A' }, version: false });
    expect(env(['--', 'branch', '--', 'list']).argv).toEqual(['branch', 'list']);
  });

  it('leaves options of ordinary commands and arguments alone', () => {
    expect(liftGlobalOptions(['log', '-v'], groups).argv).toEqual(['log', '-v']);
    expect(liftGlobalOptions(['branch', 'set', '-r', 'X'], groups).argv).toEqual(['branch', 'set', '-r', 'X']);
    expect(liftGlobalOptions(['-r'], groups)).toEqual({ argv: ['-r'], env: {}, version: false });
  });
});
