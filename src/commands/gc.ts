import { VostCommand } from '../cli/base.js';

export default class Gc extends VostCommand {
  static override summary = 'Pack loose objects after removing leftover temporary files.';
  static override description = 'Never changes a ref or any content, and prunes nothing reachable from refs or reflogs.';

  async run(): Promise<void> {
    await this.parse(Gc);
    const store = await this.openStore();
    const n = await store.gc();
    this.verbose(`gc: packed ${n} object(s)`);
  }
}
