import { Args, Flags } from '../cli/declare.js';
import { VostCommand } from '../cli/base.js';
import { CommitRecord, commitRecord, logJson, logTextLine } from '../cli/history.js';
import { formatFlag, ListEmitter, noPagerFlag, OutputFormat, pagerSink } from '../cli/output.js';
import { normalizeRepoPath, parseRefTarget } from '../cli/refpath.js';
import {
  backOf,
  checkTargetConflicts,
  criteriaFromFlags,
  snapshotFlags,
  startingSnapshot,
  stepBack,
  walkMatching,
} from '../cli/snapshot.js';

export default class Log extends VostCommand {
  static override summary = 'Show the commit history.';
  static override description =
    'Lists, newest first along first parents, every commit from the starting point that satisfies the filters. ' +
    'TARGET is a ref (main, v1.0, abc1234, main~3) or ref:path (main:config.json, :config.json).';
  static override args = {
    target: Args.string({ description: 'Ref, ref~N, or ref:path to start from / filter by.' }),
  };
  static override flags = {
    ...snapshotFlags,
    at: Flags.string({ hidden: true, description: 'Deprecated alias of --path.' }),
    format: formatFlag,
    'no-pager': noPagerFlag,
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Log);
    const filters = { ...flags, path: flags.path ?? flags.at };
    const target = args.target === undefined ? { ref: '', back: 0, path: '' } : parseRefTarget(args.target);
    checkTargetConflicts(target, filters, 'target');
    const criteria = criteriaFromFlags(filters);
    const targetPath = normalizeRepoPath(target.path, { allowRoot: true });
    if (targetPath !== '') criteria.path = targetPath;
    const back = backOf(filters) + target.back;

    const store = await this.openStore();
    const start = await stepBack(await startingSnapshot(store, filters, target.ref), back);
    const format = flags.format as OutputFormat;
    const sink = pagerSink(!flags['no-pager']);
    const emitter = new ListEmitter<CommitRecord>(sink, {
      format,
      pretty: true,
      text: logTextLine,
      json: (r) => logJson(r, start.refName),
    });
    // Each commit is written as soon as it is read: output starts at once and memory stays flat.
    for await (const snap of walkMatching(start, criteria)) {
      if (sink.closed) break;
      await emitter.write(await commitRecord(snap));
    }
    await emitter.end();
  }
}
