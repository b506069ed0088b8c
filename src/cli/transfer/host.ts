/** Adapts a command instance to what the cp/sync runners need (I/O and opening the store). */
import type { GitStore } from '../../core/gitstore.js';
import type { TransferHost } from './cp.js';

/** The members of VostCommand the runners use (protected there, so reached through this narrow view). */
interface CommandLike {
  openStore(options: { create?: boolean | 'branch'; branch?: string }): Promise<GitStore>;
  verbose(line: string): void;
}

function writeOut(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (err) => (err ? reject(err) : resolve()));
  });
}

export function transferHost(command: unknown, quiet: boolean): TransferHost {
  const cmd = command as CommandLike;
  return {
    openStore: (o) => cmd.openStore({ create: o.create ? 'branch' : false, branch: o.branch }),
    verbose: (line) => cmd.verbose(line),
    stdout: writeOut,
    stderr: (text) => {
      if (text) process.stderr.write(text);
    },
    quiet,
    cwd: process.cwd(),
  };
}
