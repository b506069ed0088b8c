// Package entry: `import { GitStore } from 'vost'`.
export * from './core/index.js';
// Endpoint plugin API (also the `vost/plugin` export); the side-effect of
// importing the transfer layer registers FS.copyIn/copyOut/syncIn/syncOut.
export * from './plugins/index.js';
import './transfer/library.js';
