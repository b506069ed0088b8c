/**
 * FS.copyIn/copyOut/syncIn/syncOut are implemented by the transfer layer
 * (src/transfer), which sits above core. It registers itself here when the
 * package entry is imported, so core never imports upwards.
 */
import { NotImplementedError } from './errors.js';
import type { ExcludeFilter } from './exclude.js';
import type { FS } from './fs.js';

export interface CopyInOptions {
  dryRun?: boolean;
  followSymlinks?: boolean;
  message?: string;
  mode?: string;
  ignoreExisting?: boolean;
  delete?: boolean;
  ignoreErrors?: boolean;
  checksum?: boolean;
  exclude?: ExcludeFilter;
  parents?: FS[];
  operation?: string;
}

export interface CopyOutOptions {
  dryRun?: boolean;
  ignoreExisting?: boolean;
  delete?: boolean;
  ignoreErrors?: boolean;
  checksum?: boolean;
}

export interface SyncInOptions {
  dryRun?: boolean;
  message?: string;
  ignoreErrors?: boolean;
  checksum?: boolean;
  exclude?: ExcludeFilter;
  parents?: FS[];
}

export interface SyncOutOptions {
  dryRun?: boolean;
  ignoreErrors?: boolean;
  checksum?: boolean;
}

export interface TransferOps {
  copyIn(fs: FS, sources: string | string[], dest: string, opts: CopyInOptions): Promise<FS>;
  copyOut(fs: FS, sources: string | string[], dest: string, opts: CopyOutOptions): Promise<FS>;
  syncIn(fs: FS, localPath: string, repoPath: string, opts: SyncInOptions): Promise<FS>;
  syncOut(fs: FS, repoPath: string, localPath: string, opts: SyncOutOptions): Promise<FS>;
}

let registered: TransferOps | null = null;

export function registerTransferOps(ops: TransferOps): void {
  registered = ops;
}

/** The registered implementation, or a clear error naming the missing layer. */
export function transferOps(method: keyof TransferOps): TransferOps {
  if (!registered) throw new NotImplementedError(`${method} requires the transfer layer (import "vost")`);
  return registered;
}
