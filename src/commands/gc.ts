import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { VostCommand } from '../cli/base.js';

/** Temp files younger than this may belong to a writer that is still running. */
const TEMP_GRACE_MS = 60 * 60 * 1000;

// cli.md §6.3: gc prunes nothing, so GitStore.gc() (which drops unreachable objects) is not used here.
export default class Gc extends VostCommand {
  static override summary = 'Remove leftover temporary pack files, then pack loose objects.';
  static override description = 'Never changes a ref or any content, and prunes nothing (unreachable objects stay).';

  async run(): Promise<void> {
    await this.parse(Gc);
    const store = await this.openStore();
    await removeStaleTempPacks(join(this.requireRepoPath(), 'objects', 'pack'));
    const n = await store.pack();
    this.verbose(`gc: packed ${n} object(s)`);
  }
}

/** Deletes `tmp_pack_*` / `tmp_idx_*` files left by interrupted pack writes. */
async function removeStaleTempPacks(packDir: string): Promise<void> {
  const names = await readdir(packDir).catch(() => [] as string[]);
  const cutoff = Date.now() - TEMP_GRACE_MS;
  for (const name of names) {
    if (!name.startsWith('tmp_pack_') && !name.startsWith('tmp_idx_')) continue;
    const path = join(packDir, name);
    const st = await stat(path).catch(() => null);
    if (st && st.mtimeMs < cutoff) await rm(path, { force: true });
  }
}
