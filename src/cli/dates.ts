/**
 * `--before` values (cli.md §4.2): ISO 8601 dates and date-times, extended or
 * basic form, optional fraction and `Z`/`±HH[:MM]` offset (none = UTC). A
 * date-only value means the end of that day (23:59:59.999999); a date-time
 * written with a space instead of `T` is an ordinary date-time.
 */
import { CliError } from './errors.js';

const DATE = /^(\d{4})-?(\d{2})-?(\d{2})$/;
const DATE_TIME =
  /^(\d{4})(-?)(\d{2})\2(\d{2})[Tt ](\d{2})(?::?(\d{2})(?::?(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Parses a `--before` value into an instant, or throws the spec's `Invalid date` error. */
export function parseBeforeDate(value: string): Date {
  const parsed = parseIsoInstant(value.trim());
  if (parsed === null) {
    throw new CliError(`Invalid date: ${value} (use ISO 8601, e.g. 2024-01-15 or 2024-01-15T14:30:00)`, {
      code: 'INVALID_DATE',
    });
  }
  return parsed;
}

/** The instant denoted by `text`, or null when it is not ISO 8601. */
export function parseIsoInstant(text: string): Date | null {
  const d = DATE.exec(text);
  if (d) {
    // Both separators or neither (`2024-0115` is not ISO).
    if (text.length !== 8 && text.length !== 10) return null;
    return build(+d[1], +d[2], +d[3], 23, 59, 59, 999, 0);
  }
  const m = DATE_TIME.exec(text);
  if (!m) return null;
  const [, y, , mo, day, h, mi, s, frac, tz] = m;
  const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
  const offset = tz ? parseOffset(tz) : 0;
  if (offset === null) return null;
  return build(+y, +mo, +day, +h, mi ? +mi : 0, s ? +s : 0, ms, offset);
}

function parseOffset(tz: string): number | null {
  if (tz === 'Z' || tz === 'z') return 0;
  const sign = tz[0] === '-' ? -1 : 1;
  const digits = tz.slice(1).replace(':', '');
  const hours = +digits.slice(0, 2);
  const minutes = digits.length > 2 ? +digits.slice(2, 4) : 0;
  if (hours > 23 || minutes > 59) return null;
  return sign * (hours * 60 + minutes);
}

function build(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, offsetMin: number): Date | null {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return null;
  const utc = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCDate() !== d || check.getUTCMonth() !== mo - 1) return null;
  return new Date(utc - offsetMin * 60_000);
}
