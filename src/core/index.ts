/** The vost library: everything the package root exports (spec/api.md §3). */
export { GitStore, RepositoryNotFoundError, type OpenOptions } from './gitstore.js';
export { FS, type WriteOptions } from './fs.js';
export { Batch, type BatchOptions } from './batch.js';
export { DEFAULT_AUTO_PACK_LIMITS, type AutoPackLimits } from './auto-pack.js';
export { FsWriter, BatchWriter, type WriterMode } from './writers.js';
export { RefDict } from './refdict.js';
export { NoteDict, NoteNamespace, NotesBatch } from './notes.js';
export { retryWrite, type RetryWriteOptions } from './retry.js';
export { resolveCredentials } from './credentials.js';
export { backup, restore, bundleExport, bundleImport, type BackupOptions, type RestoreOptions } from './mirror.js';
export { registerTransferOps, type TransferOps, type CopyInOptions, type CopyOutOptions, type SyncInOptions, type SyncOutOptions } from './transfer-hook.js';
export {
  FileType,
  fileTypeFromMode,
  fileModeFromType,
  modeToInt,
  resolveWriteMode,
  MODE_BLOB,
  MODE_BLOB_EXEC,
  MODE_LINK,
  MODE_TREE,
} from './modes.js';
export { normalizePath, validateRefName, isRootPath } from './paths.js';
export {
  emptyChangeReport,
  changeReportInSync,
  changeReportTotal,
  changeReportActions,
  mirrorDiffInSync,
  mirrorDiffTotal,
  finalizeChanges,
  fileEntryFromMode,
} from './changes.js';
export { formatCommitMessage, autoMessage, MessageTemplateError, type FormatMessageOptions } from './message.js';
export { globMatch, globToRegExp } from './glob.js';
export { diskGlob, type DiskGlobOptions } from './disk-glob.js';
export { ExcludeFilter, type ExcludeFilterOptions } from './exclude.js';
export { withRepoLock } from './lock.js';
export {
  GitStoreError,
  StaleSnapshotError,
  FileNotFoundError,
  IsADirectoryError,
  NotADirectoryError,
  PermissionError,
  KeyNotFoundError,
  KeyExistsError,
  InvalidRefNameError,
  InvalidPathError,
  BatchClosedError,
  NotImplementedError,
} from './errors.js';
export type {
  WalkEntry,
  WriteEntry,
  StatResult,
  FileEntry,
  ChangeAction,
  ChangeError,
  ChangeReport,
  RefChange,
  MirrorDiff,
  CommitInfo,
  ReflogEntry,
  Signature,
  FsModule,
  HttpClient,
  RefSpec,
} from './types.js';
