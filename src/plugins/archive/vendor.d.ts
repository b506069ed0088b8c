/* Minimal typings for the untyped compression packages this plugin uses. */
declare module 'compressjs' {
  export const Bzip2: {
    compressFile(input: Uint8Array, output?: null, blockSizeMultiplier?: number): Uint8Array;
  };
}

declare module 'unbzip2-stream' {
  import type { Stream } from 'node:stream';
  interface ThroughStream extends Stream {
    write(chunk: Uint8Array): boolean;
    end(): void;
  }
  export default function unbzip2Stream(): ThroughStream;
}

declare module 'lzma-native' {
  import type { Duplex } from 'node:stream';
  export function createCompressor(options?: { preset?: number; threads?: number }): Duplex;
  export function createDecompressor(options?: { memlimit?: number }): Duplex;
}
