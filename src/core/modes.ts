/** Git tree-entry modes and the FileType vocabulary built on them (spec/api.md §4). */

export const MODE_TREE = '040000';
export const MODE_BLOB = '100644';
export const MODE_BLOB_EXEC = '100755';
export const MODE_LINK = '120000';
/** A submodule: the entry's id names a commit of another repository. */
export const MODE_GITLINK = '160000';

export const FileType = {
  BLOB: 'blob',
  EXECUTABLE: 'executable',
  LINK: 'link',
  TREE: 'tree',
} as const;
export type FileType = (typeof FileType)[keyof typeof FileType];

const MODE_TO_TYPE: Record<string, FileType> = {
  [MODE_BLOB]: FileType.BLOB,
  [MODE_BLOB_EXEC]: FileType.EXECUTABLE,
  [MODE_LINK]: FileType.LINK,
  [MODE_TREE]: FileType.TREE,
};

const TYPE_TO_MODE: Record<string, string> = {
  blob: MODE_BLOB,
  executable: MODE_BLOB_EXEC,
  link: MODE_LINK,
  tree: MODE_TREE,
};

/** Git mode string → FileType; throws for anything else (e.g. gitlinks). */
export function fileTypeFromMode(mode: string): FileType {
  const ft = MODE_TO_TYPE[normalizeModeString(mode)];
  if (ft === undefined) throw new Error(`Unknown git mode: ${mode}`);
  return ft;
}

/** FileType → six-character git mode string. */
export function fileModeFromType(ft: FileType): string {
  const mode = TYPE_TO_MODE[ft];
  if (mode === undefined) throw new Error(`Unknown file type: ${String(ft)}`);
  return mode;
}

/** Git writes trees as `40000`; the API always speaks six characters. */
export function normalizeModeString(mode: string): string {
  return mode === '40000' ? MODE_TREE : mode;
}

export function modeToInt(mode: string): number {
  return parseInt(mode, 8);
}

export function isTreeMode(mode: string): boolean {
  return mode === MODE_TREE || mode === '40000';
}

const WRITABLE_MODES = new Set([MODE_BLOB, MODE_BLOB_EXEC, MODE_LINK]);

/**
 * Resolve a write-mode option (FileType name or six-digit mode) to a mode
 * string. Trees and unknown values are rejected: writing them would produce
 * an invalid tree entry.
 */
export function resolveWriteMode(mode: FileType | string | undefined, fallback: string = MODE_BLOB): string {
  if (mode === undefined || mode === null) return fallback;
  const resolved = /^[0-7]{6}$/.test(mode) ? mode : TYPE_TO_MODE[mode];
  if (resolved === undefined || !WRITABLE_MODES.has(resolved)) {
    throw new TypeError(`Invalid write mode: ${String(mode)} (expected blob, executable, link or 100644/100755/120000)`);
  }
  return resolved;
}
