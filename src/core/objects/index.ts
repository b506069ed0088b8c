/** Git object encoding: hashing, trees, commits, tags. Pure functions, no I/O. */
export { hashObject, objectHeader, isOid } from './hash.js';
export { parseIdent, formatIdent, type Ident } from './ident.js';
export { encodeTree, decodeTree, compareTreeEntries, forEachTreeChild } from './tree.js';
export { encodeCommit, decodeCommit } from './commit.js';
export { encodeTag, decodeTag } from './tag.js';
export type { TreeEntry, CommitData, TagData, ObjectType, Oid } from '../store/types.js';
