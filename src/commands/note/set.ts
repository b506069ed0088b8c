import { Args } from '../../cli/declare.js';
import { VostCommand } from '../../cli/base.js';
import { CliError } from '../../cli/errors.js';
import { namespaceFlag, resolveNoteTarget } from '../../cli/refs.js';

export default class NoteSet extends VostCommand {
  static override summary = 'Attach a note to a commit, replacing any existing one.';
  static override description = 'One argument: TEXT for the current branch. Two: TARGET TEXT.';
  static override args = { args: Args.string({ required: true, multiple: true, description: '[TARGET] TEXT' }) };
  static override flags = { namespace: namespaceFlag };
  static usageTail = '[OPTIONS] [TARGET] TEXT';

  async run(): Promise<void> {
    const { args, flags } = await this.parse(NoteSet);
    const words = args.args;
    if (words.length > 2) throw new CliError('Usage: vost note set [TARGET] TEXT', { code: 'USAGE' });
    const [rawTarget, text] = words.length === 2 ? [words[0], words[1]] : [undefined, words[0]];
    const store = await this.openStore();
    const target = await resolveNoteTarget(store, rawTarget);
    await store.notes.namespace(flags.namespace).set(target.hash, text);
    this.verbose(`Note set for ${target.shown}`);
  }
}
