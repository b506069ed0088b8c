/**
 * Streaming tar reader: sniffs the compression from the first bytes, counts
 * compressed and expanded bytes against the limits, and parses with
 * node-tar's Parser in strict mode. Members come out one at a time with
 * backpressure: nothing is buffered beyond a chunk.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Parser, type ReadEntry } from 'tar';
import { ArchiveFormatError, GitStoreError } from '../../core/errors.js';
import { decompressor } from './compress.js';
import { checkLinkTarget, EntryNameSet, normalizeEntryPath } from './entry-path.js';
import { sniffCompression } from './format.js';
import { checkLimits, type ArchiveLimits } from './limits.js';
import { modeToKind, type StreamedMember } from './member.js';

export interface TarReadOptions {
  limits: ArchiveLimits;
  /** Names the archive in error messages. */
  display: string;
}

/** Hands parsed entries from the parser's events to an async consumer. */
class EntryQueue {
  private readonly items: ReadEntry[] = [];
  private wake: (() => void) | null = null;
  private finished = false;
  private failure: Error | null = null;
  /** Called once on the first failure (to break a consumer out of a stalled entry). */
  onFail: ((error: Error) => void) | null = null;

  push(entry: ReadEntry): void {
    this.items.push(entry);
    this.notify();
  }

  end(): void {
    this.finished = true;
    this.notify();
  }

  fail(error: Error): void {
    if (!this.failure) {
      this.failure = error;
      this.onFail?.(error);
    }
    this.notify();
  }

  get failed(): Error | null {
    return this.failure;
  }

  async next(): Promise<ReadEntry | null> {
    for (;;) {
      if (this.failure) throw this.failure;
      const item = this.items.shift();
      if (item) return item;
      if (this.finished) return null;
      await new Promise<void>((resolve) => { this.wake = resolve; });
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}

function badTar(e: unknown): GitStoreError {
  if (e instanceof GitStoreError) return e;
  return new ArchiveFormatError(`Not a valid tar archive: ${(e as Error).message}`);
}

/** Read the first bytes of a stream, then replay them ahead of the rest. */
async function peek(source: AsyncIterable<Buffer>, want: number): Promise<{ head: Buffer; all: AsyncIterable<Buffer> }> {
  const it = source[Symbol.asyncIterator]();
  const seen: Buffer[] = [];
  let size = 0;
  let done = false;
  while (size < want) {
    const r = await it.next();
    if (r.done) { done = true; break; }
    const chunk = Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value);
    seen.push(chunk);
    size += chunk.length;
  }
  const all = (async function* () {
    yield* seen;
    if (done) return;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  })();
  return { head: Buffer.concat(seen, size), all };
}

/**
 * Feed `source` (any compression) into a tar parser. Resolves when the whole
 * input went through; reports every failure through `queue`.
 */
async function feed(source: AsyncIterable<Buffer>, parser: Parser, queue: EntryQueue, opts: TarReadOptions): Promise<void> {
  const { head, all } = await peek(source, 6);
  let compressed = 0;
  let expanded = 0;
  const countIn = async function* (src: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const chunk of src) {
      compressed += chunk.length;
      yield chunk;
    }
  };
  const toParser = async (src: AsyncIterable<Buffer>): Promise<void> => {
    for await (const chunk of src) {
      expanded += chunk.length;
      checkLimits(opts.limits, expanded, compressed);
      if (queue.failed) throw queue.failed;
      if (!parser.write(chunk)) await new Promise<void>((resolve) => parser.once('drain', resolve));
    }
    parser.end();
  };
  const stage = decompressor(sniffCompression(head));
  if (stage) await pipeline(countIn(all), stage, toParser);
  else await pipeline(countIn(all), toParser);
}

/**
 * Members of a tar stream. Each yielded member's `content` must be consumed
 * (or left alone: it is then discarded) before asking for the next one.
 */
export async function* readTar(source: AsyncIterable<Buffer>, opts: TarReadOptions): AsyncGenerator<StreamedMember> {
  const parser = new Parser({ strict: true, maxDecompressionRatio: Infinity });
  const queue = new EntryQueue();
  parser.on('entry', (e: ReadEntry) => queue.push(e));
  parser.on('error', (e: Error) => queue.fail(badTar(e)));
  parser.on('end', () => queue.end());
  feed(source, parser, queue, opts).catch((e: unknown) => queue.fail(badTar(e)));
  const names = new EntryNameSet();
  let content: Readable | null = null;
  queue.onFail = (e) => content?.destroy(e);
  let current: ReadEntry | null = null;
  let complete = false;
  try {
    for (current = await queue.next(); current; current = await queue.next()) {
      const entry = current;
      const member = toMember(entry);
      if (member) {
        names.add(member.path);
        content = member.type === 'file' ? member.content : null;
        yield member;
        content = null;
      }
      await drain(entry);
    }
    complete = true;
  } finally {
    if (!complete) {
      // Stop the feeder: it sees the failure at its next chunk and tears the source down.
      queue.fail(new ArchiveFormatError('tar reading stopped'));
      current?.resume();
    }
  }
}

/** Discard whatever the consumer left unread of an entry, and wait for its end. */
async function drain(entry: ReadEntry): Promise<void> {
  if (entry.emittedEnd) return;
  await new Promise<void>((resolve) => {
    entry.once('end', resolve);
    entry.resume();
    if (entry.emittedEnd) resolve();
  });
}

function toMember(entry: ReadEntry): StreamedMember | null {
  const path = normalizeEntryPath(entry.path);
  if (path === null) return null;
  const mtimeMs = entry.mtime?.getTime();
  switch (entry.type) {
    case 'File':
    case 'OldFile':
    case 'ContiguousFile': {
      const kind = modeToKind((entry.mode ?? 0o644) & 0o7777);
      return { type: 'file', path, kind: kind === 'executable' ? 'executable' : 'file', size: entry.size ?? 0, mtimeMs, content: Readable.from(entry, { objectMode: false }) };
    }
    case 'SymbolicLink': {
      const target = entry.linkpath ?? '';
      checkLinkTarget(path, target);
      const bytes = Buffer.from(target, 'utf8');
      return { type: 'file', path, kind: 'symlink', size: bytes.length, mtimeMs, target, content: Readable.from([bytes]) };
    }
    case 'Link': {
      const linkTo = normalizeEntryPath(entry.linkpath ?? '');
      if (linkTo === null) throw new ArchiveFormatError(`Not a valid tar archive: hard link ${path} has no target`);
      return { type: 'hardlink', path, linkTo, mtimeMs };
    }
    default:
      return null;
  }
}
