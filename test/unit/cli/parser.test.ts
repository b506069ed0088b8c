import { describe, expect, it } from 'vitest';
import { Args, Flags } from '@oclif/core';
import { UsageError } from '../../../src/cli/errors.js';
import { intArg, intFlag } from '../../../src/cli/flags.js';
import { ArgDef, FlagDef, parseCommandLine, usageTail } from '../../../src/cli/parser.js';

const flags = {
  recursive: Flags.boolean({ char: 'R' }),
  long: Flags.boolean({ char: 'l' }),
  dry: Flags.boolean({ char: 'n' }),
  message: Flags.string({ char: 'm' }),
  format: Flags.string({ options: ['text', 'json', 'jsonl'], default: 'text' }),
  back: intFlag({ default: 0 }),
  limit: intFlag({ char: 'N' }),
  parent: Flags.string({ multiple: true }),
  create: Flags.boolean({ allowNo: true, default: true }),
} as unknown as Record<string, FlagDef>;
const args = {
  paths: Args.string({ multiple: true }),
} as unknown as Record<string, ArgDef>;

const parse = (argv: string[], a: Record<string, ArgDef> = args) => parseCommandLine(argv, { flags, args: a });

describe('click-compatible parser', () => {
  it('combines short booleans and accepts a value glued to the last short option', async () => {
    const r = await parse(['-Rl', 'a', '-nmhello', 'b']);
    expect(r.flags).toMatchObject({ recursive: true, long: true, dry: true, message: 'hello' });
    expect(r.args.paths).toEqual(['a', 'b']);
  });

  it('takes --name=value, --name value, and values that start with a dash', async () => {
    const r = await parse(['--format=json', '-m', '-x-', '--back', '3']);
    expect(r.flags).toMatchObject({ format: 'json', message: '-x-', back: 3 });
  });

  it('keeps the last value of a repeated option and every value of a repeatable one', async () => {
    const r = await parse(['-m', 'one', '--parent', 'a', 'x', '--message', 'two', '--parent=b']);
    expect(r.flags.message).toBe('two');
    expect(r.flags.parent).toEqual(['a', 'b']);
    expect(r.args.paths).toEqual(['x']);
  });

  it('stops option parsing at --', async () => {
    const r = await parse(['-R', '--', '-l', '--format']);
    expect(r.flags.long).toBe(false);
    expect(r.args.paths).toEqual(['-l', '--format']);
  });

  it('supports --no-x for negatable booleans and defaults', async () => {
    expect((await parse([])).flags).toMatchObject({ create: true, format: 'text', back: 0, recursive: false });
    expect((await parse(['--no-create'])).flags.create).toBe(false);
  });

  it('words errors like click', async () => {
    await expect(parse(['--bogus'])).rejects.toThrow(new UsageError('No such option: --bogus'));
    await expect(parse(['-Rq'])).rejects.toThrow('No such option: -q');
    await expect(parse(['--format', 'xml'])).rejects.toThrow(
      "Invalid value for '--format': 'xml' is not one of 'text', 'json', 'jsonl'.",
    );
    await expect(parse(['--back', 'x'])).rejects.toThrow("Invalid value for '--back': 'x' is not a valid integer.");
    await expect(parse(['-N', '1.5'])).rejects.toThrow("Invalid value for '-N' / '--limit': '1.5' is not a valid integer.");
    await expect(parse(['-m'])).rejects.toThrow("Option '-m' requires an argument.");
    await expect(parse(['--long=1'])).rejects.toThrow("Option '--long' does not take a value.");
  });

  it('checks positional arguments', async () => {
    const two = { name: Args.string({ required: true }), steps: intArg({ default: 1 }) } as unknown as Record<string, ArgDef>;
    await expect(parse([], two)).rejects.toThrow("Missing argument 'NAME'.");
    await expect(parse(['a', 'x'], two)).rejects.toThrow("Invalid value for 'STEPS': 'x' is not a valid integer.");
    await expect(parse(['a', '2', 'c'], two)).rejects.toThrow('Got unexpected extra argument (c)');
    expect((await parse(['a'], two)).args).toEqual({ name: 'a', steps: 1 });
    expect(usageTail(two)).toBe('[OPTIONS] NAME [STEPS]');
  });

  it('gives a variadic argument what the fixed ones leave', async () => {
    const mixed = {
      sources: Args.string({ multiple: true, required: true }),
      dest: Args.string({ required: true }),
    } as unknown as Record<string, ArgDef>;
    const r = await parse(['a', 'b', 'c'], mixed);
    expect(r.args).toEqual({ sources: ['a', 'b'], dest: 'c' });
    await expect(parse(['a'], mixed)).rejects.toThrow("Missing argument 'SOURCES...'.");
    expect(usageTail(mixed)).toBe('[OPTIONS] SOURCES... DEST');
  });

  it('falls back to the environment, and a flag beats it', async () => {
    const envFlags = { repo: Flags.string({ char: 'r', env: 'VOST_TEST_REPO' }) } as unknown as Record<string, FlagDef>;
    process.env.VOST_TEST_REPO = '/from/env';
    try {
      expect((await parseCommandLine([], { flags: envFlags, args: {} })).flags.repo).toBe('/from/env');
      expect((await parseCommandLine(['-r', 'x'], { flags: envFlags, args: {} })).flags.repo).toBe('x');
    } finally {
      delete process.env.VOST_TEST_REPO;
    }
  });
});
