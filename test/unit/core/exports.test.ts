import { describe, expect, it } from 'vitest';
import * as vost from '../../../src/index.js';
import { GitStore, NotImplementedError, bundleExport } from '../../../src/index.js';

const VALUES = [
  'GitStore', 'FS', 'retryWrite', 'Batch', 'FsWriter', 'BatchWriter', 'RefDict', 'NoteDict', 'NoteNamespace',
  'NotesBatch', 'FileType', 'fileTypeFromMode', 'fileModeFromType', 'MODE_BLOB', 'MODE_BLOB_EXEC', 'MODE_LINK',
  'MODE_TREE', 'GitStoreError', 'StaleSnapshotError', 'FileNotFoundError', 'IsADirectoryError', 'NotADirectoryError',
  'PermissionError', 'KeyNotFoundError', 'KeyExistsError', 'InvalidRefNameError', 'InvalidPathError',
  'BatchClosedError', 'emptyChangeReport', 'changeReportInSync', 'changeReportTotal', 'changeReportActions',
  'mirrorDiffInSync', 'mirrorDiffTotal', 'resolveCredentials', 'bundleExport', 'bundleImport', 'diskGlob',
  'ExcludeFilter', 'normalizePath', 'validateRefName', 'formatCommitMessage', 'registerTransferOps',
];

describe('package entry', () => {
  it('exports every name of the public API', () => {
    for (const name of VALUES) expect(vost, name).toHaveProperty(name);
    expect(vost.FileType.BLOB).toBe('blob');
    expect(vost.MODE_TREE).toBe('040000');
  });

  it('error classes keep names, codes and instanceof', () => {
    const e = new vost.FileNotFoundError('x');
    expect(e).toBeInstanceOf(vost.GitStoreError);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('FileNotFoundError');
    expect(e.code).toBe('ENOENT');
    expect(new vost.PermissionError('m').code).toBe('EPERM');
  });

  it('mirroring entry points exist and say they are not available yet', async () => {
    const store = new GitStore(await import('node:fs') as never, '/nonexistent');
    await expect(store.backup('/tmp/x')).rejects.toBeInstanceOf(NotImplementedError);
    await expect(store.restore('/tmp/x')).rejects.toThrow('restore() is not available yet');
    await expect(store.bundleImport('/tmp/x.bundle')).rejects.toThrow(/not available yet/);
    await expect(bundleExport(store, '/tmp/x.bundle')).rejects.toBeInstanceOf(NotImplementedError);
  });
});
