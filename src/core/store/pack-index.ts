import { endianness } from 'node:os';
import { CorruptPackError } from '../errors.js';
import { nodeRepoFs, type RepoFs } from './repo-fs.js';

const IDX_MAGIC = 0xff744f63;
const HEADER = 8;
const FANOUT = 256 * 4;

/**
 * A version 2 pack index held in memory as one Buffer: fan-out table,
 * sorted object ids, CRC32s, 31-bit offsets with an overflow table of
 * 64-bit offsets for packs past 2 GiB.
 */
export class PackIndex {
  readonly count: number;
  private readonly shaStart = HEADER + FANOUT;
  private readonly crcStart: number;
  private readonly offStart: number;
  private readonly largeStart: number;
  private sorted: Float64Array | Uint32Array | null = null;
  private byOffset: Map<number, number> | null = null;

  private constructor(
    readonly path: string,
    private readonly buf: Buffer,
  ) {
    if (buf.length < HEADER + FANOUT + 40 || buf.readUInt32BE(0) !== IDX_MAGIC || buf.readUInt32BE(4) !== 2) {
      throw new CorruptPackError(path, 'not a version 2 pack index');
    }
    this.count = buf.readUInt32BE(HEADER + 255 * 4);
    this.crcStart = this.shaStart + this.count * 20;
    this.offStart = this.crcStart + this.count * 4;
    this.largeStart = this.offStart + this.count * 4;
    if (this.largeStart + 40 > buf.length) throw new CorruptPackError(path, 'index truncated');
  }

  static async load(path: string, fs: RepoFs = nodeRepoFs): Promise<PackIndex> {
    return new PackIndex(path, await fs.readFile(path));
  }

  /** The pack's SHA-1 trailer as recorded in the index. */
  get packChecksum(): Buffer {
    return this.buf.subarray(this.buf.length - 40, this.buf.length - 20);
  }

  /**
   * Position of an object id (20 raw bytes) in the index, or -1. Ids are
   * uniformly spread, so the search guesses where in the range the id should
   * be (interpolation) rather than always halving it: a few probes instead of
   * ~17, each of which is a cache miss in a big index. A guess that does not
   * halve the range is followed by a halving, so a skewed index still costs
   * at most about twice a binary search.
   */
  find(oid: Uint8Array): number {
    const buf = this.buf;
    const first = oid[0]!;
    let lo = first === 0 ? 0 : buf.readUInt32BE(HEADER + (first - 1) * 4);
    let hi = buf.readUInt32BE(HEADER + first * 4);
    // Bytes 1-4 of the id as a number; entries in [lo, hi) have keys within [keyLo, keyHi].
    const key = oid[1]! * 0x1000000 + ((oid[2]! << 16) | (oid[3]! << 8) | oid[4]!);
    let keyLo = 0;
    let keyHi = 0xffffffff;
    // After a guess that failed to halve the range, the next step halves it.
    let halve = false;
    while (lo < hi) {
      const span = hi - lo;
      const mid = !halve && span > 4 ? lo + Math.min(span - 1, Math.floor(((key - keyLo) / (keyHi - keyLo + 1)) * span)) : (lo + hi) >>> 1;
      const at = this.shaStart + mid * 20;
      // A byte loop rather than Buffer.compare: ids differ within the first bytes, and the native call costs more.
      let k = 0;
      while (k < 20 && buf[at + k] === oid[k]) k++;
      if (k === 20) return mid;
      if (buf[at + k]! < oid[k]!) {
        lo = mid + 1;
        keyLo = buf.readUInt32BE(at + 1);
      } else {
        hi = mid;
        keyHi = buf.readUInt32BE(at + 1);
      }
      halve = !halve && (hi - lo) * 2 > span;
    }
    return -1;
  }

  oidAt(i: number): string {
    const at = this.shaStart + i * 20;
    return this.buf.toString('hex', at, at + 20);
  }

  crcAt(i: number): number {
    return this.buf.readUInt32BE(this.crcStart + i * 4);
  }

  offsetAt(i: number): number {
    const v = this.buf.readUInt32BE(this.offStart + i * 4);
    if (!(v & 0x80000000)) return v;
    const at = this.largeStart + (v & 0x7fffffff) * 8;
    if (at + 8 > this.buf.length - 40) throw new CorruptPackError(this.path, 'bad 64-bit offset entry');
    return Number(this.buf.readBigUInt64BE(at));
  }

  /** Whether {@link nextOffset} is ready (its table of sorted offsets, costly for a big pack, is built). */
  get endsKnown(): boolean {
    return this.sorted !== null;
  }

  /** Offset where the entry after `offset` starts (or `end` for the last one): the entry's compressed extent. */
  nextOffset(offset: number, end: number): number {
    const s = this.sortedOffsets();
    let lo = 0;
    let hi = s.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (s[mid]! <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo < s.length ? s[lo]! : end;
  }

  /** Id of the object stored at `offset` (a delta's base), or undefined if no entry starts there. */
  oidAtOffset(offset: number): string | undefined {
    if (!this.byOffset) {
      this.byOffset = new Map();
      for (let i = 0; i < this.count; i++) this.byOffset.set(this.offsetAt(i), i);
    }
    const i = this.byOffset.get(offset);
    return i === undefined ? undefined : this.oidAt(i);
  }

  /** Index positions whose id starts with the hex `prefix`. */
  *matchPrefix(prefix: string): Generator<number> {
    const lowBuf = Buffer.from(prefix.padEnd(40, '0'), 'hex');
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const at = this.shaStart + mid * 20;
      if (this.buf.compare(lowBuf, 0, 20, at, at + 20) < 0) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.count && this.oidAt(i).startsWith(prefix); i++) yield i;
  }

  private sortedOffsets(): Float64Array | Uint32Array {
    if (!this.sorted) {
      // Packs under 4 GiB (nearly all) fit a Uint32Array, which sorts several times faster.
      const s = this.hasLargeOffsets() ? this.allOffsets() : this.smallOffsets();
      this.sorted = s.sort();
    }
    return this.sorted;
  }

  private allOffsets(): Float64Array {
    const s = new Float64Array(this.count);
    for (let i = 0; i < this.count; i++) s[i] = this.offsetAt(i);
    return s;
  }

  /** The 31-bit offset table as numbers: one copy and a native byte swap instead of a read per entry. */
  private smallOffsets(): Uint32Array {
    const out = new Uint32Array(this.count);
    const bytes = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
    this.buf.copy(bytes, 0, this.offStart, this.offStart + this.count * 4);
    if (endianness() === 'LE') bytes.swap32();
    return out;
  }

  private hasLargeOffsets(): boolean {
    return this.buf.length - 40 > this.largeStart;
  }
}

const idScratch = new Uint8Array(20);

/** The raw bytes of a hex id in a shared scratch array (synchronous callers only: the next call overwrites it). */
export function hexId(oid: string): Uint8Array {
  for (let i = 0; i < 20; i++) idScratch[i] = (hexDigit(oid.charCodeAt(2 * i)) << 4) | hexDigit(oid.charCodeAt(2 * i + 1));
  return idScratch;
}

function hexDigit(c: number): number {
  return c <= 57 ? c - 48 : (c | 32) - 87;
}
