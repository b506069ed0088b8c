import { Args } from '../cli/declare.js';
import { VostCommand } from '../cli/base.js';
import { CliError } from '../cli/errors.js';
import { dumps } from '../cli/json.js';
import { formatFlag } from '../cli/output.js';
import { normalizeRepoPath, parseRefTarget } from '../cli/refpath.js';
import { checkTargetConflicts, resolveSnapshot, snapshotFlags } from '../cli/snapshot.js';
import type { FS } from '../core/index.js';

export default class Hash extends VostCommand {
  static override summary = 'Print the commit id of a snapshot, or the object id of a path in it.';
  static override args = {
    target: Args.string({ description: 'A ref (main, v1.0, abc1234, main~2, ~3) or ref:path.' }),
  };
  static override flags = { ...snapshotFlags, format: formatFlag };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Hash);
    const target = args.target === undefined ? { ref: '', back: 0, path: '' } : parseRefTarget(args.target);
    // Here a path names the object to hash, so it never competes with --path.
    checkTargetConflicts({ ref: target.ref, back: target.back, path: '' }, flags, 'target');
    const path = normalizeRepoPath(target.path, { allowRoot: true });
    const fs = await resolveSnapshot(await this.openStore(), flags, { ref: target.ref, extraBack: target.back });
    const result = path === '' ? { hash: fs.commitHash, type: 'commit' } : await objectOf(fs, path);
    if (flags.format === 'text') this.out(`${result.hash}\n`);
    else this.out(`${dumps(result)}\n`);
  }
}

async function objectOf(fs: FS, path: string): Promise<{ hash: string; type: string; path: string }> {
  try {
    const st = await fs.stat(path);
    return { hash: st.hash, type: st.fileType === 'tree' ? 'tree' : 'blob', path };
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new CliError(`Path not found: ${path}`, { code: 'ENOENT' });
    throw err;
  }
}
