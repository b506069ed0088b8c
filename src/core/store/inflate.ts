import zlib from 'node:zlib';

/**
 * Inflates one zlib stream into at most `size + 1` bytes: into a new buffer,
 * or into `into` from byte `at` (which must have room for them); throws on
 * invalid data.
 */
export type NativeInflate = (data: Uint8Array, size: number, into?: Buffer, at?: number) => { out: Buffer; consumed: number };

/**
 * An inflater over node:zlib's native handle, reused from stream to stream.
 * `zlib.inflateSync` creates, initialises and closes a native stream on
 * every call, which costs several times more than inflating a small object
 * (a commit, a tree, a small blob) does; one handle, reset between objects,
 * avoids that. These are Node internals, so their presence is checked (null
 * when missing: callers keep the public path as a fallback).
 *
 * Self-contained (it uses only its argument and globals): writer threads
 * evaluate it from its source text.
 */
export function createNativeInflate(z: typeof zlib): NativeInflate | null {
  interface Handle {
    writeSync(flush: number, input: Uint8Array, inOff: number, inLen: number, out: Uint8Array, outOff: number, outLen: number): void;
    reset(): void;
  }
  let stream: zlib.Inflate;
  let handle: Handle;
  /** [output bytes left, input bytes left] after the last writeSync. */
  let state: Uint32Array;
  const open = (): boolean => {
    stream = z.createInflate();
    const internals = stream as unknown as { _handle?: Partial<Handle>; _writeState?: unknown };
    const h = internals._handle;
    const s = internals._writeState;
    if (typeof h?.writeSync !== 'function' || typeof h.reset !== 'function' || !(s instanceof Uint32Array)) {
      stream.destroy();
      return false;
    }
    // A corrupt stream makes zlib destroy the stream with an 'error' event; the error is read from `errored` instead.
    stream.on('error', () => undefined);
    handle = h as Handle;
    state = s;
    return true;
  };
  if (!open()) return null;
  return (data, size, into, at = 0) => {
    // After a corrupt stream the old handle is gone: start over with a new one.
    if (stream.destroyed && !open()) throw new Error('zlib handle unavailable');
    // One spare byte: a stream that inflates to more than `size` fills it and is caught by the caller's size check.
    const out = into ?? Buffer.allocUnsafe(size + 1);
    const start = into ? at : 0;
    handle.writeSync(z.constants.Z_FINISH, data, 0, data.length, out, start, size + 1);
    const failure = stream.errored;
    if (failure) throw new Error(`bad zlib data: ${failure.message}`);
    const outLeft = state[0]!;
    const inLeft = state[1]!;
    handle.reset();
    return { out: out.subarray(start, start + size + 1 - outLeft), consumed: data.length - inLeft };
  };
}

let native: NativeInflate | null | undefined;

function nativeInflate(): NativeInflate | null {
  if (native === undefined) native = createNativeInflate(zlib);
  return native;
}

/**
 * Inflate one zlib stream whose output size is known. Throws if the data is
 * not a valid stream (the Adler-32 checksum included) or inflates to another
 * size. Bytes after the end of the stream are ignored.
 */
export function inflateExact(data: Uint8Array, size: number): Buffer {
  const inflate = nativeInflate();
  const out = inflate ? inflate(data, size).out : inflateFallback(data, size);
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
  const inflate = nativeInflate();
  if (!inflate) return null;
  try {
    const r = inflate(data, size);
    return r.out.length === size ? r : null;
  } catch {
    return null;
  }
}

function inflateFallback(data: Uint8Array, size: number): Buffer {
  // One spare byte, as in the native path: more output than `size` is then seen, not cut off.
  return zlib.inflateSync(data, { maxOutputLength: size + 1 });
}
