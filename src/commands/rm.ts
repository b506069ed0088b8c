import { Args, Flags } from '../cli/declare.js';
import { VostCommand } from '../cli/base.js';
import { applyTag, checkMessageTemplate, checkTag, messageFlag, parentFlag, renderMessage, resolveParents, tagFlags } from '../cli/message.js';
import { normalizeRepoPath, parseRepoPathArg } from '../cli/refpath.js';
import { branchFlag, resolveWriteBranch } from '../cli/snapshot.js';
import { commitOrFail } from '../cli/commands/commit.js';
import { planRemoval, removalReport, renderRemovalDryRun } from '../cli/commands/removal.js';
import { sameBranchTarget } from '../cli/commands/write-target.js';
import { writeStdout } from '../cli/commands/stdout.js';

export default class Rm extends VostCommand {
  static override summary = 'Remove files from a branch (one commit).';
  static override args = {
    paths: Args.string({ description: 'Repo paths or globs ([branch:]path, the colon is optional).', required: true, multiple: true }),
  };
  static override flags = {
    recursive: Flags.boolean({ char: 'R', description: 'Allow removing directories (all files beneath them).', default: false }),
    'dry-run': Flags.boolean({ char: 'n', description: 'Print what would be removed; commit nothing.', default: false }),
    'no-glob': Flags.boolean({ description: 'Treat * and ? literally.', default: false }),
    branch: branchFlag,
    message: messageFlag,
    ...tagFlags,
    parent: parentFlag,
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Rm);
    const parsed = (args.paths as unknown as string[]).map(parseRepoPathArg);
    const target = sameBranchTarget(parsed);
    const sources = parsed.map((p) => ({ path: normalizeRepoPath(p.path), trailingSlash: p.path.endsWith('/') }));
    checkMessageTemplate(flags.message);
    const store = await this.openStore();
    const tip = await resolveWriteBranch(store, target, { command: 'rm', branch: flags.branch });
    const files = await planRemoval(tip, sources, { recursive: flags.recursive, noGlob: flags['no-glob'] });
    if (flags['dry-run']) {
      await writeStdout(renderRemovalDryRun(files));
      return;
    }
    await checkTag(store, flags);
    const parents = await resolveParents(store, flags.parent);
    const message = renderMessage(flags.message, removalReport(files), 'rm');
    const paths = files.map((f) => f.path);
    const result = await commitOrFail(() => tip.apply(null, paths, { message, operation: 'rm', parents }));
    await applyTag(store, flags, result);
    this.verbose(`Removed ${files.length} file(s)`);
  }
}
