/** The built-in `dir` endpoint plugin: any spec that is not a repo path or URL. */
import { resolve } from 'node:path';
import type { EndpointPlugin } from '../contract.js';
import { DirEndpoint } from './endpoint.js';

export { DirEndpoint } from './endpoint.js';

export const dirPlugin: EndpointPlugin = {
  name: 'dir',
  claims: (spec) => !spec.includes(':') || /^[A-Za-z]:[/\\]/.test(spec) || /[/\\]/.test(spec.slice(0, spec.indexOf(':'))),
  open: async (spec, ctx) => new DirEndpoint(resolve(ctx.cwd, spec), { repoPath: ctx.repoPath, display: spec }),
};
