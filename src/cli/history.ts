/**
 * Rendering commits and reflog entries for `log`, `reflog`, `undo`, `redo`
 * (cli.md §11), and the CLI's redo algorithm (the recommended undo stack).
 */
import type { FS } from '../core/index.js';
import type { JsonValue } from './json.js';

/** What `log` prints about one commit. */
export interface CommitRecord {
  hash: string;
  message: string;
  /** ISO-8601 with the commit's own offset, seconds precision. */
  time: string;
  authorName: string;
  authorEmail: string;
}

/** Reads the record of `fs`'s commit (committer time in the committer's zone). */
export async function commitRecord(fs: FS): Promise<CommitRecord> {
  const c = await fs._commit();
  return {
    hash: fs.commitHash,
    message: c.message.endsWith('\n') ? c.message.slice(0, -1) : c.message,
    time: isoWithOffset(c.committer.timestamp, c.committer.tz),
    authorName: c.author.name,
    authorEmail: c.author.email,
  };
}

/** `log` text line: `<short>  <time>  <message>`. */
export function logTextLine(r: CommitRecord): string {
  return `${r.hash.slice(0, 7)}  ${r.time}  ${r.message}\n`;
}

/** `log` JSON object, keys in spec order. */
export function logJson(r: CommitRecord, branch: string | null): JsonValue {
  return {
    hash: r.hash,
    message: r.message,
    time: r.time,
    author_name: r.authorName,
    author_email: r.authorEmail,
    branch,
  };
}

/** `2026-11-22T10:33:58+00:00` for epoch seconds shown in a git `±HHMM` zone. */
export function isoWithOffset(epochSeconds: number, tz: string): string {
  const zone = zoneOf(tz);
  const local = epochSeconds + zone.offsetMin * 60;
  const day = Math.floor(local / 86400);
  // A log prints many commits of the same day and zone: the date part is formatted once per day.
  if (day !== lastDay.day || !Number.isSafeInteger(local)) {
    const iso = new Date(day * 86400000).toISOString();
    if (!/^\d{4}-/.test(iso) || !Number.isSafeInteger(local)) return isoViaDate(local, zone.suffix);
    lastDay.day = day;
    lastDay.prefix = iso.slice(0, 11);
  }
  const secs = local - day * 86400;
  return `${lastDay.prefix}${two(Math.floor(secs / 3600))}:${two(Math.floor(secs / 60) % 60)}:${two(secs % 60)}${zone.suffix}`;
}

const lastDay = { day: Number.NaN, prefix: '' };
const lastZone = { tz: '', offsetMin: 0, suffix: '+00:00' };

/** Offset and `±HH:MM` suffix of a git zone; malformed zones count as UTC with a `+` sign. */
function zoneOf(tz: string): { offsetMin: number; suffix: string } {
  if (tz === lastZone.tz) return lastZone;
  const m = /^([+-])(\d{2})(\d{2})$/.exec(tz);
  const sign = m && m[1] === '-' ? -1 : 1;
  const offsetMin = m ? sign * (Number(m[2]) * 60 + Number(m[3])) : 0;
  const abs = Math.abs(offsetMin);
  lastZone.tz = tz;
  lastZone.offsetMin = offsetMin;
  lastZone.suffix = `${offsetMin < 0 ? '-' : '+'}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
  return lastZone;
}

/** The general path, for dates outside years 0000-9999 (Date's own rendering, as before). */
function isoViaDate(localSeconds: number, suffix: string): string {
  return `${new Date(localSeconds * 1000).toISOString().slice(0, 19)}${suffix}`;
}

function two(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

/** `YYYY-MM-DDTHH:MM:SS` in the machine's local zone (reflog `time`). */
export function localIso(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** One reflog line, as the library returns it. */
export interface ReflogItem {
  oldSha: string;
  newSha: string;
  committer: string;
  timestamp: number;
  message: string;
}

export const UNDO_MESSAGE = 'undo: move back';
export const REDO_MESSAGE = 'redo: move forward';

/**
 * The undos that a redo may still revert, oldest first (cli.md §11.5
 * recommendation): scanning the reflog, an undo is pushed, a redo pops up to
 * and including the undo it reverted, anything else clears the stack.
 */
export function redoStack(entries: readonly ReflogItem[]): ReflogItem[] {
  const stack: ReflogItem[] = [];
  for (const e of entries) {
    if (e.message === UNDO_MESSAGE) {
      stack.push(e);
    } else if (e.message === REDO_MESSAGE) {
      const at = findLastIndex(stack, (u) => u.oldSha === e.newSha);
      stack.length = at === -1 ? 0 : at;
    } else {
      stack.length = 0;
    }
  }
  return stack;
}

function findLastIndex<T>(items: readonly T[], pred: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (pred(items[i])) return i;
  return -1;
}
