/**
 * Importing an archive into any endpoint writer (a repo branch for
 * archive_in/unzip/untar): members are streamed from the archive straight to
 * `writer.put`, one at a time. Small members travel as buffers; big ones are
 * spooled to a file the writer can stream into a pack, so memory stays flat.
 */
import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { ArchiveFormatError, FileNotFoundError } from '../../core/errors.js';
import type { EndpointWriter } from '../contract.js';
import type { ArchiveLimits } from './limits.js';
import type { FileMember } from './member.js';
import { Spool } from './spool.js';
import { readTar } from './tar-read.js';
import { ZipReader } from './zip-read.js';

/** Members up to this size are put as buffers; larger ones go through a spool file. */
const BUFFER_LIMIT = 4 << 20;

export interface ImportOptions {
  format: 'zip' | 'tar';
  /** A file path, or a stream (stdin) read once. */
  source: { file: string } | { stream: Readable };
  /** How the source is named in messages (the FILE argument or `-`). */
  display: string;
  limits: ArchiveLimits;
  /** Where spool files go (the repository directory keeps them on the pack's filesystem). */
  spoolDir: string;
  writer: EndpointWriter;
  /** Called with warning lines (without trailing newline). */
  warn(line: string): void;
  /** Called after each member with the running totals. */
  onProgress?(files: number, bytes: number): void;
}

export interface ImportResult {
  files: number;
  hardLinksSkipped: number;
}

export async function importArchive(opts: ImportOptions): Promise<ImportResult> {
  const spool = await Spool.create(opts.spoolDir);
  try {
    return opts.format === 'zip' ? await importZip(opts, spool) : await importTar(opts, spool);
  } finally {
    await spool.dispose();
  }
}

/** Running totals for `onProgress`. */
function progress(opts: ImportOptions): (size: number) => void {
  let files = 0;
  let bytes = 0;
  return (size) => opts.onProgress?.(++files, (bytes += size));
}

/** Put one member; `content` may be null for a symlink whose target is known. */
async function putMember(writer: EndpointWriter, m: FileMember, content: Buffer | Readable | null, spool: Spool, asPath = m.path): Promise<void> {
  if (m.kind === 'symlink') {
    const target = m.target ?? (Buffer.isBuffer(content) ? content : await readAll(content!, m.size)).toString('utf8');
    await writer.put(asPath, 'symlink', Buffer.from(target, 'utf8'), { target });
    return;
  }
  if (!content) throw new ArchiveFormatError(`No content for ${m.path}`);
  if (Buffer.isBuffer(content)) {
    await writer.put(asPath, m.kind, content, {});
    return;
  }
  if (m.size <= BUFFER_LIMIT) {
    await writer.put(asPath, m.kind, await readAll(content, m.size), {});
    return;
  }
  const { path } = await spool.file(content);
  // The writer may take the file by path and never read the stream.
  const stream = createReadStream(path);
  try {
    await writer.put(asPath, m.kind, stream, { localPath: path });
  } finally {
    stream.destroy();
    await rm(path, { force: true });
  }
}

/** Read a member whose length is known; more bytes than announced is corruption. */
async function readAll(content: Readable, size: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(size);
  let at = 0;
  for await (const chunk of content as AsyncIterable<Buffer>) {
    if (at + chunk.length > size) throw new ArchiveFormatError(`Archive member is longer than its header says (${size} bytes)`);
    chunk.copy(buf, at);
    at += chunk.length;
  }
  if (at !== size) throw new ArchiveFormatError(`Archive member is shorter than its header says (${size} bytes)`);
  return buf;
}

async function importZip(opts: ImportOptions, spool: Spool): Promise<ImportResult> {
  if ('file' in opts.source) await mustExist(opts.source.file, opts.display);
  const file = 'file' in opts.source ? opts.source.file : (await spool.file(opts.source.stream)).path;
  const zip = await ZipReader.open(file, opts.limits, opts.display);
  const tick = progress(opts);
  try {
    if (zip.members.length === 0) throw new ArchiveFormatError('Zip file contains no files');
    for (const m of zip.members) {
      await putMember(opts.writer, m, m.kind === 'symlink' ? null : await zip.read(m.path), spool);
      tick(m.size);
    }
    return { files: zip.members.length, hardLinksSkipped: 0 };
  } finally {
    zip.close();
  }
}

async function mustExist(file: string, display: string): Promise<void> {
  const exists = await stat(file).then((s) => s.isFile(), () => false);
  if (!exists) throw new FileNotFoundError(display);
}

function tarSource(opts: ImportOptions): AsyncIterable<Buffer> {
  return 'file' in opts.source ? createReadStream(opts.source.file) : (opts.source.stream as AsyncIterable<Buffer>);
}

async function importTar(opts: ImportOptions, spool: Spool): Promise<ImportResult> {
  if ('file' in opts.source) await mustExist(opts.source.file, opts.display);
  const readOpts = { limits: opts.limits, display: opts.display };
  const kinds = new Map<string, FileMember>();
  const links: Array<{ path: string; linkTo: string }> = [];
  const tick = progress(opts);
  let files = 0;
  for await (const m of readTar(tarSource(opts), readOpts)) {
    if (m.type === 'hardlink') {
      links.push({ path: m.path, linkTo: m.linkTo });
      continue;
    }
    kinds.set(m.path, { type: 'file', path: m.path, kind: m.kind, size: m.size, ...(m.target !== undefined ? { target: m.target } : {}) });
    await putMember(opts.writer, m, m.content, spool);
    tick(m.size);
    files++;
  }
  const skipped = await resolveHardLinks(opts, spool, kinds, links);
  files += links.length - skipped;
  if (files === 0) throw new ArchiveFormatError('Tar archive contains no files');
  return { files, hardLinksSkipped: skipped };
}

/**
 * Hard links name an earlier member. From a file, a second pass copies that
 * member's content to each link; a stream cannot be read twice, so there each
 * link is skipped with a warning (as the reference does).
 */
async function resolveHardLinks(
  opts: ImportOptions,
  spool: Spool,
  members: Map<string, FileMember>,
  links: Array<{ path: string; linkTo: string }>,
): Promise<number> {
  if (links.length === 0) return 0;
  const linkTo = new Map(links.map((l) => [l.path, l.linkTo]));
  const finalTarget = (p: string): string | null => {
    const seen = new Set<string>();
    let cur = p;
    while (linkTo.has(cur) && !seen.has(cur)) {
      seen.add(cur);
      cur = linkTo.get(cur)!;
    }
    return members.has(cur) ? cur : null;
  };
  const streaming = !('file' in opts.source);
  const wanted = new Map<string, string[]>();
  let skipped = 0;
  for (const l of links) {
    const target = streaming ? null : finalTarget(l.linkTo);
    if (target === null) {
      opts.warn(streaming
        ? `Warning: skipping hard link (unresolvable in streaming mode): ${l.path} -> ${l.linkTo}`
        : `Warning: skipping hard link to a missing member: ${l.path} -> ${l.linkTo}`);
      skipped++;
      continue;
    }
    wanted.set(target, [...(wanted.get(target) ?? []), l.path]);
  }
  if (wanted.size === 0) return skipped;
  for await (const m of readTar(tarSource(opts), { limits: opts.limits, display: opts.display })) {
    if (m.type !== 'file' || !wanted.has(m.path)) continue;
    const paths = wanted.get(m.path)!;
    const { path } = await spool.file(m.content);
    try {
      for (const p of paths) {
        const member = members.get(m.path)!;
        await putMember(opts.writer, { ...member, path: p }, createReadStream(path), spool);
      }
    } finally {
      await rm(path, { force: true });
    }
  }
  return skipped;
}
