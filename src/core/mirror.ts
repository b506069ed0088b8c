/** Mirroring and bundles (spec/api.md §17.2-17.4): names and signatures only, until implemented. */
import { NotImplementedError } from './errors.js';
import type { GitStore } from './gitstore.js';
import type { HttpClient, MirrorDiff, RefSpec } from './types.js';

export interface BackupOptions {
  http?: HttpClient;
  dryRun?: boolean;
  onAuth?: (...args: unknown[]) => unknown;
  refs?: RefSpec;
  format?: string;
  squash?: boolean;
}

export type RestoreOptions = Omit<BackupOptions, 'squash'>;

function unavailable(what: string): NotImplementedError {
  return new NotImplementedError(`${what} is not available yet in this version of vost`);
}

export async function backup(_store: GitStore, _url: string, _opts: BackupOptions = {}): Promise<MirrorDiff> {
  throw unavailable('backup()');
}

export async function restore(_store: GitStore, _url: string, _opts: RestoreOptions = {}): Promise<MirrorDiff> {
  throw unavailable('restore()');
}

export async function bundleExport(_store: GitStore, _destPath: string, _refs?: RefSpec, _squash?: boolean): Promise<void> {
  throw unavailable('bundleExport()');
}

export async function bundleImport(_store: GitStore, _bundlePath: string, _refs?: RefSpec): Promise<void> {
  throw unavailable('bundleImport()');
}
