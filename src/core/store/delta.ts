/** Git's delta format: two size varints, then copy-from-base and insert opcodes. */

export interface DeltaSizes {
  baseSize: number;
  resultSize: number;
  /** Where the opcodes begin. */
  pos: number;
}

function varint(buf: Uint8Array, start: number): [number, number] {
  let value = 0;
  let shift = 0;
  let p = start;
  for (;;) {
    if (p >= buf.length) throw new Error('truncated delta header');
    const c = buf[p++]!;
    value += (c & 0x7f) * 2 ** shift;
    shift += 7;
    if (!(c & 0x80)) return [value, p];
  }
}

export function deltaSizes(delta: Uint8Array): DeltaSizes {
  const [baseSize, p1] = varint(delta, 0);
  const [resultSize, pos] = varint(delta, p1);
  return { baseSize, resultSize, pos };
}

/** Rebuild an object from its base and a delta; throws on any inconsistency. */
export function applyDelta(base: Buffer, delta: Buffer): Buffer {
  const { baseSize, resultSize, pos } = deltaSizes(delta);
  if (baseSize !== base.length) throw new Error(`delta base size ${baseSize} != ${base.length}`);
  const out = Buffer.allocUnsafe(resultSize);
  let p = pos;
  let o = 0;
  while (p < delta.length) {
    const op = delta[p++]!;
    if (op & 0x80) {
      let off = 0;
      let size = 0;
      if (op & 0x01) off = delta[p++]!;
      if (op & 0x02) off |= delta[p++]! << 8;
      if (op & 0x04) off |= delta[p++]! << 16;
      if (op & 0x08) off = (off | (delta[p++]! << 24)) >>> 0;
      if (op & 0x10) size = delta[p++]!;
      if (op & 0x20) size |= delta[p++]! << 8;
      if (op & 0x40) size |= delta[p++]! << 16;
      if (size === 0) size = 0x10000;
      if (p > delta.length || off + size > base.length || o + size > resultSize) throw new Error('delta copy out of range');
      base.copy(out, o, off, off + size);
      o += size;
    } else if (op) {
      if (p + op > delta.length || o + op > resultSize) throw new Error('delta insert out of range');
      delta.copy(out, o, p, p + op);
      p += op;
      o += op;
    } else {
      throw new Error('delta opcode 0 is reserved');
    }
  }
  if (o !== resultSize) throw new Error(`delta produced ${o} bytes, expected ${resultSize}`);
  return out;
}

/**
 * A packed delta's size header, inflating as little of the entry as
 * possible (a dynamic Huffman table can take a few hundred bytes).
 */
export async function packedDeltaSizes(
  pack: { peek(header: { dataStart: number; end: number }, compressedBytes: number): Promise<Buffer> },
  h: { dataStart: number; end: number },
): Promise<DeltaSizes> {
  for (const bytes of [512, 8192, h.end - h.dataStart]) {
    try {
      return deltaSizes(await pack.peek(h, bytes));
    } catch (err) {
      if (bytes >= h.end - h.dataStart) throw err;
    }
  }
  throw new Error('unreachable');
}
