// Deterministic data sets, built once and cached under the bench data dir
// (a `.done` marker makes a half-built set get rebuilt, never reused).
import { createCipheriv, createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import {
  closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync, writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { runOk } from './harness.js';

/** Every generated file gets this whole-second mtime, so edits can restore it exactly. */
export const EPOCH = 1_700_000_000;
export const GIT_ENV = {
  GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@localhost',
  GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@localhost',
  GIT_AUTHOR_DATE: `${EPOCH} +0000`, GIT_COMMITTER_DATE: `${EPOCH} +0000`,
};

/** Seeded byte source: AES-CTR keystream, fast and reproducible. */
export class Rng {
  constructor(seed) {
    const key = createHash('sha256').update(String(seed)).digest().subarray(0, 16);
    this.cipher = createCipheriv('aes-128-ctr', key, Buffer.alloc(16));
    this.pool = Buffer.alloc(0);
    this.pos = 0;
  }

  bytes(n) {
    return this.cipher.update(Buffer.alloc(n));
  }

  /** Uniform float in [0, 1). */
  next() {
    if (this.pos + 4 > this.pool.length) {
      this.pool = this.bytes(65536);
      this.pos = 0;
    }
    const v = this.pool.readUInt32LE(this.pos);
    this.pos += 4;
    return v / 2 ** 32;
  }

  int(n) {
    return Math.floor(this.next() * n);
  }
}

let corpus;
/** A few MiB of word-like text; slices of it make compressible file content. */
function textCorpus() {
  if (corpus) return corpus;
  const rng = new Rng('corpus');
  const syll = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'xe', 'zu', 'an', 'or', 'el', 'is', 'ut'];
  const words = Array.from({ length: 400 }, () =>
    Array.from({ length: 1 + rng.int(4) }, () => syll[rng.int(syll.length)]).join(''),
  );
  const parts = [];
  let size = 0;
  while (size < 4 * 1024 * 1024) {
    const line = `${Array.from({ length: 4 + rng.int(10) }, () => words[rng.int(words.length)]).join(' ')}\n`;
    parts.push(line);
    size += line.length;
  }
  corpus = Buffer.from(parts.join(''));
  return corpus;
}

export function text(n, rng) {
  const c = textCorpus();
  const start = rng.int(c.length - n);
  return Buffer.from(c.subarray(start, start + n));
}

/** Build `dir` once with `build(dir)`; later calls reuse it. */
export async function cached(dataDir, name, build) {
  const dir = join(dataDir, name);
  const marker = `${dir}.done`;
  if (existsSync(marker)) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  await build(dir);
  writeFileSync(marker, new Date().toISOString());
  return dir;
}

function fastImportStreamWriter(path) {
  const fd = openSync(path, 'w');
  return {
    blob(mark, data) {
      writeSync(fd, `blob\nmark :${mark}\ndata ${data.length}\n`);
      writeSync(fd, data);
      writeSync(fd, '\n');
    },
    raw(s) {
      writeSync(fd, s);
    },
    close() {
      closeSync(fd);
    },
  };
}

function commitHeader(ref, time, message) {
  const msg = Buffer.from(message);
  return `commit ${ref}\ncommitter bench <bench@localhost> ${time} +0000\ndata ${msg.length}\n${message}\n`;
}

export function initBare(repo) {
  runOk('git init', ['git', 'init', '--bare', '-q', '-b', 'main', repo]);
}

export function fastImport(repo, stream) {
  runOk('git fast-import', ['git', `--git-dir=${repo}`, 'fast-import', '--quiet'], { stdin: stream, env: GIT_ENV });
}

function treePath(i) {
  const a = `dir${String(i % 20).padStart(2, '0')}`;
  const b = `sub${Math.floor(i / 20) % 10}`;
  const c = `deep${Math.floor(i / 200) % 5}`;
  const ext = i % 5 < 3 ? 'txt' : 'bin';
  const dir = [a, b, c].slice(0, 1 + (i % 3)).join('/');
  return `${dir}/f${String(i).padStart(5, '0')}.${ext}`;
}

/** Content for a tree file: text for .txt, random bytes for .bin. */
export function treeContent(path, size, rng) {
  return path.endsWith('.bin') ? rng.bytes(size) : text(size, rng);
}

export const TREE_FILES = 10_000;

/**
 * The core data set: `tree/` with 10,000 files of 100 B–16 KiB (~50 MB, 60%
 * text, 40% random, three levels of folders, plus `small.txt`), its
 * fast-import stream `tree.fi`, a bare repo built from it `tree.git`, and
 * `manifest.json` listing [path, size].
 */
export async function treeDataset(dataDir) {
  return cached(dataDir, 'tree-v1', (dir) => {
    const rng = new Rng('tree');
    const root = join(dir, 'tree');
    const fi = fastImportStreamWriter(join(dir, 'tree.fi'));
    const small = Buffer.from('a small file for cat latency\n');
    const files = [['small.txt', small.length]];
    for (let i = 0; i < TREE_FILES - 1; i++) {
      const size = 100 + Math.floor(16284 * rng.next() ** 2);
      files.push([treePath(i), size]);
    }
    const made = new Set();
    files.forEach(([path, size], i) => {
      const data = i === 0 ? small : treeContent(path, size, rng);
      const abs = join(root, path);
      const parent = dirname(abs);
      if (!made.has(parent)) mkdirSync(parent, { recursive: true });
      made.add(parent);
      writeFileSync(abs, data);
      utimesSync(abs, EPOCH, EPOCH);
      fi.blob(i + 1, data);
    });
    fi.raw(commitHeader('refs/heads/main', EPOCH, 'import tree'));
    files.forEach(([path], i) => fi.raw(`M 100644 :${i + 1} ${path}\n`));
    fi.raw('\n');
    fi.close();
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(files));
    initBare(join(dir, 'tree.git'));
    fastImport(join(dir, 'tree.git'), join(dir, 'tree.fi'));
  });
}

export function readManifest(treeDir) {
  return JSON.parse(readFileSync(join(treeDir, 'manifest.json'), 'utf8'));
}

/**
 * Overwrite `paths` under `root` with new content of the same size and put
 * the original whole-second mtime back, so only content (and ctime) changes.
 */
export function editFiles(root, paths, rng) {
  for (const p of paths) {
    const abs = join(root, p);
    const st = statSync(abs);
    writeFileSync(abs, treeContent(p, st.size, rng));
    utimesSync(abs, st.atimeMs / 1000, Math.round(st.mtimeMs / 1000));
  }
}

export const OBJECTS_DIRS = 200;
export const OBJECTS_PER_DIR = 499;
export const READS = 10_000;

/**
 * A packed repo of ~100,000 objects (99,800 small blobs in 200 folders, the
 * trees and one commit), `git gc`-ed so reads go through deltas, plus
 * `reads.txt`: 10,000 random paths and `reads.batch` for `git cat-file`.
 */
export async function objectsDataset(dataDir) {
  return cached(dataDir, 'objects100k-v1', (dir) => {
    const rng = new Rng('objects');
    const fi = fastImportStreamWriter(join(dir, 'objects.fi'));
    const paths = [];
    for (let d = 0; d < OBJECTS_DIRS; d++) {
      for (let f = 0; f < OBJECTS_PER_DIR; f++) {
        const path = `d${String(d).padStart(3, '0')}/f${String(f).padStart(3, '0')}.txt`;
        paths.push(path);
        const body = text(50 + rng.int(950), rng);
        fi.blob(paths.length, Buffer.concat([Buffer.from(`${path}\n`), body]));
      }
    }
    fi.raw(commitHeader('refs/heads/main', EPOCH, 'objects'));
    paths.forEach((p, i) => fi.raw(`M 100644 :${i + 1} ${p}\n`));
    fi.raw('\n');
    fi.close();
    const repo = join(dir, 'repo.git');
    initBare(repo);
    fastImport(repo, join(dir, 'objects.fi'));
    runOk('git gc', ['git', `--git-dir=${repo}`, 'gc', '--quiet']);
    rmSync(join(dir, 'objects.fi'));
    const picks = Array.from({ length: READS }, () => paths[rng.int(paths.length)]);
    writeFileSync(join(dir, 'reads.txt'), `${picks.join('\n')}\n`);
    writeFileSync(join(dir, 'reads.batch'), picks.map((p) => `main:${p}\n`).join(''));
  });
}

export const HISTORY_COMMITS = 100_000;

/** `repo.git` with a 100,000-commit linear history on main, one small file changed per commit. */
export async function historyDataset(dataDir) {
  return cached(dataDir, 'history100k-v1', (dir) => {
    const fi = fastImportStreamWriter(join(dir, 'history.fi'));
    for (let i = 0; i < HISTORY_COMMITS; i++) {
      const path = `data/f${i % 50}.txt`;
      const body = `revision ${i}\n`;
      fi.raw(commitHeader('refs/heads/main', EPOCH + i, `~ ${path}`));
      fi.raw(`M 100644 inline ${path}\ndata ${body.length}\n${body}\n`);
    }
    fi.close();
    const repo = join(dir, 'repo.git');
    initBare(repo);
    fastImport(repo, join(dir, 'history.fi'));
    rmSync(join(dir, 'history.fi'));
  });
}

export const BIG_SIZE = 1024 * 1024 * 1024;

/**
 * `big.bin`: 1 GiB of random bytes (like most big files: media, archives;
 * compressible text would triple every deflate-bound run on this machine),
 * and `big.git` holding it as main:big.bin (built by git), blob id in `big.oid`.
 */
export async function bigFileDataset(dataDir) {
  return cached(dataDir, 'bigfile-v2', (dir) => {
    const rng = new Rng('big');
    const file = join(dir, 'big.bin');
    const fd = openSync(file, 'w');
    const block = 4 * 1024 * 1024;
    for (let i = 0; i < BIG_SIZE / block; i++) writeSync(fd, rng.bytes(block));
    closeSync(fd);
    const repo = join(dir, 'big.git');
    initBare(repo);
    const git = (args, opts) => runOk(`git ${args[0]}`, ['git', `--git-dir=${repo}`, ...args], { env: GIT_ENV, ...opts });
    const oid = git(['hash-object', '-w', file]).stdout.trim();
    writeFileSync(join(dir, 'mktree.in'), `100644 blob ${oid}\tbig.bin\n`);
    const tree = git(['mktree'], { stdin: join(dir, 'mktree.in') }).stdout.trim();
    const commit = git(['commit-tree', tree, '-m', 'big']).stdout.trim();
    git(['update-ref', 'refs/heads/main', commit]);
    writeFileSync(join(dir, 'big.oid'), oid);
    rmSync(join(dir, 'mktree.in'));
  });
}

/** Feed fast-import from a generator of Buffers/strings, honouring back-pressure. */
async function pipeFastImport(repo, chunks) {
  // unpackLimit=1: fast-import would otherwise explode a pack of < 100 objects into loose files.
  const child = spawn('git', ['-c', 'fastimport.unpackLimit=1', `--git-dir=${repo}`, 'fast-import', '--quiet'], {
    stdio: ['pipe', 'ignore', 'inherit'],
    env: { ...process.env, ...GIT_ENV },
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  for (const chunk of chunks) {
    if (!child.stdin.write(chunk)) await new Promise((r) => child.stdin.once('drain', r));
  }
  child.stdin.end();
  const code = await exited;
  if (code !== 0) throw new Error(`git fast-import exited ${code}`);
}

/**
 * `--big` only: a repo whose single pack is > 2 GiB (three 768 MiB random
 * blobs), with `small.txt` written last so its pack offset is past 2 GiB.
 */
export async function bigPackDataset(dataDir) {
  return cached(dataDir, 'bigpack-v2', async (dir) => {
    const rng = new Rng('bigpack');
    const repo = join(dir, 'repo.git');
    initBare(repo);
    const blobSize = 768 * 1024 * 1024;
    function* stream() {
      for (let b = 1; b <= 3; b++) {
        yield `blob\nmark :${b}\ndata ${blobSize}\n`;
        for (let done = 0; done < blobSize; done += 4 * 1024 * 1024) yield rng.bytes(4 * 1024 * 1024);
        yield '\n';
      }
      const small = 'past the 2 GiB mark\n';
      yield `blob\nmark :4\ndata ${small.length}\n${small}\n`;
      yield commitHeader('refs/heads/main', EPOCH, 'big pack');
      for (let b = 1; b <= 3; b++) yield `M 100644 :${b} blob${b}.bin\n`;
      yield 'M 100644 :4 small.txt\n\n';
    }
    await pipeFastImport(repo, stream());
  });
}
