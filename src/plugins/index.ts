/**
 * Public plugin API (also the `vost/plugin` export): the endpoint contract,
 * the registry, the built-in endpoints and the shared contract helpers.
 */
export type * from './contract.js';
export { registerEndpoint, registeredEndpoints, openEndpoint, pluginFor, schemeOf } from './registry.js';
export { builtinPlugins, registerBuiltins } from './builtins.js';
export { loadEndpointPlugins, ENDPOINT_HOOK, type EndpointHookOptions } from './load.js';
export { DirEndpoint } from './dir/endpoint.js';
export { RefEndpoint } from './ref/endpoint.js';
export { blobIdOf, blobIdOfFile } from './hash.js';
