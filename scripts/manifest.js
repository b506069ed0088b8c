// Writes oclif.manifest.json so start-up does not import every command.
// (The `oclif` CLI package that normally does this requires Node 22.)
// It reads the compiled classes in dist/commands: the command table oclif
// runs from (dist/bundle/cli.js) holds stand-ins without flags or help text.
// Unindented: every start reads it.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Plugin } from '@oclif/core/config';

const root = fileURLToPath(new URL('..', import.meta.url));
const pjson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
pjson.oclif = { ...pjson.oclif, commands: './dist/commands' };
const plugin = new Plugin({ root, isRoot: true, pjson, ignoreManifest: true, errorOnManifestCreate: true });
await plugin.load();
const target = new URL('../oclif.manifest.json', import.meta.url);
const temp = new URL(`../oclif.manifest.json.${process.pid}.tmp`, import.meta.url);
writeFileSync(temp, JSON.stringify(plugin.manifest));
renameSync(temp, target);
