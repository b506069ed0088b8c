/**
 * The built-in endpoint plugins, registered at start-up in this order (the
 * first whose `claims` accepts a scheme-less spec wins). Archive formats add
 * their lines here. Scheme plugins are loaded lazily: cp/sync start-up must
 * not pay for archive libraries a plain folder copy never uses.
 */
import type { EndpointPlugin } from './contract.js';
import { dirPlugin } from './dir/index.js';
import { refPlugin } from './ref/index.js';
import { registerEndpoint, registeredEndpoints } from './registry.js';

/** A scheme plugin whose module is imported on first use. */
function lazyScheme(name: string, scheme: string, load: () => Promise<EndpointPlugin>): EndpointPlugin {
  return { name, scheme, open: async (spec, ctx) => (await load()).open(spec, ctx) };
}

export const builtinPlugins: EndpointPlugin[] = [
  refPlugin,
  dirPlugin,
  lazyScheme('zip', 'zip', async () => (await import('./archive/index.js')).zipPlugin),
  lazyScheme('tar', 'tar', async () => (await import('./archive/index.js')).tarPlugin),
];

/** Idempotent: registers every built-in plugin not registered yet. */
export function registerBuiltins(): void {
  const have = new Set(registeredEndpoints().map((p) => p.name));
  for (const p of builtinPlugins) if (!have.has(p.name)) registerEndpoint(p);
}
