// Library operations timed in their own Node process (so RSS and start-up
// are measured per operation). Prints one JSON line: the figures, {skip} when
// the library says the feature is not implemented, or {error}.
// Usage: node ops.mjs <op> <args...>
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const now = () => performance.now();

async function openStore(repo, create) {
  // The package entry, as a library user imports it (Node resolves the package's own name).
  const { GitStore } = await import('vost');
  if (typeof GitStore?.open !== 'function') throw Object.assign(new Error('GitStore.open is not exported yet'), { skip: true });
  return GitStore.open(repo, { create });
}

const ops = {
  /** One batch of writeFromFile for every manifest entry, one commit. Manifest parsing is untimed. */
  async import(repo, root, manifestPath) {
    const files = JSON.parse(readFileSync(manifestPath, 'utf8'));
    const t0 = now();
    const store = await openStore(repo, true);
    const fs = await store.fs('main');
    const batch = fs.batch({ message: 'import' });
    for (const [path] of files) await batch.writeFromFile(path, join(root, path));
    const out = await batch.commit();
    return { ms: now() - t0, commit: out.commitHash };
  },

  async 'write-file'(repo, file) {
    const t0 = now();
    const store = await openStore(repo, true);
    const fs = await store.fs('main');
    const out = await fs.writeFromFile('big.bin', file);
    return { ms: now() - t0, commit: out.commitHash };
  },

  /** Random reads on an open snapshot; opening is untimed, every read is awaited in turn. */
  async reads(repo, listFile) {
    const paths = readFileSync(listFile, 'utf8').split('\n').filter(Boolean);
    const store = await openStore(repo, false);
    const fs = await store.fs('main');
    let bytes = 0;
    const t0 = now();
    for (const p of paths) bytes += (await fs.read(p)).length;
    return { ms: now() - t0, reads: paths.length, bytes };
  },

  async 'read-one'(repo, path) {
    const store = await openStore(repo, false);
    const fs = await store.fs('main');
    return { bytes: (await fs.read(path)).length };
  },
};

function isMissingFeature(err) {
  return err?.skip || err?.code === 'NOT_IMPLEMENTED' || /not implemented/i.test(String(err?.message))
    || (err instanceof TypeError && /is not a function|Cannot read properties of undefined/.test(err.message));
}

const [op, ...args] = process.argv.slice(2);
try {
  if (!ops[op]) throw new Error(`unknown op ${op}`);
  console.log(JSON.stringify(await ops[op](...args)));
} catch (err) {
  const msg = `${err?.name ?? 'Error'}: ${err?.message ?? err}`;
  console.log(JSON.stringify(isMissingFeature(err) ? { skip: msg } : { error: msg }));
  process.exitCode = 1;
}
