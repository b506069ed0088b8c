import { VostCommand } from '../cli/base.js';

export default class Pack extends VostCommand {
  static override summary = 'Move loose objects into a pack file.';
  static override description = 'Never changes a ref or any content.';

  async run(): Promise<void> {
    await this.parse(Pack);
    const store = await this.openStore();
    const n = await store.pack();
    this.verbose(`pack: packed ${n} object(s)`);
  }
}
