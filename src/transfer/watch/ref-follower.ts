import { stat } from 'node:fs/promises';
import * as path from 'node:path';

export interface RefFollowerOptions {
  /** Path of the bare repository. */
  repo: string;
  branch: string;
  onChange: () => void;
  /** Poll period (default 100 ms); a poll is two stat calls, so this costs nothing measurable. */
  intervalMs?: number;
}

async function signatureOf(file: string): Promise<string> {
  try {
    const st = await stat(file, { bigint: true });
    return `${st.ino}:${st.size}:${st.mtimeNs}`;
  } catch {
    return '-';
  }
}

/**
 * Notices moves of one branch cheaply: git moves a ref by renaming a new
 * file over the old one (or rewriting packed-refs), so the identity of those
 * two files changes with every move. Only a change triggers a (debounced)
 * sync, which then resolves the branch properly.
 */
export class RefFollower {
  private timer: NodeJS.Timeout | null = null;
  private last = '';
  private polling = false;
  private readonly files: string[];

  constructor(private readonly opts: RefFollowerOptions) {
    this.files = [path.join(opts.repo, 'refs', 'heads', ...opts.branch.split('/')), path.join(opts.repo, 'packed-refs')];
  }

  async start(): Promise<void> {
    this.last = await this.signature();
    this.timer = setInterval(() => void this.poll(), this.opts.intervalMs ?? 100);
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async signature(): Promise<string> {
    return (await Promise.all(this.files.map(signatureOf))).join('|');
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const now = await this.signature();
      if (now !== this.last) {
        this.last = now;
        this.opts.onChange();
      }
    } finally {
      this.polling = false;
    }
  }
}
