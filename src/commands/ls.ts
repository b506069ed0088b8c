import { Args, Flags } from '../cli/declare.js';
import { VostCommand } from '../cli/base.js';
import { dumps } from '../cli/json.js';
import { formatFlag } from '../cli/output.js';
import { normalizeRepoPath, parseRepoPathArg } from '../cli/refpath.js';
import { checkPathConflicts, snapshotFlags } from '../cli/snapshot.js';
import { collectListing, longRowObject, renderLongText, toLongRows, type ListRequest } from '../cli/commands/listing.js';
import { isGlobPattern } from '../cli/commands/repo-sources.js';
import { SnapshotResolver } from '../cli/commands/snapshots.js';
import { writeStdout } from '../cli/commands/stdout.js';

export default class Ls extends VostCommand {
  static override summary = 'List files and directories of a snapshot.';
  static override args = {
    paths: Args.string({ description: 'Repo paths or globs ([ref[~N]]:path, the colon is optional).', multiple: true }),
  };
  static override flags = {
    recursive: Flags.boolean({ char: 'R', description: 'List files beneath each path, with full paths.', default: false }),
    long: Flags.boolean({ char: 'l', description: 'Include object hash, size, type / link target.', default: false }),
    'full-hash': Flags.boolean({ description: 'With -l, show 40-character hashes.', default: false }),
    'no-glob': Flags.boolean({ description: 'Treat * and ? literally.', default: false }),
    format: formatFlag,
    ...snapshotFlags,
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Ls);
    const raw = (args.paths as unknown as string[] | undefined) ?? [];
    const parsed = (raw.length > 0 ? raw : ['']).map(parseRepoPathArg);
    checkPathConflicts(parsed, flags);
    const snapshots = new SnapshotResolver(await this.openStore(), flags);
    const requests: ListRequest[] = [];
    for (const arg of parsed) {
      const path = normalizeRepoPath(arg.path, { allowRoot: true });
      requests.push({ fs: await snapshots.get(arg), path, glob: isGlobPattern(path, flags['no-glob']) });
    }
    const entries = await collectListing(requests, { recursive: flags.recursive, long: flags.long });
    const format = flags.format as 'text' | 'json' | 'jsonl';
    if (!flags.long) {
      const names = entries.map((e) => e.name);
      if (format === 'text') await writeStdout(names.map((n) => `${n}\n`).join(''));
      else if (format === 'json') await writeStdout(`${dumps(names)}\n`);
      else await writeStdout(names.map((n) => `${dumps(n)}\n`).join(''));
      return;
    }
    const rows = await toLongRows(entries);
    if (format === 'text') await writeStdout(renderLongText(rows, flags['full-hash']));
    else if (format === 'json') await writeStdout(`${dumps(rows.map(longRowObject))}\n`);
    else await writeStdout(rows.map((r) => `${dumps(longRowObject(r))}\n`).join(''));
  }
}
