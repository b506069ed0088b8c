import { Args } from '../../cli/declare.js';
import { VostCommand } from '../../cli/base.js';
import { namespaceFlag, noNote, resolveNoteTarget } from '../../cli/refs.js';

export default class NoteDelete extends VostCommand {
  static override summary = 'Remove the note attached to a commit.';
  static override args = { target: Args.string({ description: 'Commit whose note to remove.' }) };
  static override flags = { namespace: namespaceFlag };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(NoteDelete);
    const store = await this.openStore();
    const target = await resolveNoteTarget(store, args.target);
    const ns = store.notes.namespace(flags.namespace);
    if (!(await ns.has(target.hash))) throw noNote(target, flags.namespace);
    await ns.delete(target.hash);
    this.verbose(`Note deleted for ${target.shown}`);
  }
}
