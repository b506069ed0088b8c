/**
 * Python's replacement-field tail `[!conv][:spec]` for the values a commit
 * message template can name (cli.md §5.2): integers (the counts) and strings.
 * Everything counts code points, not UTF-16 units, as Python strings do.
 */

/** A conversion or format spec Python's `str.format` would reject; the reason is Python's wording. */
export class FormatSpecError extends Error {}

type Align = '<' | '>' | '^' | '=';

interface Spec {
  /** The text after ':', for error messages. */
  text: string;
  /** Explicit fill character; absent means ' ', or '0' with the zero flag. */
  fill: string | null;
  align: Align | null;
  sign: '+' | '-' | ' ' | null;
  /** `z`: only meaningful for floats, and ours never are negative zero. */
  coerceZero: boolean;
  alternate: boolean;
  /** A `0` before the width, when no explicit fill was given. */
  zero: boolean;
  width: number;
  grouping: ',' | '_' | null;
  precision: number | null;
  type: string | null;
}

/** Widths and precisions beyond this would only build a huge message; Python would try. */
const MAX_COUNT = 1_000_000;

const ALIGNS = new Set(['<', '>', '^', '=']);
const FLOAT_TYPES = new Set(['e', 'E', 'f', 'F', 'g', 'G', '%']);
const INT_TYPES = new Set(['d', 'n', 'b', 'o', 'x', 'X', 'c']);
/** PEP 378 / PEP 515: which types may group digits; '_' also suits the power-of-two bases. */
const GROUPING_TYPES = new Set(['d', ...FLOAT_TYPES]);
const UNDERSCORE_ONLY_TYPES = new Set(['b', 'o', 'x', 'X']);

/** Formats `value` as `'{x' + tail + '}'.format(x=value)` would, `tail` being `[!conv][:spec]`. */
export function applyFormat(value: number | string, tail: string): string {
  const match = /^(?:!(.*?))?(?::(.*))?$/su.exec(tail);
  if (!match) throw new FormatSpecError(`Invalid field tail: ${tail}`);
  const [, conversion, specText = ''] = match;
  const converted = conversion === undefined ? value : convert(value, conversion);
  const spec = parseSpec(specText);
  return typeof converted === 'string' ? formatString(converted, spec) : formatInteger(converted, spec);
}

function convert(value: number | string, conversion: string): string {
  if (conversion === 's') return String(value);
  if (conversion === 'r' || conversion === 'a') {
    // repr() of an int is its digits; of a str, the quoted literal.
    return typeof value === 'number' ? String(value) : pythonRepr(value, conversion === 'a');
  }
  if (!conversion) throw new FormatSpecError('Missing conversion specifier after !');
  if ([...conversion].length > 1) throw new FormatSpecError("expected ':' after conversion specifier");
  throw new FormatSpecError(`Unknown conversion specifier ${conversion}`);
}

/** Python's `repr(str)` (or `ascii(str)` when `asciiOnly`). */
function pythonRepr(text: string, asciiOnly = false): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) out += reprChar(ch, quote, asciiOnly);
  return out + quote;
}

const SIMPLE_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
/** Python's str.isprintable(): everything but these categories, the ASCII space excepted. */
const NOT_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u;

function reprChar(ch: string, quote: string, asciiOnly: boolean): string {
  if (ch === quote) return `\\${ch}`;
  if (SIMPLE_ESCAPES[ch]) return SIMPLE_ESCAPES[ch];
  const code = ch.codePointAt(0) as number;
  const printable = ch === ' ' || !NOT_PRINTABLE.test(ch);
  if (printable && (code < 0x80 || !asciiOnly)) return ch;
  if (code <= 0xff) return `\\x${hex(code, 2)}`;
  return code <= 0xffff ? `\\u${hex(code, 4)}` : `\\U${hex(code, 8)}`;
}

function hex(code: number, digits: number): string {
  return code.toString(16).padStart(digits, '0');
}

/** `[[fill]align][sign][z][#][0][width][grouping][.precision][type]` */
function parseSpec(text: string): Spec {
  const chars = [...text];
  let pos = 0;
  const spec: Spec = {
    text,
    fill: null,
    align: null,
    sign: null,
    coerceZero: false,
    alternate: false,
    zero: false,
    width: 0,
    grouping: null,
    precision: null,
    type: null,
  };
  const peek = (): string | undefined => chars[pos];
  /** Consumes the next character when it is one of `options`. */
  const take = (options: string): string | null => (pos < chars.length && options.includes(chars[pos]) ? chars[pos++] : null);
  const readCount = (): string => {
    const start = pos;
    while (pos < chars.length && /[0-9]/.test(chars[pos])) pos += 1;
    return chars.slice(start, pos).join('');
  };
  if (chars.length >= 2 && ALIGNS.has(chars[1])) {
    spec.fill = chars[0];
    spec.align = chars[1] as Align;
    pos = 2;
  } else if (ALIGNS.has(chars[0])) {
    spec.align = chars[0] as Align;
    pos = 1;
  }
  spec.sign = take('+- ') as Spec['sign'];
  spec.coerceZero = take('z') !== null;
  spec.alternate = take('#') !== null;
  // With an explicit fill, a leading 0 is just part of the width.
  spec.zero = spec.fill === null && take('0') !== null;
  spec.width = toCount(readCount());
  spec.grouping = take(',_') as Spec['grouping'];
  if (spec.grouping && (peek() === ',' || peek() === '_') && peek() !== spec.grouping) {
    throw new FormatSpecError("Cannot specify both ',' and '_'.");
  }
  if (take('.')) {
    const digits = readCount();
    if (!digits) throw new FormatSpecError('Format specifier missing precision');
    spec.precision = toCount(digits);
  }
  if (chars.length - pos > 1) throw new FormatSpecError(`Invalid format specifier '${text}'`);
  spec.type = chars[pos] ?? null;
  return spec;
}

function toCount(digits: string): number {
  const n = digits ? Number(digits) : 0;
  if (n > MAX_COUNT) throw new FormatSpecError(`Width or precision larger than ${MAX_COUNT}`);
  return n;
}

function formatString(value: string, spec: Spec): string {
  if (spec.type !== null && spec.type !== 's') throw unknownType(spec, 'str');
  if (spec.sign) throw new FormatSpecError(`${spec.sign === ' ' ? 'Space' : 'Sign'} not allowed in string format specifier`);
  if (spec.coerceZero) throw new FormatSpecError('Negative zero coercion (z) not allowed in string format specifier');
  if (spec.alternate) throw new FormatSpecError('Alternate form (#) not allowed in string format specifier');
  if (spec.align === '=') throw new FormatSpecError("'=' alignment not allowed in string format specifier");
  if (spec.grouping) throw new FormatSpecError(`Cannot specify '${spec.grouping}' with 's'.`);
  const chars = [...value];
  const kept = spec.precision === null ? value : chars.slice(0, spec.precision).join('');
  // Python 3.10+: '0' on a string only sets the fill; the alignment stays left.
  return pad('', kept, spec.fill ?? (spec.zero ? '0' : ' '), spec.align ?? '<', spec.width);
}

function unknownType(spec: Spec, typeName: string): FormatSpecError {
  return new FormatSpecError(`Unknown format code '${spec.type}' for object of type '${typeName}'`);
}

/** A number in the pieces padding and grouping treat differently. */
interface NumberParts {
  sign: string;
  /** `0x` and friends. */
  prefix: string;
  /** The integer digits, the only part grouping applies to. */
  digits: string;
  /** Decimal point, fraction, exponent, `%`. */
  rest: string;
}

function formatInteger(value: number, spec: Spec): string {
  const type = spec.type ?? 'd';
  const isFloat = FLOAT_TYPES.has(type);
  if (!isFloat && !INT_TYPES.has(type)) throw unknownType(spec, 'int');
  checkGrouping(spec, type);
  if (!isFloat && spec.precision !== null) throw new FormatSpecError('Precision not allowed in integer format specifier');
  if (!isFloat && spec.coerceZero) throw new FormatSpecError('Negative zero coercion (z) not allowed in integer format specifier');
  const parts = isFloat ? floatParts(value, type, spec) : intParts(value, type, spec);
  const fill = spec.fill ?? (spec.zero ? '0' : ' ');
  const align = spec.align ?? (spec.zero ? '=' : '>');
  if (spec.grouping) {
    // Zero padding is grouped too (1234 as '08,d' is '0,001,234'), so it has to happen inside the digits.
    const zeroPadded = fill === '0' && align === '=';
    const minDigits = zeroPadded ? spec.width - (parts.sign.length + parts.prefix.length + parts.rest.length) : 0;
    parts.digits = groupDigits(parts.digits, UNDERSCORE_ONLY_TYPES.has(type) ? 4 : 3, spec.grouping, minDigits);
  }
  return pad(parts.sign + parts.prefix, parts.digits + parts.rest, fill, align, spec.width);
}

function checkGrouping(spec: Spec, type: string): void {
  if (!spec.grouping || GROUPING_TYPES.has(type)) return;
  if (spec.grouping === '_' && UNDERSCORE_ONLY_TYPES.has(type)) return;
  throw new FormatSpecError(`Cannot specify '${spec.grouping}' with '${type}'.`);
}

function signOf(value: number, spec: Spec): string {
  if (value < 0) return '-';
  return spec.sign === '+' || spec.sign === ' ' ? spec.sign : '';
}

function intParts(value: number, type: string, spec: Spec): NumberParts {
  if (type === 'c') {
    if (spec.sign) throw new FormatSpecError("Sign not allowed with integer format specifier 'c'");
    if (spec.alternate) throw new FormatSpecError("Alternate form (#) not allowed with integer format specifier 'c'");
    if (value < 0 || value > 0x10ffff) throw new FormatSpecError('%c arg not in range(0x110000)');
    return { sign: '', prefix: '', digits: String.fromCodePoint(value), rest: '' };
  }
  const base = { b: 2, o: 8, x: 16, X: 16 }[type] ?? 10;
  const digits = Math.abs(value).toString(base);
  const prefix = spec.alternate && base !== 10 ? `0${type}` : '';
  const upper = type === 'X';
  return {
    sign: signOf(value, spec),
    prefix: upper ? prefix.toUpperCase() : prefix,
    digits: upper ? digits.toUpperCase() : digits,
    rest: '',
  };
}

/** e/f/g/% of an integer: exact decimal arithmetic, as float(n) is exact for any count. */
function floatParts(value: number, type: string, spec: Spec): NumberParts {
  let digits = Math.abs(value).toString();
  if (type === '%' && value !== 0) digits += '00';
  const lower = type.toLowerCase();
  const body =
    lower === 'e'
      ? scientific(digits, spec.precision ?? 6, spec.alternate)
      : lower === 'g'
        ? general(digits, spec.precision ?? 6, spec.alternate)
        : { digits, rest: fraction('0'.repeat(spec.precision ?? 6), spec.alternate) };
  const rest = type === '%' ? `${body.rest}%` : body.rest;
  return { sign: signOf(value, spec), prefix: '', digits: body.digits, rest: type === lower ? rest : rest.toUpperCase() };
}

/** The decimal point and fraction; `#` keeps the point even with no fraction digits. */
function fraction(frac: string, alternate: boolean): string {
  return frac || alternate ? `.${frac}` : '';
}

/** `digits` rounded half-to-even to `significant` digits: the mantissa digits and the decimal exponent. */
function roundSignificant(digits: string, significant: number): { mantissa: string; exponent: number } {
  if (digits === '0') return { mantissa: '0'.repeat(significant), exponent: 0 };
  const exponent = digits.length - 1;
  if (digits.length <= significant) return { mantissa: digits.padEnd(significant, '0'), exponent };
  const head = digits.slice(0, significant);
  const tail = digits.slice(significant);
  const beyondHalf = tail[0] > '5' || (tail[0] === '5' && (/[1-9]/.test(tail.slice(1)) || Number(head.at(-1)) % 2 === 1));
  if (!beyondHalf) return { mantissa: head, exponent };
  const bumped = (BigInt(head) + 1n).toString();
  // 999 → 1000: one digit too many, and the exponent grows.
  return bumped.length > significant ? { mantissa: bumped.slice(0, significant), exponent: exponent + 1 } : { mantissa: bumped, exponent };
}

function scientific(digits: string, precision: number, alternate: boolean): { digits: string; rest: string } {
  const { mantissa, exponent } = roundSignificant(digits, precision + 1);
  return { digits: mantissa[0], rest: `${fraction(mantissa.slice(1), alternate)}e+${String(exponent).padStart(2, '0')}` };
}

/** `g`: fixed when the rounded exponent is below the precision, else scientific; `#` keeps trailing zeros. */
function general(digits: string, precision: number, alternate: boolean): { digits: string; rest: string } {
  const significant = Math.max(precision, 1);
  const { mantissa, exponent } = roundSignificant(digits, significant);
  const intLength = exponent < significant ? exponent + 1 : 1;
  let frac = mantissa.slice(intLength);
  if (!alternate) frac = frac.replace(/0+$/, '');
  const exp = exponent < significant ? '' : `e+${String(exponent).padStart(2, '0')}`;
  return { digits: mantissa.slice(0, intLength), rest: fraction(frac, alternate) + exp };
}

/**
 * Groups `digits` from the right with `sep`, left-padding with zeros until the
 * result is at least `minLength` long; a separator is never the first character.
 */
function groupDigits(digits: string, size: number, sep: string, minLength: number): string {
  const groups: string[] = [];
  let remaining = digits;
  let needed = minLength;
  for (;;) {
    const count = Math.min(Math.max(remaining.length, needed, 1), size);
    groups.unshift(remaining.slice(-count).padStart(count, '0'));
    remaining = remaining.slice(0, Math.max(0, remaining.length - count));
    needed -= count;
    if (!remaining && needed <= 0) return groups.join(sep);
    needed -= sep.length;
  }
}

/** Pads `lead + body` to `width` code points; `=` puts the padding between them (after sign and prefix). */
function pad(lead: string, body: string, fill: string, align: Align, width: number): string {
  const missing = width - [...lead].length - [...body].length;
  if (missing <= 0) return lead + body;
  if (align === '=') return lead + fill.repeat(missing) + body;
  const left = align === '>' ? missing : align === '^' ? Math.floor(missing / 2) : 0;
  return fill.repeat(left) + lead + body + fill.repeat(missing - left);
}
