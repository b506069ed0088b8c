/**
 * Writing a whole archive to a file (temp file + fsync + rename, so a failed
 * export never leaves a half archive under the final name) or to a stream
 * such as stdout (left open for the caller).
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { EntryKind } from '../contract.js';
import { compressor } from './compress.js';
import type { ArchiveFormat } from './format.js';
import type { TarWriter } from './tar-write.js';
import { ZipWriter } from './zip-write.js';

export interface OutputEntry {
  path: string;
  kind: EntryKind;
  size: number;
  mtimeMs: number;
  target?: string;
}

export interface ArchiveOutput {
  add(entry: OutputEntry, content?: Uint8Array | Readable): Promise<void>;
  /** Complete the archive (and, for a file, move it into place). */
  finish(): Promise<void>;
  /** Give up: nothing appears under the destination name. */
  abort(): Promise<void>;
  readonly entries: number;
}

export type OutputTarget = { file: string } | { stream: Writable };

/** Output goes to the sink in blocks of at least this size: zip writes many tiny headers. */
const BLOCK = 256 * 1024;

/** Join small chunks into big writes (one syscall per block instead of three per entry). */
async function* coalesce(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of source) {
    if (chunk.length >= BLOCK && size === 0) {
      yield chunk;
      continue;
    }
    parts.push(chunk);
    size += chunk.length;
    if (size >= BLOCK) {
      yield Buffer.concat(parts, size);
      parts = [];
      size = 0;
    }
  }
  if (size > 0) yield Buffer.concat(parts, size);
}

function tempNameFor(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

export async function openArchiveOutput(target: OutputTarget, format: ArchiveFormat): Promise<ArchiveOutput> {
  const temp = 'file' in target ? tempNameFor(target.file) : null;
  const sink: Writable = temp ? createWriteStream(temp, { flags: 'wx' }) : (target as { stream: Writable }).stream;
  const head = format.kind === 'zip' ? new ZipWriter() : null;
  const tarHead = head ? null : new PassThrough({ highWaterMark: 1024 * 1024 });
  const source: Readable = head ? head.output : tarHead!;
  const stage = format.kind === 'tar' ? compressor(format.compression) : null;
  const stages: Array<NodeJS.ReadableStream | NodeJS.WritableStream | ((s: AsyncIterable<Buffer>) => AsyncGenerator<Buffer>)> = [source];
  if (stage) stages.push(stage as never);
  stages.push(coalesce as never);
  const done = (pipeline as (...args: unknown[]) => Promise<void>)(...stages, sink, { end: temp !== null });
  done.catch((e: Error) => {
    head?.fail(e);
    tarHead?.destroy(e);
  });
  // node-tar is only loaded for tar output.
  const tar: TarWriter | null = tarHead ? new (await import('./tar-write.js')).TarWriter(tarHead) : null;
  let settled = false;

  const cleanup = async (): Promise<void> => {
    if (temp) await rm(temp, { force: true });
  };

  return {
    get entries() {
      return head ? head.entries : tar!.entries;
    },
    async add(entry, content) {
      if (head) await head.add(entry, content);
      else await tar!.add(entry, content);
    },
    async finish() {
      settled = true;
      try {
        if (head) await head.finish();
        else {
          await tar!.finish();
          tarHead!.end();
        }
        await done;
        if (temp) {
          const fh = await open(temp, 'r+');
          try { await fh.sync(); } finally { await fh.close(); }
          await rename(temp, (target as { file: string }).file);
        }
      } catch (e) {
        await cleanup();
        throw e;
      }
    },
    async abort() {
      if (settled) return;
      settled = true;
      const err = new Error('archive aborted');
      head?.fail(err);
      source.destroy(err);
      await done.catch(() => undefined);
      await cleanup();
    },
  };
}
