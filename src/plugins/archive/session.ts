/**
 * The whole of an archive export or import against a repository snapshot,
 * as the archive commands run them (no CLI concerns here: the commands parse
 * flags, resolve the snapshot and print; this moves the bytes).
 */
import { resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { FS } from '../../core/fs.js';
import type { EndpointWriter } from '../contract.js';
import { RefEndpoint } from '../ref/endpoint.js';
import type { BlobReader } from './export.js';
import type { ArchiveFormat } from './format.js';
import type { ImportResult } from './import.js';
import type { ArchiveLimits } from './limits.js';

export interface ExportRequest {
  snapshot: FS;
  format: ArchiveFormat;
  /** `-` for `stdout`. */
  file: string;
  cwd: string;
  stdout: Writable;
  onProgress?(files: number, bytes: number): void;
}

/** Write the snapshot's files to FILE (atomically) or stdout; returns the file count. */
export async function exportSnapshot(req: ExportRequest): Promise<number> {
  // Loaded here, not at the top: an export never needs the readers (yauzl alone is a noticeable share of start-up).
  const [{ openArchiveOutput }, { exportEndpoint }] = await Promise.all([import('./output.js'), import('./export.js')]);
  const target = req.file === '-' ? { stream: req.stdout } : { file: resolve(req.cwd, req.file) };
  const output = await openArchiveOutput(target, req.format);
  try {
    const mtimeMs = (await req.snapshot._getCommitTime()) * 1000;
    const count = await exportEndpoint(new RefEndpoint(req.snapshot), output, {
      mtimeMs,
      readBlob: await blobReader(req.snapshot),
      ...(req.onProgress ? { onProgress: req.onProgress } : {}),
    });
    await output.finish();
    return count;
  } catch (e) {
    await output.abort();
    throw e;
  }
}

/** Blobs up to this size are read whole; bigger ones are streamed. */
const WHOLE_BLOB_LIMIT = 1 << 20;

async function blobReader(snapshot: FS): Promise<BlobReader> {
  const repo = await snapshot._repo();
  return async (oid) => {
    const header = await repo.objects.readHeader(oid);
    if (header && header.size > WHOLE_BLOB_LIMIT) {
      const { stream } = await repo.objects.stream(oid);
      return { stream, size: header.size };
    }
    return repo.readBlob(oid);
  };
}

export interface ImportRequest {
  /** Branch tip to import onto. */
  tip: FS;
  format: 'zip' | 'tar';
  /** `-` for stdin. */
  file: string;
  cwd: string;
  stdin: Readable;
  limits: ArchiveLimits;
  /** Repository directory (spool files live there, next to the pack they become). */
  repoDir: string;
  message?: string;
  warn(line: string): void;
  onProgress?(files: number, bytes: number): void;
  /** Commits through the caller (so it can map a stale snapshot to its own error). */
  commit(writer: EndpointWriter): Promise<string | null>;
}

/** Import the archive as one commit on the tip's branch; `commit` is null when nothing changed. */
export async function importToSnapshot(req: ImportRequest): Promise<ImportResult & { commit: string | null }> {
  const { importArchive } = await import('./import.js');
  const writer = await new RefEndpoint(req.tip).writer({ ...(req.message ? { message: req.message } : {}), operation: 'ar' });
  try {
    const result = await importArchive({
      format: req.format,
      source: req.file === '-' ? { stream: req.stdin } : { file: resolve(req.cwd, req.file) },
      display: req.file,
      limits: req.limits,
      spoolDir: req.repoDir,
      writer,
      warn: req.warn,
      ...(req.onProgress ? { onProgress: req.onProgress } : {}),
    });
    return { ...result, commit: await req.commit(writer) };
  } catch (e) {
    await writer.abort().catch(() => undefined);
    throw e;
  }
}
