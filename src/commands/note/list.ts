import { VostCommand } from '../../cli/base.js';
import { formatFlag, OutputFormat } from '../../cli/output.js';
import { namespaceFlag, printNames } from '../../cli/refs.js';

export default class NoteList extends VostCommand {
  static override summary = 'List the commit ids that have notes, sorted.';
  static override flags = { namespace: namespaceFlag, format: formatFlag };

  async run(): Promise<void> {
    const { flags } = await this.parse(NoteList);
    const store = await this.openStore();
    const ids = [...(await store.notes.namespace(flags.namespace).list())].sort();
    await printNames(ids, flags.format as OutputFormat);
  }
}
