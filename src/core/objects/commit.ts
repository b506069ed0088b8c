import type { CommitData } from '../store/types.js';
import { formatHeaderBlock, scanHeaderBlock } from './headers.js';
import { formatIdent, parseIdent } from './ident.js';

/** Serialise a commit; extra headers follow the committer line, in order, verbatim. */
export function encodeCommit(c: CommitData): Buffer {
  const headers: Array<[string, string]> = [['tree', c.tree]];
  for (const p of c.parents) headers.push(['parent', p]);
  headers.push(['author', formatIdent(c.author)], ['committer', formatIdent(c.committer)]);
  for (const h of c.extraHeaders ?? []) headers.push([h[0], h[1]]);
  return formatHeaderBlock({ headers, message: c.message });
}

/** Parse a commit body. Unknown headers (encoding, gpgsig, mergetag, ...) land in `extraHeaders`. */
export function decodeCommit(data: Uint8Array): CommitData {
  let tree: string | undefined;
  let author: CommitData['author'] | undefined;
  let committer: CommitData['committer'] | undefined;
  const parents: string[] = [];
  let extraHeaders: Array<[string, string]> | undefined;
  const message = scanHeaderBlock(data, (key, value) => {
    if (key === 'tree' && tree === undefined) tree = value;
    else if (key === 'parent' && !author) parents.push(value);
    else if (key === 'author' && !author) author = parseIdent(value);
    else if (key === 'committer' && !committer) committer = parseIdent(value);
    else (extraHeaders ??= []).push([key, value]);
  });
  if (!tree || !author || !committer) throw new Error('Malformed commit object');
  const out: CommitData = { tree, parents, author, committer, message };
  if (extraHeaders) out.extraHeaders = extraHeaders;
  return out;
}
