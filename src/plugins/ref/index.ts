/**
 * The built-in `ref` endpoint plugin: `[ref]:…` specs (cli.md §3.1). The
 * endpoint is the whole snapshot; the CLI splits off the path part itself.
 */
import { EndpointError } from '../../core/errors.js';
import { GitStore } from '../../core/gitstore.js';
import type { EndpointPlugin, ResolveContext } from '../contract.js';
import { RefEndpoint } from './endpoint.js';

export { RefEndpoint } from './endpoint.js';

/** True for `ref:path` / `:path` specs, false for local paths (drive letters, a `/` before the `:`). */
export function isRepoSpec(spec: string): boolean {
  const colon = spec.indexOf(':');
  if (colon < 0) return false;
  const before = spec.slice(0, colon);
  if (/^\p{L}$/u.test(before) && /^[/\\]/.test(spec.slice(colon + 1))) return false;
  return !/[/\\]/.test(before);
}

async function openRef(spec: string, ctx: ResolveContext): Promise<RefEndpoint> {
  if (!ctx.repoPath) throw new EndpointError('No repository specified. Use --repo or set VOST_REPO.');
  const store = await GitStore.open(ctx.repoPath, { create: false });
  const ref = spec.slice(0, spec.indexOf(':'));
  const fs = ref === '' ? await store.branches.getCurrent() : await store.fs(ref);
  if (!fs) throw new EndpointError('The repository has no current branch');
  return new RefEndpoint(fs, { display: spec });
}

export const refPlugin: EndpointPlugin = {
  name: 'ref',
  claims: (spec) => isRepoSpec(spec),
  open: openRef,
};
