/**
 * Zip-bomb defences: a cap on the total expanded size and on the ratio of
 * expanded to compressed bytes. Both come from flags or the environment
 * (`VOST_ARCHIVE_MAX_SIZE`, `VOST_ARCHIVE_MAX_RATIO`); 0 disables a limit.
 */
import { ArchiveLimitError } from '../../core/errors.js';

export interface ArchiveLimits {
  /** Most bytes all entries may expand to; 0 = unlimited. */
  maxTotalBytes: number;
  /** Most expanded bytes per compressed byte; 0 = unlimited. */
  maxRatio: number;
}

export const DEFAULT_LIMITS: Readonly<ArchiveLimits> = {
  maxTotalBytes: 64 * 1024 ** 3,
  maxRatio: 2000,
};

/**
 * Below this many expanded bytes the ratio is not judged: tiny archives of
 * repetitive text legitimately compress far better than any sane ratio.
 */
export const RATIO_FLOOR = 64 * 1024 ** 2;

const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** Parse `123`, `10k`, `512M`, `2G`, `1T` (binary units, optional trailing `b`/`ib`). */
export function parseSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(text);
  if (!m) throw new ArchiveLimitError(`Invalid size: ${text} (use e.g. 500M or 2G)`);
  return Math.floor(Number(m[1]) * UNITS[m[2]!.toLowerCase()]!);
}

function parseRatio(text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0) throw new ArchiveLimitError(`Invalid ratio: ${text} (use a number, 0 = unlimited)`);
  return n;
}

/** Limits from explicit overrides, then the environment, then the defaults. */
export function resolveLimits(
  env: NodeJS.ProcessEnv,
  overrides: { maxSize?: string; maxRatio?: string } = {},
): ArchiveLimits {
  const size = overrides.maxSize ?? env['VOST_ARCHIVE_MAX_SIZE'];
  const ratio = overrides.maxRatio ?? env['VOST_ARCHIVE_MAX_RATIO'];
  return {
    maxTotalBytes: size !== undefined && size !== '' ? parseSize(size) : DEFAULT_LIMITS.maxTotalBytes,
    maxRatio: ratio !== undefined && ratio !== '' ? parseRatio(ratio) : DEFAULT_LIMITS.maxRatio,
  };
}

/** Throws ArchiveLimitError when `expanded` bytes from `compressed` bytes break a limit. */
export function checkLimits(limits: ArchiveLimits, expanded: number, compressed: number): void {
  if (limits.maxTotalBytes > 0 && expanded > limits.maxTotalBytes) {
    throw new ArchiveLimitError(
      `Archive expands to more than ${limits.maxTotalBytes} bytes (limit: --max-size or VOST_ARCHIVE_MAX_SIZE)`,
    );
  }
  if (limits.maxRatio > 0 && expanded > RATIO_FLOOR && expanded > limits.maxRatio * Math.max(compressed, 1)) {
    throw new ArchiveLimitError(
      `Archive compression ratio exceeds ${limits.maxRatio}:1 (limit: --max-ratio or VOST_ARCHIVE_MAX_RATIO)`,
    );
  }
}
