import { Args } from '../../cli/declare.js';
import { loadOclif, VostCommand } from '../../cli/base.js';
import { noSuchSubcommand } from '../../cli/refs.js';

export default class Note extends VostCommand {
  static override summary = 'Git notes attached to commits (refs/notes/<namespace>).';
  static override args = { command: Args.string({ hidden: true }) };
  static usageTail = '[OPTIONS] COMMAND [ARGS]...';
  // Surplus words are reported as the unknown subcommand, not as extra arguments.
  static override strict = false;

  async run(): Promise<void> {
    const { args } = await this.parse(Note);
    if (args.command !== undefined) throw noSuchSubcommand(args.command);
    const { loadHelpClass } = await loadOclif();
    const config = (await this.oclifConfig()) as Parameters<typeof loadHelpClass>[0];
    const Help = await loadHelpClass(config);
    await new Help(config).showHelp(['note']);
  }
}
