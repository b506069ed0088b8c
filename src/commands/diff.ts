import { Args, Flags } from '../cli/declare.js';
import { VostCommand } from '../cli/base.js';
import { formatFlag, emitList, OutputFormat } from '../cli/output.js';
import { parseRefTarget } from '../cli/refpath.js';
import { branchSnapshot, checkTargetConflicts, currentBranch, resolveSnapshot, snapshotFlags } from '../cli/snapshot.js';
import { DiffEntry, diffSnapshots } from '../cli/treediff.js';

export default class Diff extends VostCommand {
  static override summary = 'Show files changed between a baseline snapshot and the branch tip.';
  static override description =
    'BASELINE: dev, dev:, ~3, main~2:, :path or ref:path (the path selects the baseline like --path; ' +
    'the output still covers the whole tree). Without BASELINE or filters the baseline is the tip itself.';
  static override args = {
    baseline: Args.string({ description: 'Baseline snapshot (ref, ref~N, ~N, ref:path).' }),
  };
  static override flags = {
    ...snapshotFlags,
    reverse: Flags.boolean({ description: 'Swap old and new.', default: false }),
    format: formatFlag,
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Diff);
    const target = args.baseline === undefined ? { ref: '', back: 0, path: '' } : parseRefTarget(args.baseline);
    checkTargetConflicts(target, flags, 'baseline');
    const store = await this.openStore();
    const tip = await branchSnapshot(store, flags.branch ?? (await currentBranch(store)));
    const filters = { ...flags, path: target.path !== '' ? target.path : flags.path };
    const baseline = await resolveSnapshot(store, filters, { ref: target.ref, extraBack: target.back });
    const [oldFs, newFs] = flags.reverse ? [tip, baseline] : [baseline, tip];
    const changes = await diffSnapshots(oldFs, newFs);
    await emitList<DiffEntry>(changes, {
      format: flags.format as OutputFormat,
      pretty: true,
      text: (c) => `${c.status}  ${c.path}\n`,
      json: (c) => ({ path: c.path, status: c.status }),
    });
  }
}
