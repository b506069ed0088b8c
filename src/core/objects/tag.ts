import type { ObjectType, TagData } from '../store/types.js';
import { formatHeaderBlock, parseHeaderBlock } from './headers.js';
import { formatIdent, parseIdent } from './ident.js';

const TYPES = new Set<string>(['blob', 'tree', 'commit', 'tag']);

export function encodeTag(t: TagData): Buffer {
  const headers: Array<[string, string]> = [
    ['object', t.object],
    ['type', t.type],
    ['tag', t.tag],
  ];
  if (t.tagger) headers.push(['tagger', formatIdent(t.tagger)]);
  for (const h of t.extraHeaders ?? []) headers.push([h[0], h[1]]);
  return formatHeaderBlock({ headers, message: t.message });
}

/** Parse an annotated tag body (a signature, if any, stays inside `message`, as git stores it). */
export function decodeTag(data: Uint8Array): TagData {
  const { headers, message } = parseHeaderBlock(data);
  const out: Partial<TagData> & { message: string } = { message };
  const extraHeaders: Array<[string, string]> = [];
  for (const [key, value] of headers) {
    if (key === 'object' && !out.object) out.object = value;
    else if (key === 'type' && !out.type && TYPES.has(value)) out.type = value as ObjectType;
    else if (key === 'tag' && out.tag === undefined) out.tag = value;
    else if (key === 'tagger' && !out.tagger) out.tagger = parseIdent(value);
    else extraHeaders.push([key, value]);
  }
  if (!out.object || !out.type || out.tag === undefined) throw new Error('Malformed tag object');
  if (extraHeaders.length) out.extraHeaders = extraHeaders;
  return out as TagData;
}
