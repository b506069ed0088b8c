/**
 * A click-compatible command-line parser over oclif flag/arg definitions
 * (cli.md §2.1). oclif's own parser rejects repeated options, refuses option
 * values that start with `-`, and words its errors differently; commands keep
 * declaring `Flags.*` / `Args.*` as usual and VostCommand routes `parse()` here.
 *
 * Supported: `--name VALUE`, `--name=VALUE`, `--no-name` (allowNo booleans),
 * `-x VALUE`, `-xVALUE`, combined short booleans (`-Rl`, `-nR`, `-n5`),
 * options and arguments interleaved, `--` ending option parsing, repeatable
 * options (`multiple`), the last value winning for single options, env
 * fallbacks and defaults.
 */
import { UsageError } from './errors.js';

/** The runtime shape of an oclif flag definition that this parser relies on. */
export interface FlagDef {
  name?: string;
  type: 'boolean' | 'option';
  char?: string;
  aliases?: string[];
  charAliases?: string[];
  multiple?: boolean;
  options?: readonly string[];
  allowNo?: boolean;
  required?: boolean;
  env?: string;
  default?: unknown;
  parse?: (input: string, ctx: unknown, def: unknown) => unknown;
}

/** The runtime shape of an oclif arg definition that this parser relies on. */
export interface ArgDef {
  name?: string;
  required?: boolean;
  multiple?: boolean;
  options?: readonly string[];
  default?: unknown;
  parse?: (input: string, ctx: unknown, def: unknown) => unknown;
}

export interface ParseSpec {
  flags: Record<string, FlagDef>;
  args: Record<string, ArgDef>;
  /** When false, surplus positional arguments are returned in `argv` instead of failing. */
  strict?: boolean;
}

export interface ParseResult {
  flags: Record<string, unknown>;
  args: Record<string, unknown>;
  /** Positional arguments in command-line order. */
  argv: string[];
}

type Occurrence = { flag: string; value: string | boolean };

/** Parses `argv` (everything after the command id) against `spec`. */
export async function parseCommandLine(argv: string[], spec: ParseSpec): Promise<ParseResult> {
  const { occurrences, positionals } = tokenize(argv, spec.flags);
  const flags = await resolveFlags(occurrences, spec.flags);
  const args = await resolveArgs(positionals, spec);
  return { flags, args, argv: positionals };
}

function tokenize(argv: string[], defs: Record<string, FlagDef>): { occurrences: Occurrence[]; positionals: string[] } {
  const occurrences: Occurrence[] = [];
  const positionals: string[] = [];
  let optionsDone = false;
  for (let i = 0; i < argv.length; i++) {
    const tok = argv[i];
    const takeNext = (opt: string): string => {
      if (i + 1 >= argv.length) throw new UsageError(`Option '${opt}' requires an argument.`);
      i += 1;
      return argv[i];
    };
    if (optionsDone || tok === '-' || !tok.startsWith('-')) {
      positionals.push(tok);
    } else if (tok === '--') {
      optionsDone = true;
    } else if (tok.startsWith('--')) {
      occurrences.push(longOption(tok, defs, takeNext));
    } else {
      occurrences.push(...shortOptions(tok, defs, takeNext));
    }
  }
  return { occurrences, positionals };
}

function longOption(tok: string, defs: Record<string, FlagDef>, takeNext: (opt: string) => string): Occurrence {
  const eq = tok.indexOf('=');
  const opt = eq === -1 ? tok : tok.slice(0, eq);
  const inline = eq === -1 ? undefined : tok.slice(eq + 1);
  const name = opt.slice(2);
  let key = findLong(defs, name);
  let negated = false;
  if (key === undefined && name.startsWith('no-')) {
    const positive = findLong(defs, name.slice(3));
    if (positive !== undefined && defs[positive].type === 'boolean' && defs[positive].allowNo) {
      key = positive;
      negated = true;
    }
  }
  if (key === undefined) throw new UsageError(`No such option: ${opt}`);
  if (defs[key].type === 'boolean') {
    if (inline !== undefined) throw new UsageError(`Option '${opt}' does not take a value.`);
    return { flag: key, value: !negated };
  }
  return { flag: key, value: inline ?? takeNext(opt) };
}

function shortOptions(tok: string, defs: Record<string, FlagDef>, takeNext: (opt: string) => string): Occurrence[] {
  const out: Occurrence[] = [];
  for (let j = 1; j < tok.length; j++) {
    const ch = tok[j];
    const key = findShort(defs, ch);
    if (key === undefined) throw new UsageError(`No such option: -${ch}`);
    if (defs[key].type === 'boolean') {
      out.push({ flag: key, value: true });
      continue;
    }
    const rest = tok.slice(j + 1);
    out.push({ flag: key, value: rest.length > 0 ? rest : takeNext(`-${ch}`) });
    break;
  }
  return out;
}

function findLong(defs: Record<string, FlagDef>, name: string): string | undefined {
  if (Object.hasOwn(defs, name)) return name;
  return Object.keys(defs).find((k) => defs[k].aliases?.includes(name));
}

function findShort(defs: Record<string, FlagDef>, ch: string): string | undefined {
  return Object.keys(defs).find((k) => defs[k].char === ch || defs[k].charAliases?.includes(ch));
}

/** Click's name for a parameter in `Invalid value for …` messages. */
export function flagHint(key: string, def: FlagDef): string {
  return def.char ? `'-${def.char}' / '--${key}'` : `'--${key}'`;
}

function argMetavar(key: string, def: ArgDef): string {
  const upper = key.toUpperCase();
  return def.multiple ? `${upper}...` : upper;
}

/** Click-style usage tail for a command: `[OPTIONS] NAME [TARGET] [PATHS]...`. */
export function usageTail(args: Record<string, ArgDef>): string {
  const parts = ['[OPTIONS]'];
  for (const [key, def] of Object.entries(args)) {
    const upper = key.toUpperCase();
    if (def.required) parts.push(def.multiple ? `${upper}...` : upper);
    else parts.push(def.multiple ? `[${upper}]...` : `[${upper}]`);
  }
  return parts.join(' ');
}

function checkChoice(value: string, options: readonly string[] | undefined, hint: string): void {
  if (options && !options.includes(value)) {
    const choices = options.map((o) => `'${o}'`).join(', ');
    throw new UsageError(`Invalid value for ${hint}: '${value}' is not one of ${choices}.`);
  }
}

async function convert(value: string, def: FlagDef | ArgDef, hint: string): Promise<unknown> {
  checkChoice(value, def.options, hint);
  if (!def.parse) return value;
  try {
    return await def.parse(value, {}, def);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const detail = (err as Error).message;
    // oclif's built-in integer flags/args word this their own way.
    const text = detail.startsWith('Expected an integer') ? `'${value}' is not a valid integer.` : detail;
    throw new UsageError(`Invalid value for ${hint}: ${text}`);
  }
}

function envValue(def: FlagDef): string | boolean | undefined {
  const raw = def.env ? process.env[def.env] : undefined;
  if (raw === undefined || raw === '') return undefined;
  if (def.type === 'boolean') return ['1', 'true', 'yes', 'on'].includes(raw.toLowerCase());
  return raw;
}

async function resolveFlags(occ: Occurrence[], defs: Record<string, FlagDef>): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [key, def] of Object.entries(defs)) {
    const given = occ.filter((o) => o.flag === key).map((o) => o.value);
    const hint = flagHint(key, def);
    if (def.type === 'boolean') {
      const value = given.length > 0 ? given[given.length - 1] : envValue(def);
      out[key] = value ?? (await defaultOf(def, out)) ?? false;
      continue;
    }
    if (def.multiple) {
      const values = given.length > 0 ? given : [];
      out[key] = values.length > 0 ? await Promise.all(values.map((v) => convert(String(v), def, hint))) : await defaultOf(def, out);
    } else if (given.length > 0) {
      out[key] = await convert(String(given[given.length - 1]), def, hint);
    } else {
      const env = envValue(def);
      out[key] = env !== undefined ? await convert(String(env), def, hint) : await defaultOf(def, out);
    }
    if (out[key] === undefined && def.required) throw new UsageError(`Missing option '--${key}'.`);
  }
  return out;
}

async function defaultOf(def: FlagDef | ArgDef, sofar: Record<string, unknown>): Promise<unknown> {
  if (typeof def.default === 'function') {
    return (def.default as (ctx: unknown) => unknown)({ flags: sofar, options: def });
  }
  return def.default;
}

async function resolveArgs(positionals: string[], spec: ParseSpec): Promise<Record<string, unknown>> {
  const entries = Object.entries(spec.args);
  const out: Record<string, unknown> = {};
  const fixedAfter = (i: number) => entries.slice(i + 1).filter(([, d]) => !d.multiple).length;
  let pos = 0;
  for (let i = 0; i < entries.length; i++) {
    const [key, def] = entries[i];
    const hint = `'${argMetavar(key, def)}'`;
    if (def.multiple) {
      const take = Math.max(0, positionals.length - pos - fixedAfter(i));
      const values = positionals.slice(pos, pos + take);
      pos += take;
      if (values.length === 0 && def.required) throw new UsageError(`Missing argument '${argMetavar(key, def)}'.`);
      out[key] = values.length > 0 ? await Promise.all(values.map((v) => convert(v, def, hint))) : await defaultOf(def, out);
      continue;
    }
    if (pos < positionals.length) {
      out[key] = await convert(positionals[pos], def, hint);
      pos += 1;
    } else if (def.required) {
      throw new UsageError(`Missing argument '${argMetavar(key, def)}'.`);
    } else {
      out[key] = await defaultOf(def, out);
    }
  }
  const extra = positionals.slice(pos);
  if (extra.length > 0 && spec.strict !== false) {
    const noun = extra.length === 1 ? 'argument' : 'arguments';
    throw new UsageError(`Got unexpected extra ${noun} (${extra.join(' ')})`);
  }
  return out;
}

/** Click's integer conversion: optional sign, decimal digits, surrounding blanks allowed. */
export function parseClickInt(input: string): number {
  const s = input.trim();
  if (!/^[+-]?\d+$/.test(s)) throw new Error(`'${input}' is not a valid integer.`);
  return Number.parseInt(s, 10);
}
