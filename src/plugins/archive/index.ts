/**
 * The built-in `zip://` and `tar://` endpoint plugins. `zip://docs.zip`,
 * `tar://vendor.tar.gz` (compression from the name; any compression is
 * recognised when reading), `zip:///abs/path.zip`, and `-` for stdin or
 * stdout. Limits come from VOST_ARCHIVE_MAX_SIZE / VOST_ARCHIVE_MAX_RATIO.
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { EndpointError, FileNotFoundError } from '../../core/errors.js';
import type { EndpointPlugin, ResolveContext } from '../contract.js';
import { ArchiveEndpoint } from './endpoint.js';
import { tarCompressionFromName, type ArchiveFormat } from './format.js';
import { resolveLimits } from './limits.js';

export { ArchiveEndpoint } from './endpoint.js';

function openArchive(scheme: 'zip' | 'tar', spec: string, ctx: ResolveContext): ArchiveEndpoint {
  const rest = spec.slice(`${scheme}://`.length).replace(/(.)\/+$/, '$1');
  if (rest === '') throw new EndpointError(`${scheme}:// needs a file name, e.g. ${scheme}://archive.${scheme === 'zip' ? 'zip' : 'tar.gz'}`);
  const stdio = rest === '-';
  const file = stdio ? null : resolve(ctx.cwd, rest);
  if (file !== null && !ctx.forWrite && !existsSync(file)) throw new FileNotFoundError(rest);
  const format: ArchiveFormat = scheme === 'zip' ? { kind: 'zip' } : { kind: 'tar', compression: stdio ? 'none' : tarCompressionFromName(rest) };
  return new ArchiveEndpoint({
    file,
    format,
    display: spec,
    limits: resolveLimits(ctx.env),
    spoolDir: ctx.repoPath ?? tmpdir(),
    forWrite: ctx.forWrite,
  });
}

export const zipPlugin: EndpointPlugin = {
  name: 'zip',
  scheme: 'zip',
  open: async (spec, ctx) => openArchive('zip', spec, ctx),
};

export const tarPlugin: EndpointPlugin = {
  name: 'tar',
  scheme: 'tar',
  open: async (spec, ctx) => openArchive('tar', spec, ctx),
};
