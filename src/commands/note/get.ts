import { Args } from '../../cli/declare.js';
import { VostCommand } from '../../cli/base.js';
import { namespaceFlag, noNote, resolveNoteTarget } from '../../cli/refs.js';

export default class NoteGet extends VostCommand {
  static override summary = 'Print the note attached to a commit (no newline added).';
  static override description = 'TARGET: a 40-hex commit id, a branch or tag name, `name:`, or `:` / nothing for the current branch.';
  static override args = { target: Args.string({ description: 'Commit to read the note of.' }) };
  static override flags = { namespace: namespaceFlag };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(NoteGet);
    const store = await this.openStore();
    const target = await resolveNoteTarget(store, args.target);
    const ns = store.notes.namespace(flags.namespace);
    if (!(await ns.has(target.hash))) throw noNote(target, flags.namespace);
    this.out(await ns.get(target.hash));
  }
}
