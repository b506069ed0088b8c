/**
 * How commands declare their flags and arguments. Every command imports
 * `Flags` and `Args` from here, never from oclif, so that a command loads and
 * runs without oclif (bin/run.js starts most commands that way; oclif is
 * loaded only for help, unknown commands and plugins).
 *
 * The definitions are plain data in the shape oclif's manifest and help read
 * (`type`, `char`, `description`, `options`, `default`, `multiple`, ...) and
 * that ./parser.ts parses. The value type a definition yields after parsing
 * is carried in the phantom `_value` field, which never exists at run time.
 */
import type { ArgDef, FlagDef } from './parser.js';

interface Described {
  description?: string;
  summary?: string;
  hidden?: boolean;
}

/** What a flag declaration may say (the subset of oclif's options vost uses). */
export interface FlagOptions<T> extends Described {
  char?: string;
  aliases?: string[];
  charAliases?: string[];
  env?: string;
  helpGroup?: string;
  helpValue?: string;
  required?: boolean;
  multiple?: boolean;
  options?: readonly string[];
  allowNo?: boolean;
  default?: T | ((ctx: { flags: Record<string, unknown> }) => T | Promise<T>);
}

/** What an argument declaration may say. */
export interface ArgOptions<T> extends Described {
  required?: boolean;
  multiple?: boolean;
  options?: readonly string[];
  default?: T;
}

/** A flag definition that parses to a `T`. */
export interface Flag<T> extends FlagDef, Described {
  readonly _value?: T;
}

/** An argument definition that parses to a `T`. */
export interface Arg<T> extends ArgDef, Described {
  readonly _value?: T;
}

/** The parsed value type of a flag or argument definition. */
export type ValueOf<D> = D extends { readonly _value?: infer T } ? T : unknown;

/** Parsed flags or arguments of a definition table. */
export type Parsed<M> = { [K in keyof M]: ValueOf<M[K]> };

type Sure = { required: true } | { default: unknown };
type Parse<T> = (input: string) => T | Promise<T>;

function option<T>(opts: FlagOptions<unknown>, parse?: Parse<T>): Flag<T> {
  return { ...opts, type: 'option', ...(parse ? { parse } : {}) } as Flag<T>;
}

function string(opts: FlagOptions<string[]> & { multiple: true }): Flag<string[] | undefined>;
function string(opts: FlagOptions<string> & Sure): Flag<string>;
function string(opts?: FlagOptions<string>): Flag<string | undefined>;
function string(opts: FlagOptions<unknown> = {}): Flag<unknown> {
  return option(opts);
}

function boolean(opts: FlagOptions<boolean> = {}): Flag<boolean> {
  return { allowNo: false, ...opts, type: 'boolean' } as Flag<boolean>;
}

/** A flag type with its own conversion; `custom({parse})({description})`. */
function custom<T>(defaults: { parse: Parse<T> }) {
  function make(opts: FlagOptions<T> & Sure): Flag<T>;
  function make(opts?: FlagOptions<T>): Flag<T | undefined>;
  function make(opts: FlagOptions<T> = {}): Flag<unknown> {
    return option(opts, defaults.parse);
  }
  return make;
}

export const Flags = { string, boolean, custom };

function argString(opts: ArgOptions<string[]> & { multiple: true; required: true }): Arg<string[]>;
function argString(opts: ArgOptions<string[]> & { multiple: true }): Arg<string[] | undefined>;
function argString(opts: ArgOptions<string> & Sure): Arg<string>;
function argString(opts?: ArgOptions<string>): Arg<string | undefined>;
function argString(opts: ArgOptions<unknown> = {}): Arg<unknown> {
  return { ...opts };
}

function argCustom<T>(defaults: { parse: Parse<T> }) {
  function make(opts: ArgOptions<T> & Sure): Arg<T>;
  function make(opts?: ArgOptions<T>): Arg<T | undefined>;
  function make(opts: ArgOptions<T> = {}): Arg<unknown> {
    return { ...opts, parse: defaults.parse };
  }
  return make;
}

export const Args = { string: argString, custom: argCustom };
