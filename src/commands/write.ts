import { Args, Flags } from '../cli/declare.js';
import { VostCommand } from '../cli/base.js';
import { CliError } from '../cli/errors.js';
import { applyTag, checkMessageTemplate, checkTag, messageFlag, parentFlag, resolveParents, tagFlags } from '../cli/message.js';
import { normalizeRepoPath, parseRepoPathArg } from '../cli/refpath.js';
import { checkRefName } from '../cli/refname.js';
import { branchFlag, resolveWriteBranch } from '../cli/snapshot.js';
import { checkNotDirectory, storeStdin, writeWithRetry } from '../cli/commands/writing.js';

export default class Write extends VostCommand {
  static override summary = 'Write stdin to a file in the repo (one commit).';
  static override args = {
    path: Args.string({ description: 'Repo path ([branch:]path, the colon is optional).', required: true }),
  };
  static override flags = {
    branch: branchFlag,
    message: messageFlag,
    passthrough: Flags.boolean({ char: 'p', description: 'Copy stdin to stdout as it is read (tee).', default: false }),
    'no-create': Flags.boolean({ description: 'Fail if the repository does not exist.', default: false }),
    ...tagFlags,
    parent: parentFlag,
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Write);
    const dest = parseRepoPathArg(args.path);
    const path = normalizeRepoPath(dest.path);
    checkMessageTemplate(flags.message);
    const branch = dest.ref !== '' ? dest.ref : flags.branch;
    // Refused before the repository is touched, so a bad PATH or --tag name never creates one.
    if (dest.back > 0) throw new CliError('Cannot write to a historical commit (remove ~N)', { code: 'HISTORICAL_TARGET' });
    if (flags.tag !== undefined) checkRefName(flags.tag);
    const store = await this.openStore({ create: !flags['no-create'], branch: branch ?? 'main' });
    const tip = await resolveWriteBranch(store, dest, { command: 'write', branch: flags.branch });
    await checkNotDirectory(tip, path);
    await checkTag(store, flags);
    const parents = await resolveParents(store, flags.parent);
    const oid = await storeStdin(tip, { passthrough: flags.passthrough });
    const result = await writeWithRetry(store, tip.refName!, path, oid, { template: flags.message, parents });
    await applyTag(store, flags, result);
    this.verbose(`Wrote :${path}`);
  }
}
