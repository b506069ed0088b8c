/**
 * Every error the library throws. Class names, `code` values and message
 * formats are part of the public API (spec/api.md §5). Errors that the spec
 * leaves as plain `Error`s still extend GitStoreError here so that callers
 * (the CLI's single error handler) can recognise them, while `instanceof
 * Error` keeps holding.
 */

export class GitStoreError extends Error {
  /** Stable machine-readable code; the spec fixes it for the ENOENT/EISDIR/ENOTDIR/EPERM classes. */
  code?: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class StaleSnapshotError extends GitStoreError {}

export class FileNotFoundError extends GitStoreError {
  override code = 'ENOENT';
  constructor(readonly path: string) {
    super(`File not found: ${path}`);
  }
}

export class IsADirectoryError extends GitStoreError {
  override code = 'EISDIR';
  constructor(readonly path: string) {
    super(`Is a directory: ${path}`);
  }
}

export class NotADirectoryError extends GitStoreError {
  override code = 'ENOTDIR';
  constructor(readonly path: string) {
    super(`Not a directory: ${path}`);
  }
}

export class PermissionError extends GitStoreError {
  override code = 'EPERM';
}

export class KeyNotFoundError extends GitStoreError {}
export class KeyExistsError extends GitStoreError {}
export class InvalidRefNameError extends GitStoreError {}
export class InvalidPathError extends GitStoreError {}
export class BatchClosedError extends GitStoreError {}

/** Storage-level errors (not in the reference API; additive). */
export class ObjectNotFoundError extends GitStoreError {
  override code = 'OBJECT_NOT_FOUND';
  constructor(readonly oid: string) {
    super(`Object not found: ${oid}`);
  }
}

export class CorruptObjectError extends GitStoreError {
  override code = 'CORRUPT_OBJECT';
  constructor(readonly oid: string, detail: string) {
    super(`Corrupt object ${oid}: ${detail}`);
  }
}

export class CorruptPackError extends GitStoreError {
  override code = 'CORRUPT_PACK';
  constructor(readonly packPath: string, detail: string) {
    super(`Corrupt pack ${packPath}: ${detail}`);
  }
}

/** A compare-and-swap ref update found the ref somewhere else. */
export class RefConflictError extends GitStoreError {
  override code = 'REF_CONFLICT';
  constructor(readonly ref: string, readonly expected: string, readonly actual: string | null) {
    super(`Ref ${ref} is at ${actual ?? '(missing)'}, expected ${expected}`);
  }
}

/** A feature whose name exists in the API but whose implementation has not landed. */
export class NotImplementedError extends GitStoreError {
  override code = 'NOT_IMPLEMENTED';
}

/** An endpoint spec names a scheme no plugin is registered for, or a plugin cannot open it. */
export class EndpointError extends GitStoreError {
  override code = 'ENDPOINT';
}

/**
 * A copy/sync failure whose message is fixed by the CLI spec (cli.md §9-10),
 * e.g. `Local file not found: <path>`; `path` is what the message names.
 */
export class TransferError extends GitStoreError {
  override code = 'TRANSFER';
  constructor(message: string, readonly path?: string) {
    super(message);
  }
}

/** An archive is not what it claims to be: not a zip, a truncated tar, an unknown or unsupported format. */
export class ArchiveFormatError extends GitStoreError {
  override code = 'ARCHIVE_FORMAT';
}

/** An archive entry that could escape its destination or cannot be stored (`..`, absolute, duplicate). */
export class UnsafeArchiveError extends GitStoreError {
  override code = 'ARCHIVE_UNSAFE';
}

/** An archive exceeds a configured total-size or compression-ratio limit (zip bombs). */
export class ArchiveLimitError extends GitStoreError {
  override code = 'ARCHIVE_LIMIT';
}

/** A lock file (`<ref>.lock`, `packed-refs.lock`, `config.lock`) stayed taken past the wait limit. */
export class LockTimeoutError extends GitStoreError {
  override code = 'LOCK_TIMEOUT';
  constructor(readonly lockPath: string) {
    super(`Unable to take lock ${lockPath}: held by another process (remove it if that process died)`);
  }
}
