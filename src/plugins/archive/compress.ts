/**
 * Compression layers for tar: gzip (node:zlib), xz (liblzma through
 * lzma-native) and bzip2 (pure JS: compressjs to write, unbzip2-stream to
 * read). Every layer is a stream stage for `pipeline`, so memory stays
 * bounded by a block, never by the archive.
 */
import { createGunzip, createGzip } from 'node:zlib';
import type { Duplex } from 'node:stream';
import { createRequire } from 'node:module';
import type { Compression } from './format.js';

const require = createRequire(import.meta.url);

type Stage = Duplex | ((source: AsyncIterable<Buffer>) => AsyncGenerator<Buffer>);

/** bzip2's largest block: the input slice compressed as one stream. */
const BZ2_BLOCK = 900_000;
/**
 * Compressed bytes fed to the bzip2 decoder at a time: a block can expand
 * 45-fold and more, so small slices keep each burst of output small.
 */
const BZ2_FEED = 512;

/**
 * bzip2 has no streaming encoder in JS; each 900 kB slice becomes its own
 * complete bzip2 stream. Concatenated streams are valid bzip2 (bzip2, tar and
 * every decoder read them as one).
 */
async function* bzip2Encode(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const { Bzip2 } = require('compressjs') as typeof import('compressjs');
  let pending: Buffer[] = [];
  let size = 0;
  const flush = (): Buffer => {
    const block = Buffer.concat(pending, size);
    pending = [];
    size = 0;
    return Buffer.from(Bzip2.compressFile(block, null, 9));
  };
  for await (const chunk of source) {
    let rest = chunk;
    while (rest.length > 0) {
      const take = Math.min(rest.length, BZ2_BLOCK - size);
      pending.push(rest.subarray(0, take));
      size += take;
      rest = rest.subarray(take);
      if (size === BZ2_BLOCK) yield flush();
    }
  }
  if (size > 0) yield flush();
}

async function* bzip2Decode(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const unbzip2 = require('unbzip2-stream') as typeof import('unbzip2-stream').default;
  const inner = unbzip2();
  const out: Buffer[] = [];
  let failure: Error | null = null;
  let ended = false;
  inner.on('data', (d: Buffer) => out.push(d));
  inner.on('error', (e: Error) => { failure = e; });
  inner.on('end', () => { ended = true; });
  const drain = function* (): Generator<Buffer> {
    if (failure) throw new Error(`bzip2: ${(failure as Error).message}`);
    while (out.length > 0) yield out.shift()!;
  };
  for await (const chunk of source) {
    for (let i = 0; i < chunk.length; i += BZ2_FEED) {
      inner.write(chunk.subarray(i, i + BZ2_FEED));
      yield* drain();
    }
  }
  inner.end();
  yield* drain();
  if (!ended) throw new Error('bzip2: unexpected end of data');
}

function lzma(): typeof import('lzma-native') {
  return require('lzma-native') as typeof import('lzma-native');
}

/** A pipeline stage compressing with `c`, or null for no compression. */
export function compressor(c: Compression): Stage | null {
  switch (c) {
    case 'none': return null;
    case 'gzip': return createGzip();
    case 'xz': return lzma().createCompressor({ preset: 6 });
    case 'bzip2': return bzip2Encode;
  }
}

/** A pipeline stage undoing `c`, or null for none. */
export function decompressor(c: Compression): Stage | null {
  switch (c) {
    case 'none': return null;
    case 'gzip': return createGunzip();
    case 'xz': return lzma().createDecompressor();
    case 'bzip2': return bzip2Decode;
  }
}
