/** The endpoint registry: explicit registration, scheme routing, claims for plain specs, clear errors. */
import { describe, expect, it } from 'vitest';
import type { EndpointPlugin } from '../../src/plugins/contract.js';
import { registerBuiltins } from '../../src/plugins/builtins.js';
import { pluginFor, registerEndpoint, schemeOf } from '../../src/plugins/registry.js';
import { loadEndpointPlugins } from '../../src/plugins/load.js';

const ctx = { cwd: '/', forWrite: false, env: {} };
const fake = (name: string, scheme?: string): EndpointPlugin => ({
  name,
  scheme,
  open: async () => {
    throw new Error('not opened in this test');
  },
});

describe('endpoint registry', () => {
  it('routes scheme:// specs by scheme and plain specs to ref or dir', () => {
    registerBuiltins();
    registerEndpoint(fake('s3ish', 'bucket'));
    expect(schemeOf('bucket://x/y')).toBe('bucket');
    expect(schemeOf('main:docs')).toBeNull();
    expect(schemeOf('C:/x')).toBeNull();
    expect(pluginFor('bucket://x', ctx).name).toBe('s3ish');
    expect(pluginFor('BUCKET://x', ctx).name).toBe('s3ish');
    expect(pluginFor(':docs', ctx).name).toBe('ref');
    expect(pluginFor('main~2:a:b', ctx).name).toBe('ref');
    expect(pluginFor('./a:b', ctx).name).toBe('dir');
    expect(pluginFor('C:/data', ctx).name).toBe('dir');
    expect(pluginFor('plain/path', ctx).name).toBe('dir');
  });

  it('names unknown schemes and refuses a scheme taken by another plugin', () => {
    registerBuiltins();
    expect(() => pluginFor('nope://x', ctx)).toThrow(/^Unknown endpoint scheme 'nope:\/\/' — no plugin registered for it/);
    registerEndpoint(fake('first', 'dup'));
    expect(() => registerEndpoint(fake('second', 'dup'))).toThrow("Scheme 'dup://' is already registered by plugin 'first'");
    expect(() => registerEndpoint({ name: 'broken' } as unknown as EndpointPlugin)).toThrow('needs a name and an open() function');
  });

  it('loads plugins declared through the vost:endpoints hook, by call or by return value', async () => {
    const runHook = async (event: string, opts: Record<string, unknown>) => {
      expect(event).toBe('vost:endpoints');
      (opts.registerEndpoint as (p: EndpointPlugin) => void)(fake('called', 'viacall'));
      return { successes: [{ result: [fake('returned', 'viareturn')] }], failures: [{ error: new Error('boom'), plugin: { name: 'bad-plugin' } }] };
    };
    let loads = 0;
    const config = async () => {
      loads += 1;
      return { runHook };
    };
    // Specs that built-ins serve never load the plugin list.
    expect(await loadEndpointPlugins(['src/', ':dest', 'zip://a.zip'], config)).toEqual([]);
    expect(loads).toBe(0);
    const warnings = await loadEndpointPlugins(['src/', 'viacall://x'], config);
    expect(loads).toBe(1);
    expect(warnings).toEqual(['plugin bad-plugin: boom']);
    expect(pluginFor('viacall://x', ctx).name).toBe('called');
    expect(pluginFor('viareturn://x', ctx).name).toBe('returned');
  });
});
