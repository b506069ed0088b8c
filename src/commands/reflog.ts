import { VostCommand } from '../cli/base.js';
import { CliError } from '../cli/errors.js';
import { intFlag } from '../cli/flags.js';
import { localIso, ReflogItem } from '../cli/history.js';
import { formatFlag, ListEmitter, noPagerFlag, OutputFormat, pagerSink } from '../cli/output.js';
import { branchFlag, branchSnapshot, currentBranch } from '../cli/snapshot.js';

export default class Reflog extends VostCommand {
  static override summary = 'Show the movements of a branch, oldest first.';
  static override flags = {
    branch: branchFlag,
    limit: intFlag({ char: 'n', description: 'Show only the last N entries (0 = all).', default: 0 }),
    format: formatFlag,
    'no-pager': noPagerFlag,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Reflog);
    const store = await this.openStore();
    const name = flags.branch ?? (await currentBranch(store));
    await branchSnapshot(store, name);
    const all: ReflogItem[] = await store.branches.reflog(name).catch(() => []);
    if (all.length === 0) throw new CliError(`No reflog found for branch '${name}'`, { code: 'NO_REFLOG' });
    const entries = flags.limit > 0 ? all.slice(-flags.limit) : all;
    const format = flags.format as OutputFormat;
    const sink = pagerSink(!flags['no-pager']);
    if (format === 'text') await sink.write(`Reflog for branch '${name}' (${entries.length} entries):\n\n`);
    let index = 0;
    const emitter = new ListEmitter<ReflogItem>(sink, {
      format,
      pretty: true,
      text: (e) => `  [${index++}] ${e.newSha.slice(0, 7)} (${localIso(e.timestamp).replace('T', ' ')})\n      ${e.message}\n\n`,
      json: (e) => ({
        old_sha: e.oldSha,
        new_sha: e.newSha,
        committer: e.committer,
        timestamp: e.timestamp,
        time: localIso(e.timestamp),
        message: e.message,
      }),
    });
    for (const e of entries) {
      if (sink.closed) break;
      await emitter.write(e);
    }
    await emitter.end();
  }
}
