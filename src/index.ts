// Package entry: `import { GitStore } from 'vost'`.
export * from './core/index.js';
