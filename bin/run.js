#!/usr/bin/env node
// Entry point. Global options (-r/--repo, -v/--verbose, --version) may come
// before the command name or after a group name (`vost note -r X list`),
// which oclif cannot parse; they are lifted out here and handed to commands
// through the environment. A later --repo on the command itself still wins,
// as the spec requires ("nearest the end wins").
import { readFileSync } from 'node:fs';

// oclif checks the Node version against its own package.json at load, which
// costs semver's start-up and cannot find that file from inside the bundle
// anyway; package.json's engines field states our requirement.
const engineWarning = process.env.OCLIF_DISABLE_ENGINE_WARNING;
process.env.OCLIF_DISABLE_ENGINE_WARNING = '1';
// dist/bundle/cli.js: oclif and the command table, bundled by scripts/bundle.js.
const { COMMANDS, execute, groupsOf, liftGlobalOptions } = await import('../dist/bundle/cli.js');
if (engineWarning === undefined) delete process.env.OCLIF_DISABLE_ENGINE_WARNING;
else process.env.OCLIF_DISABLE_ENGINE_WARNING = engineWarning;

const readJson = (rel) => JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8'));

const { argv, env, version } = liftGlobalOptions(process.argv.slice(2), groupsOf(Object.keys(COMMANDS)));
Object.assign(process.env, env);
if (version) {
  process.stdout.write(`vost, version ${readJson('../package.json').version}\n`);
  process.exit(0);
}
// We always run the compiled dist/: without this, NODE_ENV=test or
// development makes oclif parse tsconfig and look for tsx/ts-node at every start.
globalThis.oclif = { ...globalThis.oclif, enableAutoTranspile: false };
await execute({ args: argv, dir: import.meta.url });
