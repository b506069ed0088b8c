// The `vost:endpoints` oclif hook: vost calls it at start-up of cp/sync with
// its own registry function, so this package never imports a second vost.
import { memPlugin } from './mem.js';

/** @param {{ registerEndpoint: (plugin: import('vost/plugin').EndpointPlugin) => void }} options */
export default async function registerMem(options) {
  options.registerEndpoint(memPlugin);
}
