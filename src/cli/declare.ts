/**
 * How commands declare their flags and arguments. Every command imports
 * `Flags` and `Args` from here, never from oclif, so that a command can be
 * loaded and run without loading oclif (see bin/run.js).
 */
export { Args, Flags } from '@oclif/core';
