import { Args, Flags } from '../cli/declare.js';
import { VostCommand } from '../cli/base.js';
import { intFlag } from '../cli/flags.js';
import { messageFlag, parentFlag, tagFlags } from '../cli/message.js';
import { snapshotFlags } from '../cli/snapshot.js';
import { loadEndpointPlugins } from '../plugins/load.js';
import { runCp } from '../cli/transfer/cp.js';
import { transferHost } from '../cli/transfer/host.js';

export default class Cp extends VostCommand {
  static override summary = 'Copy files between local paths, repo paths (:path) and plugin endpoints (scheme://…).';
  static usageTail = '[OPTIONS] SOURCE... DEST';
  static override args = {
    paths: Args.string({ description: 'SOURCE... DEST ([ref]:path for repo paths).', required: false, multiple: true }),
  };
  static override flags = {
    ...snapshotFlags,
    message: messageFlag,
    type: Flags.string({ description: 'Force the mode of every written regular file.', options: ['blob', 'executable'] }),
    mode: Flags.string({ description: 'Deprecated alias of --type (644|755).', options: ['644', '755'], hidden: true }),
    'follow-symlinks': Flags.boolean({ description: 'Store what symlinks point to instead of the links.', default: false }),
    'dry-run': Flags.boolean({ char: 'n', description: 'Print the plan, change nothing.', default: false }),
    'ignore-existing': Flags.boolean({ description: 'Never overwrite a file that exists at the destination.', default: false }),
    delete: Flags.boolean({ description: 'Delete destination files the sources do not produce (rsync --delete).', default: false }),
    exclude: Flags.string({ description: 'Exclude PATTERN (gitignore syntax), repeatable.', multiple: true }),
    'exclude-from': Flags.string({ description: 'Read exclude patterns from FILE.' }),
    'ignore-errors': Flags.boolean({ description: 'Skip files that fail, report them, exit 1 at the end.', default: false }),
    checksum: Flags.boolean({ char: 'c', description: 'Hash every file instead of trusting the stat cache.', default: false }),
    'no-glob': Flags.boolean({ description: 'Do not expand * and ? in sources.', default: false }),
    'no-create': Flags.boolean({ description: 'Do not create the repository.', default: false }),
    'max-delete': intFlag({ description: 'Refuse to run (changing nothing) if more than N files would be deleted.' }),
    quiet: Flags.boolean({ char: 'q', description: 'No progress bar.', default: false }),
    ...tagFlags,
    parent: parentFlag,
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Cp);
    const paths = args.paths ?? [];
    for (const w of await loadEndpointPlugins(paths, () => this.oclifConfig())) process.stderr.write(`WARNING: ${w}\n`);
    const code = await runCp(transferHost(this, flags.quiet), paths, flags);
    if (code !== 0) this.exit(code);
  }
}
