/**
 * Random access to an archive's members for the endpoint's list/stat/read.
 * Zip is random-access already (yauzl over the file; stdin is spooled first).
 * Tar is not: its members are unpacked once into one spool data file, each
 * hashed as a git blob on the way, so reads are positional and every entry
 * carries its blob id (the planner then compares ids instead of content).
 */
import { Readable } from 'node:stream';
import { createReadStream } from 'node:fs';
import { ArchiveFormatError } from '../../core/errors.js';
import type { Entry, ReadResult } from '../contract.js';
import type { ArchiveLimits } from './limits.js';
import type { FileMember } from './member.js';
import { Spool, type SpoolData, type SpoolSlice } from './spool.js';
import { readTar } from './tar-read.js';
import { ZipReader } from './zip-read.js';

/** Reads up to this size come back as one buffer. */
const WHOLE_READ_LIMIT = 1 << 20;

export interface ArchiveIndex {
  /** Members in archive order. */
  readonly entries: ReadonlyArray<Entry>;
  get(path: string): Entry | undefined;
  /** Every directory implied by a member path. */
  readonly dirs: ReadonlySet<string>;
  read(path: string): Promise<ReadResult>;
  close(): Promise<void>;
}

function dirsOf(paths: Iterable<string>): Set<string> {
  const dirs = new Set<string>();
  for (const p of paths) {
    for (let i = p.indexOf('/'); i !== -1; i = p.indexOf('/', i + 1)) dirs.add(p.slice(0, i));
  }
  return dirs;
}

function toEntry(m: FileMember, oid?: string): Entry {
  return {
    path: m.path,
    kind: m.kind,
    size: m.size,
    ...(m.mtimeMs !== undefined ? { mtimeMs: m.mtimeMs } : {}),
    ...(m.target !== undefined ? { target: m.target } : {}),
    ...(oid ? { oid } : {}),
  };
}

/** An index with no members (an archive that does not exist yet). */
export function emptyIndex(): ArchiveIndex {
  return {
    entries: [],
    get: () => undefined,
    dirs: new Set(),
    read: async (path) => { throw new ArchiveFormatError(`No such entry: ${path}`); },
    close: async () => undefined,
  };
}

export interface IndexSource {
  /** A file path, or a stream read once (stdin). */
  source: { file: string } | { stream: AsyncIterable<Buffer> };
  display: string;
  limits: ArchiveLimits;
  spoolDir: string;
}

export async function openZipIndex(src: IndexSource): Promise<ArchiveIndex> {
  const spool = 'file' in src.source ? null : await Spool.create(src.spoolDir);
  try {
    const file = 'file' in src.source ? src.source.file : (await spool!.file(src.source.stream)).path;
    const zip = await ZipReader.open(file, src.limits, src.display);
    const entries = zip.members.map((m) => toEntry(m));
    const byPath = new Map(entries.map((e) => [e.path, e]));
    return {
      entries,
      get: (p) => byPath.get(p),
      dirs: dirsOf(byPath.keys()),
      async read(path) {
        const e = byPath.get(path);
        if (!e) throw new ArchiveFormatError(`No such entry in ${src.display}: ${path}`);
        if (e.kind === 'symlink') return { data: Buffer.from(e.target ?? '', 'utf8') };
        return { data: await zip.read(path) };
      },
      async close() {
        zip.close();
        await spool?.dispose();
      },
    };
  } catch (e) {
    await spool?.dispose();
    throw e;
  }
}

export async function openTarIndex(src: IndexSource): Promise<ArchiveIndex> {
  const spool = await Spool.create(src.spoolDir);
  let data: SpoolData | null = null;
  try {
    data = await spool.data();
    const slices = new Map<string, SpoolSlice>();
    const byPath = new Map<string, Entry>();
    const input = 'file' in src.source ? createReadStream(src.source.file) : src.source.stream;
    for await (const m of readTar(input as AsyncIterable<Buffer>, { limits: src.limits, display: src.display })) {
      if (m.type === 'hardlink') {
        const target = byPath.get(m.linkTo);
        const slice = slices.get(m.linkTo);
        if (!target || !slice) throw new ArchiveFormatError(`Not a valid tar archive: hard link ${m.path} names unknown member ${m.linkTo}`);
        slices.set(m.path, slice);
        byPath.set(m.path, { ...target, path: m.path });
        continue;
      }
      const slice = await data.append(m.content, m.size);
      slices.set(m.path, slice);
      byPath.set(m.path, toEntry(m, slice.oid));
    }
    const spooled = data;
    return {
      entries: [...byPath.values()],
      get: (p) => byPath.get(p),
      dirs: dirsOf(byPath.keys()),
      async read(path) {
        const slice = slices.get(path);
        if (!slice) throw new ArchiveFormatError(`No such entry in ${src.display}: ${path}`);
        if (slice.size <= WHOLE_READ_LIMIT) return { data: await spooled.readWhole(slice) };
        return { data: spooled.stream(slice) as Readable };
      },
      async close() {
        await spooled.close();
        await spool.dispose();
      },
    };
  } catch (e) {
    await data?.close().catch(() => undefined);
    await spool.dispose();
    throw e;
  }
}
