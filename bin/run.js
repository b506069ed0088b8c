#!/usr/bin/env node
// Entry point. Global options (-r/--repo, -v/--verbose, --version) may come
// before the command name, which oclif cannot parse; they are lifted out here
// and handed to commands through the environment. A later --repo on the
// command itself still wins, as the spec requires ("nearest the end wins").
import { execute } from '@oclif/core';
import { liftGlobalOptions } from '../dist/cli/argv.js';

const { argv, env, version } = liftGlobalOptions(process.argv.slice(2));
Object.assign(process.env, env);
if (version) {
  const { readFileSync } = await import('node:fs');
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`vost, version ${pkg.version}\n`);
  process.exit(0);
}
await execute({ args: argv, dir: import.meta.url });
