import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream';
import zlib from 'node:zlib';
import { decodeCommit } from '../objects/commit.js';
import { decodeTag } from '../objects/tag.js';
import { forEachTreeChild } from '../objects/tree.js';
import { ObjectNotFoundError } from '../errors.js';
import type { FileObjectStore } from './object-store.js';
import { OBJ_REF_DELTA, TYPE_CODES } from './pack-file.js';
import { encodeEntryHeader } from './pack-format.js';
import type { Oid } from './types.js';


/** Objects above this many bytes are deflated as a stream rather than read whole. */
const STREAM_ABOVE = 1024 * 1024;

/**
 * Every object reachable from `wants` and not from `haves` (what a fetch,
 * clone or bundle must carry), commits and tags first, then trees and blobs.
 * Missing objects under `haves` are ignored; missing under `wants` throw.
 */
export async function listObjects(store: FileObjectStore, wants: Oid[], haves: Oid[] = []): Promise<Oid[]> {
  const excluded = new Set<Oid>();
  await walk(store, haves, excluded, null, false);
  const order: Oid[] = [];
  await walk(store, wants, excluded, order, true);
  return order;
}

async function walk(store: FileObjectStore, roots: Oid[], seen: Set<Oid>, order: Oid[] | null, strict: boolean): Promise<void> {
  const stack = [...roots];
  const later: Oid[] = [];
  while (stack.length) {
    const oid = stack.pop()!;
    if (seen.has(oid)) continue;
    const h = await store.readHeader(oid);
    if (!h) {
      if (strict) throw new ObjectNotFoundError(oid);
      continue;
    }
    seen.add(oid);
    (h.type === 'commit' || h.type === 'tag' ? order : later)?.push(oid);
    if (h.type === 'blob') continue;
    const { data } = await store.read(oid);
    if (h.type === 'commit') {
      const c = decodeCommit(data);
      stack.push(...c.parents, c.tree);
    } else if (h.type === 'tree') {
      // Blobs are taken from their entries unread; packStream fails on any that is missing.
      forEachTreeChild(data, (id, isTree) => {
        if (isTree) stack.push(id);
        else if (!seen.has(id)) {
          seen.add(id);
          later.push(id);
        }
      });
    } else stack.push(decodeTag(data).object);
  }
  for (const oid of later) order?.push(oid);
}

/**
 * A packfile holding exactly `oids`, as a stream of chunks. Entries stored in
 * packs are copied as they are (deltas too, as REF_DELTA, when their base is
 * among `oids`); the rest are deflated. The count is known up front, so the
 * SHA-1 trailer is computed on the way and nothing touches the disk.
 */
export async function* packStream(store: FileObjectStore, oids: Oid[], opts: { compression?: number } = {}): AsyncGenerator<Buffer> {
  const unique = [...new Set(oids)];
  const inPack = new Set(unique);
  const hash = createHash('sha1');
  const emit = (buf: Buffer): Buffer => {
    hash.update(buf);
    return buf;
  };
  const head = Buffer.alloc(12);
  head.write('PACK', 0, 'latin1');
  head.writeUInt32BE(2, 4);
  head.writeUInt32BE(unique.length, 8);
  yield emit(head);
  for (const oid of unique) {
    const loc = await store.packs.locate(oid);
    const raw = loc ? await store.packs.raw(loc, oid) : null;
    if (raw?.kind === 'whole') {
      yield emit(encodeEntryHeader(TYPE_CODES[raw.type], raw.size));
      yield emit(raw.compressed);
    } else if (raw?.kind === 'delta' && inPack.has(raw.baseOid)) {
      yield emit(Buffer.concat([encodeEntryHeader(OBJ_REF_DELTA, raw.size), Buffer.from(raw.baseOid, 'hex')]));
      yield emit(raw.compressed);
    } else {
      const level = opts.compression ?? store.packLevel();
      const h = await store.readHeader(oid);
      if (!h) throw new ObjectNotFoundError(oid);
      yield emit(encodeEntryHeader(TYPE_CODES[h.type], h.size));
      if (h.size > STREAM_ABOVE) {
        const { stream } = await store.stream(oid);
        const deflated = pipeline(stream, zlib.createDeflate({ level }), () => undefined);
        for await (const chunk of deflated as AsyncIterable<Buffer>) yield emit(chunk);
      } else {
        yield emit(zlib.deflateSync((await store.read(oid)).data, { level }));
      }
    }
  }
  yield hash.digest();
}
