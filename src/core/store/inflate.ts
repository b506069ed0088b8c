import zlib from 'node:zlib';

/**
 * The parts of node:zlib's native handle used here. `zlib.inflateSync`
 * creates, initialises and closes a native stream on every call, which costs
 * several times more than inflating a small object (a commit, a tree) does;
 * one handle, reset between objects, avoids that. These are Node internals,
 * so their presence is checked and the public path is kept as a fallback.
 */
interface NativeHandle {
  writeSync(flush: number, input: Uint8Array, inOff: number, inLen: number, out: Uint8Array, outOff: number, outLen: number): void;
  reset(): void;
}

interface Reusable {
  stream: zlib.Inflate;
  handle: NativeHandle;
  /** [output bytes left, input bytes left] after the last writeSync. */
  state: Uint32Array;
}

let reusable: Reusable | null | undefined;

function nativeInflater(): Reusable | null {
  if (reusable !== undefined) return reusable;
  const stream = zlib.createInflate();
  const internals = stream as unknown as { _handle?: Partial<NativeHandle>; _writeState?: unknown };
  const handle = internals._handle;
  const state = internals._writeState;
  const usable = typeof handle?.writeSync === 'function' && typeof handle.reset === 'function' && state instanceof Uint32Array;
  if (!usable) {
    stream.destroy();
    reusable = null;
    return null;
  }
  // A corrupt stream makes zlib destroy the stream with an 'error' event; the error is read from `errored` instead.
  stream.on('error', () => undefined);
  reusable = { stream, handle: handle as NativeHandle, state };
  return reusable;
}

/**
 * Inflate one zlib stream whose output size is known. Throws if the data is
 * not a valid stream (the Adler-32 checksum included) or inflates to another
 * size. Bytes after the end of the stream are ignored.
 */
export function inflateExact(data: Uint8Array, size: number): Buffer {
  const z = nativeInflater();
  const out = z ? inflateNative(z, data, size).out : inflateFallback(data, size);
  if (out.length !== size) throw new Error(`data inflated to ${out.length} bytes, header says ${size}`);
  return out;
}

/**
 * Inflate the zlib stream at the start of `data` when where it ends is not
 * known (a pack entry read without its extent). Returns the output and the
 * number of bytes the stream took; null when the stream does not end within
 * `data`, is invalid, does not inflate to `size` bytes, or the native
 * inflater is unavailable. The caller then reads the exact extent.
 */
export function inflateLeading(data: Uint8Array, size: number): { out: Buffer; consumed: number } | null {
  const z = nativeInflater();
  if (!z) return null;
  try {
    const r = inflateNative(z, data, size);
    return r.out.length === size ? r : null;
  } catch {
    return null;
  }
}

/**
 * {@link inflateExact} into `out` from byte `at`, which must have room for
 * `size + 1` bytes: no allocation per object. Returns the content's view.
 */
export function inflateExactInto(data: Uint8Array, size: number, out: Buffer, at: number): Buffer {
  const z = nativeInflater();
  let view: Buffer;
  if (z) view = inflateNative(z, data, size, out, at).out;
  else {
    const whole = inflateFallback(data, size);
    view = out.subarray(at, at + whole.copy(out, at));
  }
  if (view.length !== size) throw new Error(`data inflated to ${view.length} bytes, header says ${size}`);
  return view;
}

// One spare byte after `size`: a stream that inflates to more fills it and is caught by the size check.
function inflateNative(z: Reusable, data: Uint8Array, size: number, out: Buffer = Buffer.allocUnsafe(size + 1), at = 0): { out: Buffer; consumed: number } {
  try {
    z.handle.writeSync(zlib.constants.Z_FINISH, data, 0, data.length, out, at, size + 1);
  } finally {
    if (z.stream.destroyed) reusable = undefined;
  }
  const failure = z.stream.errored;
  if (failure) throw new Error(`bad zlib data: ${failure.message}`);
  const [outLeft, inLeft] = [z.state[0]!, z.state[1]!];
  z.handle.reset();
  return { out: out.subarray(at, at + size + 1 - outLeft), consumed: data.length - inLeft };
}

function inflateFallback(data: Uint8Array, size: number): Buffer {
  // One spare byte, as in inflateNative: more output than `size` is then seen, not cut off.
  return zlib.inflateSync(data, { maxOutputLength: size + 1 });
}
