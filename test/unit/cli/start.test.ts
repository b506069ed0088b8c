import { describe, expect, it } from 'vitest';
import { directCommand } from '../../../src/cli/start.js';

const ids = new Set(['cat', 'branch', 'branch:list', 'branch:set', 'gc']);

describe('directCommand', () => {
  it('finds a command and a group subcommand, with the arguments after the name', () => {
    expect(directCommand(['cat', ':a', ':b'], ids)).toEqual({ id: 'cat', argv: [':a', ':b'] });
    expect(directCommand(['branch', 'list', '--format', 'json'], ids)).toEqual({ id: 'branch:list', argv: ['--format', 'json'] });
    // A group with an unknown word goes to the group, whose parser reports it.
    expect(directCommand(['branch', 'bogus'], ids)).toEqual({ id: 'branch', argv: ['bogus'] });
    expect(directCommand(['gc', 'extra'], ids)).toEqual({ id: 'gc', argv: ['extra'] });
  });

  it('leaves help, unknown commands and empty lines to oclif', () => {
    expect(directCommand([], ids)).toBeNull();
    expect(directCommand(['bogus'], ids)).toBeNull();
    expect(directCommand(['cat', '--help'], ids)).toBeNull();
    expect(directCommand(['branch', 'set', 'x', '--help'], ids)).toBeNull();
  });

  it('reads --help after -- as an argument', () => {
    expect(directCommand(['cat', '--', '--help'], ids)).toEqual({ id: 'cat', argv: ['--', '--help'] });
  });
});
