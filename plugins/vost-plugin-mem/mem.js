// mem://NAME — a tiny endpoint written only against vost's public plugin
// contract. The data lives in $VOST_MEM_DIR/NAME.json (base64 contents), so
// separate vost processes see the same store; writes stage in memory and
// replace the file atomically (temp file + rename) on commit.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';

/** @typedef {import('vost/plugin').Entry} Entry */
/** @typedef {{ kind: 'file' | 'executable' | 'symlink', data: string, mtimeMs: number }} Stored */

function storeFile(name, env) {
  const dir = env.VOST_MEM_DIR;
  if (!dir) throw new Error('mem:// needs VOST_MEM_DIR (a folder for the stores)');
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new Error(`Invalid mem store name: '${name}'`);
  return join(dir, `${name}.json`);
}

/** @returns {Map<string, Stored>} */
function load(file) {
  try {
    return new Map(Object.entries(JSON.parse(readFileSync(file, 'utf8')).entries));
  } catch (e) {
    if (e.code === 'ENOENT') return new Map();
    throw e;
  }
}

function save(file, map) {
  mkdirSync(join(file, '..'), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, JSON.stringify({ entries: Object.fromEntries(map) }));
  renameSync(tmp, file);
}

function safe(path) {
  if (!path || path.startsWith('/') || path.split('/').some((s) => s === '' || s === '.' || s === '..')) {
    throw new Error(`Unsafe path: '${path}'`);
  }
}

async function bytesOf(content) {
  if (content instanceof Uint8Array) return Buffer.from(content);
  const parts = [];
  for await (const c of content) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

function entryOf(path, s) {
  const data = Buffer.from(s.data, 'base64');
  /** @type {Entry} */
  const e = { path, kind: s.kind, size: data.length, mtimeMs: s.mtimeMs };
  if (s.kind === 'symlink') e.target = data.toString('utf8');
  return e;
}

class MemEndpoint {
  constructor(name, file) {
    this.display = `mem://${name}`;
    this.file = file;
  }

  async stat(path) {
    const map = load(this.file);
    if (path === '') return { path, kind: 'dir' };
    const s = map.get(path);
    if (s) return entryOf(path, s);
    for (const k of map.keys()) if (k.startsWith(`${path}/`)) return { path, kind: 'dir' };
    return null;
  }

  async *list(options = {}) {
    const prefix = options.prefix ?? '';
    const map = load(this.file);
    for (const k of [...map.keys()].sort()) {
      if (prefix && k !== prefix && !k.startsWith(`${prefix}/`)) continue;
      const parts = k.split('/');
      let skipped = false;
      for (let i = 1; i < parts.length && options.skipDir; i++) {
        const dir = parts.slice(0, i).join('/');
        if (dir.length > prefix.length && options.skipDir(dir)) skipped = true;
      }
      if (!skipped) yield entryOf(k, map.get(k));
    }
  }

  async read(path) {
    const s = load(this.file).get(path);
    if (!s) throw new Error(`File not found: ${path}`);
    return { data: Readable.from([Buffer.from(s.data, 'base64')]) };
  }

  async writer() {
    const map = load(this.file);
    const file = this.file;
    let done = false;
    return {
      async put(path, kind, content, meta = {}) {
        safe(path);
        const data = kind === 'symlink' && meta.target !== undefined ? Buffer.from(meta.target) : await bytesOf(content);
        for (const k of [...map.keys()]) if (k.startsWith(`${path}/`)) map.delete(k);
        const parts = path.split('/');
        for (let i = 1; i < parts.length; i++) map.delete(parts.slice(0, i).join('/'));
        map.set(path, { kind, data: data.toString('base64'), mtimeMs: meta.mtimeMs ?? Date.now() });
      },
      async remove(path) {
        safe(path);
        map.delete(path);
        for (const k of [...map.keys()]) if (k.startsWith(`${path}/`)) map.delete(k);
      },
      async commit() {
        if (done) throw new Error('Writer already finished');
        done = true;
        save(file, map);
        return { commit: null };
      },
      async abort() {
        done = true;
      },
    };
  }
}

/** @type {import('vost/plugin').EndpointPlugin} */
export const memPlugin = {
  name: 'mem',
  scheme: 'mem',
  async open(spec, ctx) {
    const name = spec.slice('mem://'.length).replace(/\/+$/, '');
    return new MemEndpoint(name, storeFile(name, ctx.env));
  },
};
