#!/usr/bin/env node
// Entry point. Global options (-r/--repo, -v/--verbose, --version) may come
// before the command name or after a group name (`vost note -r X list`),
// which oclif cannot parse; they are lifted out here and handed to commands
// through the environment. A later --repo on the command itself still wins,
// as the spec requires ("nearest the end wins").
//
// A built-in command runs straight from dist/bundle/start.js; oclif
// (dist/bundle/cli.js) is loaded only for help, unknown commands and plugin
// commands (see src/cli/start.ts).
import { readFileSync } from 'node:fs';

const start = await import('../dist/bundle/start.js');
const ids = new Set(Object.keys(start.LOADERS));
const { argv, env, version } = start.liftGlobalOptions(process.argv.slice(2), start.groupsOf(ids));
// A -v lifted for a parent vost must not reach this one through the inherited environment.
delete process.env[start.LIFTED_VERBOSE];
Object.assign(process.env, env);
if (version) {
  const pjson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`vost, version ${pjson.version}\n`);
  process.exit(0);
}
const direct = start.directCommand(argv, ids);
if (direct) {
  await start.runDirect(start.LOADERS[direct.id], direct);
} else {
  // oclif checks the Node version against its own package.json at load, which
  // costs semver's start-up and cannot find that file from inside the bundle
  // anyway; package.json's engines field states our requirement.
  const engineWarning = process.env.OCLIF_DISABLE_ENGINE_WARNING;
  process.env.OCLIF_DISABLE_ENGINE_WARNING = '1';
  const { execute } = await import('../dist/bundle/cli.js');
  if (engineWarning === undefined) delete process.env.OCLIF_DISABLE_ENGINE_WARNING;
  else process.env.OCLIF_DISABLE_ENGINE_WARNING = engineWarning;
  // We always run the compiled dist/: without this, NODE_ENV=test or
  // development makes oclif parse tsconfig and look for tsx/ts-node at every start.
  globalThis.oclif = { ...globalThis.oclif, enableAutoTranspile: false };
  await execute({ args: argv, dir: import.meta.url });
}
