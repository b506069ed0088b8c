// Bundles the compiled CLI (the commands, the hooks, @oclif/core and the
// small dependencies loaded at every start) into dist/bundle/.
//
// Why: start-up was dominated by resolving and loading ~290 modules (oclif,
// semver, ~25 small CJS packages, ~70 dist files). The bundle is a handful of
// files: dist/bundle/start.js (the command table and the direct runner of
// src/cli/start.ts), dist/bundle/cli.js (oclif and the hooks), one file per
// command, and chunks of code shared between commands, so `vost cat` never
// parses the archive or watch code, nor oclif: bin/run.js runs a built-in
// command straight from start.js and loads cli.js only for help, unknown
// commands and plugins.
//
// oclif finds the commands through its "explicit" discovery strategy
// (package.json: oclif.commands → COMMANDS in cli.js). Each entry there is a
// stand-in that imports its command on first run; oclif only calls `run` on
// it, and reads flags and help from oclif.manifest.json, which
// scripts/manifest.js writes from the real classes. The commands and the
// oclif runtime share one copy of @oclif/core (commands load it only to run
// plugin hooks or show group help). The library (dist/index.js) stays unbundled.
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const commandsDir = join(root, 'dist', 'commands');
const START = 'vost-start-entry';
const CLI = 'vost-cli-entry';

// Loaded lazily by the archive, watch and compression code paths only, or
// native, or only wanted by oclif for TypeScript sources (never: we run dist/):
// left to Node so the start of every other command never parses them.
const external = ['chokidar', 'compressjs', 'lzma-native', 'tar', 'unbzip2-stream', 'yauzl', 'typescript', 'ts-node', 'tsx', 'pnpapi'];

/** Command files under dist/commands, with oclif's ids (`branch/list.js` → `branch:list`, `branch/index.js` → `branch`). */
function commandFiles(dir = commandsDir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return commandFiles(path);
    if (!entry.name.endsWith('.js')) return [];
    const rel = relative(commandsDir, path).replace(/\.js$/, '');
    const id = rel.split('/').filter((part) => part !== 'index').join(':');
    return [{ id, path, out: `commands/${rel}` }];
  });
}

/** start.js: the command table and the direct runner, without oclif (see src/cli/start.ts). */
function startSource(commands) {
  const table = commands.map(({ id, path }) => `  ${JSON.stringify(id)}: () => import(${JSON.stringify(path)}),`);
  return `
export const LOADERS = {
${table.join('\n')}
};
export { directCommand, groupsOf, LIFTED_VERBOSE, liftGlobalOptions, runDirect } from ${JSON.stringify(join(root, 'dist/cli/start.js'))};
`;
}

/** cli.js: oclif, with stand-ins that load each command on first run. */
function cliSource() {
  return `
import { LOADERS } from '${START}';
function lazyCommand(load) {
  const stub = {
    async run(argv, config) {
      const { default: command } = await load();
      command.id = stub.id;
      command.plugin = stub.plugin;
      return command.run(argv, config);
    },
  };
  return stub;
}
export const COMMANDS = Object.fromEntries(Object.entries(LOADERS).map(([id, load]) => [id, lazyCommand(load)]));
export { default as commandNotFound } from ${JSON.stringify(join(root, 'dist/cli/hooks/command-not-found.js'))};
export { execute } from '@oclif/core';
`;
}

/** Serves the generated entries (name → source), which exist only in memory. */
function entryPlugin(sources) {
  const names = Object.keys(sources);
  return {
    name: 'vost-entries',
    setup(b) {
      b.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, (args) => ({ path: args.path, namespace: 'vost-entries' }));
      b.onLoad({ filter: /.*/, namespace: 'vost-entries' }, (args) => ({ contents: sources[args.path], resolveDir: root, loader: 'js' }));
    },
  };
}

const commands = commandFiles().sort((a, b) => (a.id < b.id ? -1 : 1));
const shared = {
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external,
  chunkNames: 'chunks/[hash]',
  // The CommonJS packages inside (oclif, proper-lockfile and their
  // dependencies) call require() for Node built-ins and use __dirname; an ESM
  // file has neither.
  banner: {
    js: [
      "import { createRequire as __vostCreateRequire } from 'node:module';",
      "import { dirname as __vostDirname } from 'node:path';",
      "import { fileURLToPath as __vostFileURLToPath } from 'node:url';",
      'const require = __vostCreateRequire(import.meta.url);',
      'const __filename = __vostFileURLToPath(import.meta.url);',
      'const __dirname = __vostDirname(__filename);',
    ].join('\n'),
  },
  // Errors take their names from their classes.
  keepNames: true,
  logLevel: 'warning',
};

/** Builds aside and swaps the result in, so a process started during a rebuild finds a whole bundle. */
async function buildInto(outdir, options) {
  const tempdir = `${outdir}.${process.pid}.tmp`;
  try {
    await build({ ...shared, ...options, outdir: tempdir });
  } catch (err) {
    rmSync(tempdir, { recursive: true, force: true });
    throw err;
  }
  const previous = `${outdir}.${process.pid}.old`;
  if (existsSync(outdir)) renameSync(outdir, previous);
  renameSync(tempdir, outdir);
  rmSync(previous, { recursive: true, force: true });
}

await buildInto(join(root, 'dist', 'bundle'), {
  entryPoints: [{ in: START, out: 'start' }, { in: CLI, out: 'cli' }, ...commands.map(({ path, out }) => ({ in: path, out }))],
  plugins: [entryPlugin({ [START]: startSource(commands), [CLI]: cliSource() })],
  // Less to parse at every start.
  minifyWhitespace: true,
  minifySyntax: true,
});

// The library (package exports `vost` and `vost/plugin`): one file per entry
// plus shared chunks, so `import { GitStore } from 'vost'` loads a few files
// instead of ~80. Both entries share the chunks, hence one endpoint registry.
// Left readable: library users see these lines in their stack traces.
await buildInto(join(root, 'dist', 'lib'), {
  entryPoints: [
    { in: join(root, 'dist', 'index.js'), out: 'index' },
    { in: join(root, 'dist', 'plugins', 'index.js'), out: 'plugin' },
  ],
});
