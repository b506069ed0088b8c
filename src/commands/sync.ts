import { Args, Flags } from '../cli/declare.js';
import { VostCommand } from '../cli/base.js';
import { intFlag } from '../cli/flags.js';
import { messageFlag, parentFlag, tagFlags } from '../cli/message.js';
import { snapshotFlags } from '../cli/snapshot.js';
import { loadEndpointPlugins } from '../plugins/load.js';
import { transferHost } from '../cli/transfer/host.js';
import { runSync } from '../cli/transfer/sync.js';

export default class Sync extends VostCommand {
  static override summary = 'Make the destination identical to the source (cp --delete of the contents), in any direction.';
  static usageTail = '[OPTIONS] SOURCE [DEST]';
  static override args = {
    paths: Args.string({ description: 'LOCAL_DIR, or SOURCE DEST ([ref]:path for repo paths).', required: false, multiple: true }),
  };
  static override flags = {
    ...snapshotFlags,
    message: messageFlag,
    'dry-run': Flags.boolean({ char: 'n', description: 'Print the plan, change nothing.', default: false }),
    exclude: Flags.string({ description: 'Exclude PATTERN (gitignore syntax), repeatable.', multiple: true }),
    'exclude-from': Flags.string({ description: 'Read exclude patterns from FILE.' }),
    gitignore: Flags.boolean({ description: 'Honour .gitignore files in the source tree.', default: false }),
    'ignore-errors': Flags.boolean({ description: 'Skip files that fail, report them, exit 1 at the end.', default: false }),
    checksum: Flags.boolean({ char: 'c', description: 'Hash every file instead of trusting the stat cache.', default: false }),
    'no-create': Flags.boolean({ description: 'Do not create the repository.', default: false }),
    'max-delete': intFlag({ description: 'Refuse to run (changing nothing) if more than N files would be deleted.' }),
    type: Flags.string({ description: 'Force the mode of every written regular file.', options: ['blob', 'executable'] }),
    'follow-symlinks': Flags.boolean({ description: 'Store what symlinks point to instead of the links.', default: false }),
    watch: Flags.boolean({ description: 'Keep running and re-sync on every change.', default: false }),
    debounce: intFlag({ description: 'Debounce delay for --watch in milliseconds (minimum 100).', default: 2000 }),
    reconcile: intFlag({ description: 'Seconds between full re-scans while watching (0 = never).' }),
    quiet: Flags.boolean({ char: 'q', description: 'No progress bar or watch summaries.', default: false }),
    ...tagFlags,
    parent: parentFlag,
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Sync);
    const paths = args.paths ?? [];
    for (const w of await loadEndpointPlugins(paths, () => this.oclifConfig())) process.stderr.write(`WARNING: ${w}\n`);
    const result = await runSync(transferHost(this, flags.quiet), paths, flags);
    if (typeof result === 'number') {
      if (result !== 0) this.exit(result);
      return;
    }
    // Loaded only when watching: chokidar and the watch engine are not needed for one-shot syncs.
    const { runWatch } = await import('../transfer/watch/index.js');
    await runWatch({
      ...result,
      debounceMs: flags.debounce,
      reconcileSeconds: flags.reconcile,
      message: flags.message,
      checksum: flags.checksum,
      ignoreErrors: flags['ignore-errors'],
      exclude: flags.exclude,
      excludeFrom: flags['exclude-from'],
      gitignore: flags.gitignore,
      quiet: flags.quiet,
    });
  }
}
