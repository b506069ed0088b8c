/**
 * The endpoint registry. Plugins are registered explicitly: the built-ins at
 * start-up, third-party packages through the `vost:endpoints` oclif hook
 * (see load.ts), library users through `registerEndpoint`. Specs of the form
 * `scheme://…` are routed by scheme only; everything else goes to the first
 * plugin whose `claims` accepts it (the built-in dir/ref split on `:`).
 */
import { EndpointError } from '../core/errors.js';
import type { Endpoint, EndpointPlugin, ResolveContext } from './contract.js';

const plugins = new Map<string, EndpointPlugin>();

const SCHEME_RE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;

/** Register (or replace, by name) an endpoint plugin. */
export function registerEndpoint(plugin: EndpointPlugin): void {
  if (!plugin || typeof plugin.name !== 'string' || typeof plugin.open !== 'function') {
    throw new EndpointError('An endpoint plugin needs a name and an open() function');
  }
  if (plugin.scheme) {
    for (const other of plugins.values()) {
      if (other.name !== plugin.name && other.scheme === plugin.scheme) {
        throw new EndpointError(`Scheme '${plugin.scheme}://' is already registered by plugin '${other.name}'`);
      }
    }
  }
  plugins.set(plugin.name, plugin);
}

export function registeredEndpoints(): EndpointPlugin[] {
  return [...plugins.values()];
}

/** The URL scheme of a spec (`zip` for `zip://a.zip`), or null for plain paths. */
export function schemeOf(spec: string): string | null {
  const m = SCHEME_RE.exec(spec);
  return m ? m[1].toLowerCase() : null;
}

/** The plugin that owns a spec, or an EndpointError naming the unknown scheme. */
export function pluginFor(spec: string, ctx: ResolveContext): EndpointPlugin {
  const scheme = schemeOf(spec);
  if (scheme !== null) {
    for (const p of plugins.values()) if (p.scheme?.toLowerCase() === scheme) return p;
    const known = [...plugins.values()].filter((p) => p.scheme).map((p) => `${p.scheme}://`);
    throw new EndpointError(
      `Unknown endpoint scheme '${scheme}://' — no plugin registered for it` +
        (known.length ? ` (known: ${known.join(', ')})` : ''),
    );
  }
  for (const p of plugins.values()) if (!p.scheme && p.claims?.(spec, ctx)) return p;
  throw new EndpointError(`No endpoint plugin accepts '${spec}'`);
}

export async function openEndpoint(spec: string, ctx: ResolveContext): Promise<Endpoint> {
  return pluginFor(spec, ctx).open(spec, ctx);
}
