/**
 * Loading third-party endpoint plugins. An installed oclif plugin declares
 * its endpoints with a hook in its package.json:
 *
 *   "oclif": { "hooks": { "vost:endpoints": "./dist/endpoints.js" } }
 *
 * The hook module's default export receives `{ registerEndpoint }` (vost's
 * own registry; a plugin must not import a second copy) and may also return
 * a plugin or an array of plugins. cp and sync run the hook when one of
 * their specs names a scheme no built-in serves: finding the installed
 * plugins means loading oclif's plugin list, which a plain copy should not
 * pay for at every start. Nothing is guessed from the environment.
 */
import type { EndpointPlugin } from './contract.js';
import { registerBuiltins } from './builtins.js';
import { registerEndpoint, registeredEndpoints, schemeOf } from './registry.js';

export const ENDPOINT_HOOK = 'vost:endpoints';

/** What a `vost:endpoints` hook is called with. */
export interface EndpointHookOptions {
  registerEndpoint: (plugin: EndpointPlugin) => void;
}

/** The part of an oclif Config this needs. */
export interface HookRunner {
  runHook(event: string, opts: Record<string, unknown>): Promise<{ successes: Array<{ result: unknown }>; failures: Array<{ error: Error; plugin: { name: string } }> }>;
}

/**
 * Registers the built-ins, then, when `specs` need a scheme they lack, every
 * plugin declared through the hook (`config` is called only then). Returns
 * the hook failures as warnings (a broken plugin must not stop a copy that
 * does not need it).
 */
export async function loadEndpointPlugins(specs: readonly string[], config: () => Promise<HookRunner>): Promise<string[]> {
  registerBuiltins();
  const known = new Set(registeredEndpoints().map((p) => p.scheme?.toLowerCase()));
  const missing = specs.map(schemeOf).some((scheme) => scheme !== null && !known.has(scheme));
  if (!missing) return [];
  const opts: EndpointHookOptions = { registerEndpoint };
  const { successes, failures } = await (await config()).runHook(ENDPOINT_HOOK, opts as unknown as Record<string, unknown>);
  for (const { result } of successes) {
    const list = Array.isArray(result) ? result : result ? [result] : [];
    for (const p of list) registerEndpoint(p as EndpointPlugin);
  }
  return failures.map((f) => `plugin ${f.plugin.name}: ${f.error.message}`);
}
