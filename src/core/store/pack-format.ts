/**
 * The byte formats a pack writer emits: the pack header, each entry's
 * `<type,size>` header, and the version 2 `.idx` (git's
 * Documentation/gitformat-pack.txt). Pure functions, shared by the streaming
 * writer and by pack import.
 */
import { createHash } from 'node:crypto';

export interface IndexEntry {
  oid: Buffer;
  offset: number;
  crc: number;
}

/** `<type,size>` varint that starts every pack entry. */
export function encodeEntryHeader(typeCode: number, size: number): Buffer {
  const bytes: number[] = [];
  let c = (typeCode << 4) | (size & 15);
  let rest = Math.floor(size / 16);
  while (rest > 0) {
    bytes.push(c | 0x80);
    c = rest & 0x7f;
    rest = Math.floor(rest / 128);
  }
  bytes.push(c);
  return Buffer.from(bytes);
}

/** The 12-byte header of a version 2 pack of `count` entries. */
export function packHeader(count: number): Buffer {
  const b = Buffer.alloc(12);
  b.write('PACK', 0, 'latin1');
  b.writeUInt32BE(2, 4);
  b.writeUInt32BE(count, 8);
  return b;
}

/** Build a version 2 `.idx` for the given entries. */
export function buildIndex(entries: IndexEntry[], packChecksum: Buffer, largeOffsetThreshold: number): Buffer {
  const sorted = [...entries].sort((a, b) => Buffer.compare(a.oid, b.oid));
  const n = sorted.length;
  const large = sorted.filter((e) => e.offset > largeOffsetThreshold).length;
  const buf = Buffer.alloc(8 + 1024 + n * 28 + large * 8 + 40);
  buf.writeUInt32BE(0xff744f63, 0);
  buf.writeUInt32BE(2, 4);
  const fanout = new Uint32Array(256);
  for (const e of sorted) fanout[e.oid[0]!]!++;
  for (let i = 0, acc = 0; i < 256; i++) {
    acc += fanout[i]!;
    buf.writeUInt32BE(acc, 8 + i * 4);
  }
  const shaAt = 8 + 1024;
  const crcAt = shaAt + n * 20;
  const offAt = crcAt + n * 4;
  const largeAt = offAt + n * 4;
  let li = 0;
  sorted.forEach((e, i) => {
    e.oid.copy(buf, shaAt + i * 20);
    buf.writeUInt32BE(e.crc >>> 0, crcAt + i * 4);
    if (e.offset > largeOffsetThreshold) {
      buf.writeUInt32BE((0x80000000 | li) >>> 0, offAt + i * 4);
      buf.writeBigUInt64BE(BigInt(e.offset), largeAt + li * 8);
      li++;
    } else {
      buf.writeUInt32BE(e.offset, offAt + i * 4);
    }
  });
  const tail = largeAt + large * 8;
  packChecksum.copy(buf, tail);
  createHash('sha1').update(buf.subarray(0, tail + 20)).digest().copy(buf, tail + 20);
  return buf;
}
