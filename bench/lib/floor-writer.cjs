// The least a Node program can spend creating a checkout: every file of a
// folder is read into memory first (untimed), then created under `out` with
// the calls cli.md §9.5 requires of a repo → disk copy (create, write, set
// the mtime, close), one thread (two were no faster on the 2-core bench
// machine), no staging, no stat cache. Prints the
// creation time in ms as JSON. Used by transfer.sync-out-floor.
'use strict';
const fs = require('node:fs');
const { join } = require('node:path');

const [src, out] = process.argv.slice(2);
const files = [];
const dirs = [];
(function walk(rel) {
  for (const e of fs.readdirSync(join(src, rel), { withFileTypes: true })) {
    const path = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      dirs.push(path);
      walk(path);
    } else files.push({ path, data: fs.readFileSync(join(src, path)) });
  }
})('');
const mtime = 1_700_000_000;
const start = process.hrtime.bigint();
fs.mkdirSync(out, { recursive: true });
for (const d of dirs) fs.mkdirSync(join(out, d));
for (const { path, data } of files) {
  const fd = fs.openSync(join(out, path), 'wx', 0o666);
  fs.writeSync(fd, data, 0, data.length);
  fs.futimesSync(fd, mtime, mtime);
  fs.closeSync(fd);
}
process.stdout.write(JSON.stringify({ files: files.length, writeMs: Number(process.hrtime.bigint() - start) / 1e6 }) + '\n');
