/** The storage layer: object database (loose + packs), refs, repository layout and config. */
export * from './types.js';
export { initBareRepo, isRepository, type InitOptions } from './init.js';
export { openRepository, type OpenOptions, type Repository } from './repository.js';
export {
  FileObjectStore,
  DEFAULT_BIG_FILE_THRESHOLD,
  type ObjectStoreOptions,
  type PackWriterOptions,
} from './object-store.js';
export { FilePackWriter } from './pack-writer.js';
export type { ImportPackResult } from './pack-import.js';
export { listObjects, packStream } from './pack-export.js';
export { FileRefStore, checkRefName } from './refs.js';
export { RepoConfig, readRepoConfig, updateRepoConfig, parseGitSize } from './config.js';
export { LockFile } from './lock.js';
export { nodeRepoFs, type RepoFs, type RepoStat, type RandomAccessFile, type WritableFile, type DirEntry } from './repo-fs.js';
export { repoFsFor } from './repo-fs-module.js';
