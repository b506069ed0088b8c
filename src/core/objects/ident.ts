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
  const name = line.slice(0, lt).replace(/ $/, '');
  const email = line.slice(lt + 1, gt);
  const [secs = '0', tz = '+0000'] = line.slice(gt + 1).trim().split(/\s+/);
  return { name, email, timestamp: Number.parseInt(secs, 10) || 0, tz };
}

export function formatIdent(id: Ident): string {
  return `${id.name} <${id.email}> ${id.timestamp} ${id.tz}`;
}
