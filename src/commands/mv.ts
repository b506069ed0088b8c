import { Args, Flags } from '../cli/declare.js';
import { VostCommand } from '../cli/base.js';
import { CliError } from '../cli/errors.js';
import { applyTag, checkMessageTemplate, checkTag, messageFlag, parentFlag, renderMessage, resolveParents, tagFlags } from '../cli/message.js';
import { normalizeRepoPath, parsePathArg, type RepoPathArg } from '../cli/refpath.js';
import { branchFlag, resolveWriteBranch } from '../cli/snapshot.js';
import { commitOrFail } from '../cli/commands/commit.js';
import { commitMove, moveReport, planMove, renderMoveDryRun } from '../cli/commands/moving.js';
import { sameBranchTarget } from '../cli/commands/write-target.js';
import { writeStdout } from '../cli/commands/stdout.js';

export default class Mv extends VostCommand {
  static override summary = 'Move or rename files within one branch (one commit).';
  static usageTail = '[OPTIONS] SOURCE... DEST';
  static override args = {
    paths: Args.string({ description: 'SOURCE... DEST, all repo paths with a colon.', required: true, multiple: true }),
  };
  static override flags = {
    recursive: Flags.boolean({ char: 'R', description: 'Allow moving directories.', default: false }),
    'dry-run': Flags.boolean({ char: 'n', description: 'Print what would move; commit nothing.', default: false }),
    'no-glob': Flags.boolean({ description: 'Treat * and ? literally.', default: false }),
    branch: branchFlag,
    message: messageFlag,
    ...tagFlags,
    parent: parentFlag,
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Mv);
    const raw = args.paths as unknown as string[];
    if (raw.length < 2) throw new CliError('mv requires at least two arguments (SRC... DEST)', { code: 'USAGE' });
    const parsed = raw.map(repoPathOnly);
    if (parsed.some((p) => p.back > 0)) {
      throw new CliError('Cannot move to/from a historical commit (remove ~N)', { code: 'HISTORICAL_TARGET' });
    }
    const target = sameBranchTarget(parsed);
    const destArg = parsed[parsed.length - 1];
    const sources = parsed.slice(0, -1).map((p) => normalizeRepoPath(p.path));
    const dest = { path: normalizeRepoPath(destArg.path, { allowRoot: true }), trailingSlash: destArg.path.endsWith('/') };
    checkMessageTemplate(flags.message);
    const store = await this.openStore();
    const tip = await resolveWriteBranch(store, target, { command: 'mv', branch: flags.branch });
    const plan = await planMove(tip, sources, dest, { recursive: flags.recursive, noGlob: flags['no-glob'] });
    if (flags['dry-run']) {
      await writeStdout(renderMoveDryRun(plan));
      return;
    }
    await checkTag(store, flags);
    const parents = await resolveParents(store, flags.parent);
    const message = renderMessage(flags.message, await moveReport(tip, plan), 'mv');
    const result = await commitOrFail(() => commitMove(tip, plan, { message, parents }));
    await applyTag(store, flags, result);
    this.verbose(`Moved ${plan.removes.length} -> ${plan.pairs.length} file(s)`);
  }
}

/** mv takes repo paths only: every argument needs its colon (cli.md §3.3). */
function repoPathOnly(raw: string): RepoPathArg {
  const parsed = parsePathArg(raw);
  if (parsed.kind !== 'repo') {
    throw new CliError(`All paths must be repo paths (colon prefix required): ${raw}`, { code: 'NOT_REPO_PATH' });
  }
  return parsed;
}
