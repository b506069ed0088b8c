/** Plain data shapes of the public API (spec/api.md §7, §20). */
import type { FileType } from './modes.js';

export interface WalkEntry {
  name: string;
  oid: string;
  mode: string;
}

export interface StatResult {
  mode: number;
  fileType: FileType;
  size: number;
  hash: string;
  nlink: number;
  mtime: number;
}

export interface WriteEntry {
  data?: Uint8Array | string;
  mode?: FileType | string;
  target?: string;
}

export interface FileEntry {
  path: string;
  type: FileType;
  src?: string;
}

export interface ChangeAction {
  path: string;
  action: 'add' | 'update' | 'delete';
}

export interface ChangeError {
  path: string;
  error: string;
}

export interface ChangeReport {
  add: FileEntry[];
  update: FileEntry[];
  delete: FileEntry[];
  errors: ChangeError[];
  warnings: ChangeError[];
}

export interface RefChange {
  ref: string;
  oldTarget?: string;
  newTarget?: string;
}

export interface MirrorDiff {
  add: RefChange[];
  update: RefChange[];
  delete: RefChange[];
}

export interface ReflogEntry {
  oldSha: string;
  newSha: string;
  committer: string;
  timestamp: number;
  message: string;
}

export interface Signature {
  name: string;
  email: string;
}

export interface CommitInfo {
  message: string;
  time: Date;
  authorName: string;
  authorEmail: string;
}

export type RefSpec = string[] | Record<string, string>;

interface StatLike {
  mode: number;
  size: number;
  isDirectory(): boolean;
  isFile(): boolean;
  isSymbolicLink(): boolean;
  mtimeMs: number;
}

/** Node-`fs`-compatible module; only the promise API and realpathSync are used. */
export interface FsModule {
  promises: {
    readFile(path: string, options?: { encoding?: string }): Promise<Uint8Array | string>;
    writeFile(path: string, data: Uint8Array | string, options?: { mode?: number }): Promise<void>;
    unlink(path: string): Promise<void>;
    readdir(path: string): Promise<string[]>;
    mkdir(path: string, options?: { recursive?: boolean }): Promise<string | undefined>;
    rmdir(path: string): Promise<void>;
    stat(path: string): Promise<StatLike>;
    lstat(path: string): Promise<StatLike>;
    readlink(path: string): Promise<string>;
    symlink(target: string, path: string): Promise<void>;
    chmod(path: string, mode: number): Promise<void>;
    access(path: string, mode?: number): Promise<void>;
    appendFile(path: string, data: Uint8Array | string): Promise<void>;
    rename(path: string, newPath: string): Promise<void>;
    open(path: string, flags: string | number, mode?: number): Promise<{ close(): Promise<void> }>;
    rm?(path: string, options?: { recursive?: boolean; force?: boolean }): Promise<void>;
  };
  realpathSync(path: string): string;
  readFile?: Function;
  writeFile?: Function;
  unlink?: Function;
  readdir?: Function;
  mkdir?: Function;
  rmdir?: Function;
  stat?: Function;
  lstat?: Function;
  readlink?: Function;
  symlink?: Function;
  chmod?: Function;
}

/** isomorphic-git style HTTP client. */
export interface HttpClient {
  request: Function;
}
