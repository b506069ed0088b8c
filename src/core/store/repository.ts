import { join } from 'node:path';
import { parseGitSize, readRepoConfig } from './config.js';
import { FileObjectStore } from './object-store.js';
import { FileRefStore } from './refs.js';
import { nodeRepoFs, type RepoFs } from './repo-fs.js';

export interface OpenOptions {
  /** Overrides core.compression (0-9). */
  compression?: number;
  /** Overrides core.bigFileThreshold (bytes). */
  bigFileThreshold?: number;
  /** gc keeps unreachable objects younger than this many ms (default 0). */
  pruneGraceMs?: number;
  /** The filesystem the repository lives on (default: Node's); every store opened here uses it. */
  fs?: RepoFs;
}

export interface Repository {
  gitdir: string;
  objects: FileObjectStore;
  refs: FileRefStore;
}

/** Open a repository's stores; cheap (reads only `config`), packs are indexed on first use. */
export async function openRepository(gitdir: string, opts: OpenOptions = {}): Promise<Repository> {
  const fs = opts.fs ?? nodeRepoFs;
  const config = await readRepoConfig(gitdir, fs);
  const level = opts.compression ?? parseLevel(config.get('core', 'compression'));
  const threshold = opts.bigFileThreshold ?? parseGitSize(config.get('core', 'bigFileThreshold'));
  const objects = new FileObjectStore(join(gitdir, 'objects'), {
    ...(level !== undefined ? { compression: level } : {}),
    ...(threshold !== undefined ? { bigFileThreshold: threshold } : {}),
    ...(opts.pruneGraceMs !== undefined ? { pruneGraceMs: opts.pruneGraceMs } : {}),
    fs,
  });
  return { gitdir, objects, refs: new FileRefStore(gitdir, { fs }) };
}

/** core.compression: -1 means zlib's default; anything outside 0-9 is ignored. */
function parseLevel(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number.parseInt(value, 10);
  if (n === -1) return 6;
  return Number.isInteger(n) && n >= 0 && n <= 9 ? n : undefined;
}
