import type { TreeEntry } from '../store/types.js';

const TREE_MODE = '040000';

/** Six-character mode as used by TreeEntry ('040000' for trees). */
function normalizeMode(raw: string): string {
  return raw.length === 5 ? `0${raw}` : raw;
}

/** Mode as git writes it inside tree objects (no leading zero). */
function diskMode(mode: string): string {
  return mode.replace(/^0+(?=\d)/, '');
}

function isTreeMode(mode: string): boolean {
  return mode === TREE_MODE || mode === '40000';
}

/**
 * Git's canonical entry order: byte-wise name comparison where a tree's name
 * compares as if it ended with '/'.
 */
export function compareTreeEntries(a: TreeEntry, b: TreeEntry): number {
  return compareBytes(isTreeMode(a.mode) ? `${a.name}/` : a.name, isTreeMode(b.mode) ? `${b.name}/` : b.name);
}

/**
 * UTF-8 byte order (git's). UTF-16 code unit order agrees with it except
 * when surrogates meet characters from U+E000 up, so only those pairs pay
 * for an encoding.
 */
export function compareBytes(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x < 0xd800 && y < 0xd800) return x - y;
    // Encode from the start of the character: both may share a high surrogate just before.
    const from = i > 0 && (a.charCodeAt(i - 1) & 0xfc00) === 0xd800 ? i - 1 : i;
    return Buffer.compare(Buffer.from(a.slice(from)), Buffer.from(b.slice(from)));
  }
  return a.length - b.length;
}

/** Serialise entries into a tree object body, sorting them into git order. */
export function encodeTree(entries: readonly TreeEntry[]): Buffer {
  const sorted = [...entries].sort(compareTreeEntries);
  const parts: Buffer[] = [];
  for (const e of sorted) {
    if (e.name === '' || e.name.includes('/') || e.name.includes('\0')) {
      throw new Error(`Invalid tree entry name: ${JSON.stringify(e.name)}`);
    }
    parts.push(Buffer.from(`${diskMode(e.mode)} ${e.name}\0`), Buffer.from(e.oid, 'hex'));
  }
  return Buffer.concat(parts);
}

/** Parse a tree object body. Throws on malformed input. */
export function decodeTree(data: Uint8Array): TreeEntry[] {
  const buf = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.length);
  const entries: TreeEntry[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const sp = buf.indexOf(0x20, pos);
    const nul = sp < 0 ? -1 : buf.indexOf(0, sp + 1);
    if (sp < 0 || nul < 0 || nul + 21 > buf.length) throw new Error('Malformed tree object');
    entries.push({
      mode: normalizeMode(buf.toString('latin1', pos, sp)),
      name: buf.toString('utf8', sp + 1, nul),
      oid: buf.toString('hex', nul + 1, nul + 21),
    });
    pos = nul + 21;
  }
  return entries;
}

/**
 * Visit the ids a tree body refers to, with whether each is a subtree;
 * gitlinks (mode 160000, commits of another repository) are skipped. Parses
 * the raw entries without building TreeEntry objects: object walks visit
 * millions of entries and allocation dominates.
 */
export function forEachTreeChild(data: Buffer, visit: (oid: string, isTree: boolean) => void): void {
  for (let pos = 0; pos < data.length; ) {
    const sp = data.indexOf(0x20, pos);
    const nul = data.indexOf(0, pos);
    if (sp < 0 || nul < sp || nul + 21 > data.length) throw new Error('Malformed tree object');
    const mode = data.toString('latin1', pos, sp);
    if (mode !== '160000') visit(data.toString('hex', nul + 1, nul + 21), mode === '40000' || mode === '040000');
    pos = nul + 21;
  }
}
