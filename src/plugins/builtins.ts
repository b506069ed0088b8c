/**
 * The built-in endpoint plugins, registered at start-up in this order (the
 * first whose `claims` accepts a scheme-less spec wins). Archive formats add
 * their lines here.
 */
import type { EndpointPlugin } from './contract.js';
import { dirPlugin } from './dir/index.js';
import { refPlugin } from './ref/index.js';
import { tarPlugin, zipPlugin } from './archive/index.js';
import { registerEndpoint, registeredEndpoints } from './registry.js';

export const builtinPlugins: EndpointPlugin[] = [
  refPlugin,
  dirPlugin,
  zipPlugin,
  tarPlugin,
];

/** Idempotent: registers every built-in plugin not registered yet. */
export function registerBuiltins(): void {
  const have = new Set(registeredEndpoints().map((p) => p.name));
  for (const p of builtinPlugins) if (!have.has(p.name)) registerEndpoint(p);
}
