/**
 * Flag and argument builders shared by commands, with click's wording for
 * conversion errors (`Invalid value for '--back': 'x' is not a valid integer.`).
 */
import { Args, Flags } from './declare.js';
import { parseClickInt } from './parser.js';

/** An integer option: `intFlag({description, default: 0})`. */
export const intFlag = Flags.custom<number>({ parse: async (input: string) => parseClickInt(input) });

/** An integer positional argument: `intArg({description, default: 1})`. */
export const intArg = Args.custom<number>({ parse: async (input: string) => parseClickInt(input) });
