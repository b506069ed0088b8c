/** A person line as found in commits and tags: `Name <email> <seconds> <tz>`. */
export interface Ident {
  name: string;
  email: string;
  timestamp: number;
  tz: string;
}

/** Parse `Name <email> 1700000000 +0100`; tolerant of odd names the way git is (split on the last `<`/`>`). */
export function parseIdent(line: string): Ident {
  const lt = line.lastIndexOf('<');
  const gt = line.lastIndexOf('>');
  if (lt < 0 || gt < lt) throw new Error(`Malformed identity: ${line}`);
  const name = line.slice(0, line.charCodeAt(lt - 1) === 32 ? lt - 1 : lt);
  const email = line.slice(lt + 1, gt);
  // The first two whitespace-separated words after the email: seconds and zone.
  const secsAt = skipSpace(line, gt + 1);
  const secsEnd = skipWord(line, secsAt);
  const tzAt = skipSpace(line, secsEnd);
  const tzEnd = skipWord(line, tzAt);
  const tz = tzAt < tzEnd ? line.slice(tzAt, tzEnd) : '+0000';
  return { name, email, timestamp: Number.parseInt(line.slice(secsAt, secsEnd), 10) || 0, tz };
}

/** Whitespace as `\s` matches it (ASCII and the Unicode spaces). */
const isSpace = (c: number) =>
  c === 32 || (c >= 9 && c <= 13) || (c > 127 && /\s/.test(String.fromCharCode(c)));

function skipSpace(s: string, i: number): number {
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  return i;
}

function skipWord(s: string, i: number): number {
  while (i < s.length && !isSpace(s.charCodeAt(i))) i++;
  return i;
}

export function formatIdent(id: Ident): string {
  return `${id.name} <${id.email}> ${id.timestamp} ${id.tz}`;
}
