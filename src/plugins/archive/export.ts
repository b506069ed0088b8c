/**
 * Exporting every entry of an endpoint (a repo snapshot for archive_out,
 * zip, tar) into an archive, in listing order. Reads run a few entries ahead
 * of the writer so object lookups overlap with compression.
 */
import { Readable } from 'node:stream';
import { ArchiveFormatError } from '../../core/errors.js';
import type { Endpoint, Entry } from '../contract.js';
import type { ArchiveOutput } from './output.js';

/** Entries read ahead of the one being written. */
const READ_AHEAD = 8;

/** Content by blob id: a buffer, or a stream with its size (big blobs). */
export type BlobReader = (oid: string) => Promise<Uint8Array | { stream: Readable; size: number }>;

export interface ExportOptions {
  /** mtime for entries whose endpoint gives none (ms since the epoch). */
  mtimeMs?: number;
  /**
   * Read by blob id instead of by path when the listing carries ids (a repo
   * snapshot): skips a tree lookup per file, which dominates on many small files.
   */
  readBlob?: BlobReader;
  /** Called after each entry with the running totals. */
  onProgress?(files: number, bytes: number): void;
}

interface Loaded {
  entry: Entry;
  data: Uint8Array | Readable;
  size: number;
  target?: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

async function readEntry(source: Endpoint, entry: Entry, readBlob?: BlobReader): Promise<{ data: Uint8Array | Readable; size?: number }> {
  if (!entry.oid || !readBlob) return (await source.read(entry.path));
  const blob = await readBlob(entry.oid);
  return blob instanceof Uint8Array ? { data: blob } : { data: blob.stream, size: blob.size };
}

async function load(source: Endpoint, entry: Entry, readBlob?: BlobReader): Promise<Loaded> {
  const { data, size: knownSize } = await readEntry(source, entry, readBlob);
  if (entry.kind === 'symlink') {
    const bytes = data instanceof Uint8Array ? data : await collect(data);
    let target: string;
    try {
      target = utf8.decode(bytes);
    } catch {
      throw new ArchiveFormatError(`Symlink target for ${entry.path} is not valid UTF-8`);
    }
    return { entry, data: bytes, size: bytes.length, target };
  }
  if (data instanceof Uint8Array) return { entry, data, size: data.length };
  if (knownSize !== undefined) return { entry, data, size: knownSize };
  const st = await source.stat(entry.path);
  const size = st && st.kind !== 'dir' ? st.size : entry.size;
  return { entry, data, size };
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Write every entry of `source` to `output`; returns the number of entries. */
export async function exportEndpoint(source: Endpoint, output: ArchiveOutput, opts: ExportOptions = {}): Promise<number> {
  const fallbackMtime = opts.mtimeMs ?? Date.now();
  const pending: Array<Promise<Loaded>> = [];
  let count = 0;
  let bytes = 0;
  const writeNext = async (): Promise<void> => {
    const item = await pending.shift()!;
    await output.add(
      {
        path: item.entry.path,
        kind: item.entry.kind,
        size: item.size,
        mtimeMs: item.entry.mtimeMs ?? fallbackMtime,
        ...(item.target !== undefined ? { target: item.target } : {}),
      },
      item.data,
    );
    count++;
    bytes += item.size;
    opts.onProgress?.(count, bytes);
  };
  try {
    for await (const entry of source.list()) {
      const p = load(source, entry, opts.readBlob);
      p.catch(() => undefined);
      pending.push(p);
      if (pending.length > READ_AHEAD) await writeNext();
    }
    while (pending.length > 0) await writeNext();
  } finally {
    for (const p of pending) {
      p.then((l) => { if (l.data instanceof Readable) l.data.destroy(); }, () => undefined);
    }
  }
  return count;
}
