/**
 * Branch/tag name validation for `branch set`, `tag set` and `--tag`
 * (cli.md §12): git's check-ref-format rules plus "no colon".
 */
import { CliError } from './errors.js';

/** Throws the spec's `Invalid ref name …` error when `name` is not usable as a branch or tag. */
export function checkRefName(name: string): void {
  if (name.includes(':')) {
    throw new CliError(`Invalid ref name '${name}': contains colon`, { code: 'INVALID_REF_NAME' });
  }
  if (!isValidRefName(name)) {
    throw new CliError(`Invalid ref name: '${name}'`, { code: 'INVALID_REF_NAME' });
  }
}

/** git check-ref-format rules for a short name (with `/` allowed inside). */
export function isValidRefName(name: string): boolean {
  if (name === '' || name === '@') return false;
  // Space, control characters, DEL and git's special characters.
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(name)) return false;
  if (name.includes('..') || name.includes('@{')) return false;
  if (name.startsWith('/') || name.endsWith('/') || name.includes('//')) return false;
  if (name.endsWith('.')) return false;
  return name.split('/').every((part) => !part.startsWith('.') && !part.endsWith('.lock'));
}
