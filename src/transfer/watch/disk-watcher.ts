import { watch, type FSWatcher } from 'chokidar';
import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import * as path from 'node:path';

export interface DiskWatcherOptions {
  /** Absolute path of the watched directory. */
  root: string;
  /** Paths never worth watching (the repository itself, statically excluded directories). */
  ignore: (relPath: string, isDir: boolean) => boolean;
  onChange: (relPath: string) => void;
  /** Events may have been lost (watcher error, root replaced): a full reconcile is due. */
  onRescan: () => void;
  onWarning: (message: string) => void;
  /** How often the root itself is checked for deletion/replacement. */
  rootCheckMs?: number;
}

type RootState = { kind: 'present'; ino: bigint; dev: bigint } | { kind: 'missing' };

async function rootState(root: string): Promise<RootState> {
  try {
    const st = await stat(root, { bigint: true });
    return st.isDirectory() ? { kind: 'present', ino: st.ino, dev: st.dev } : { kind: 'missing' };
  } catch {
    return { kind: 'missing' };
  }
}

function sameRoot(a: RootState, b: RootState): boolean {
  if (a.kind === 'missing' || b.kind === 'missing') return a.kind === b.kind;
  return a.ino === b.ino && a.dev === b.dev;
}

/**
 * Recursive change notification for one directory: chokidar on native
 * fs.watch (no polling of the tree), reporting paths relative to the root.
 * chokidar cannot follow its root being deleted and recreated, so the root's
 * identity is checked with one stat per `rootCheckMs`; when it changes the
 * watcher is rebuilt and a full reconcile requested.
 */
export class DiskWatcher {
  private watcher: FSWatcher | null = null;
  private state: RootState = { kind: 'missing' };
  private rootTimer: NodeJS.Timeout | null = null;
  private checking = false;
  private closed = false;
  private readonly warned = new Set<string>();

  constructor(private readonly opts: DiskWatcherOptions) {}

  /** Resolves once the initial scan is done and events are flowing. */
  async start(): Promise<void> {
    this.state = await rootState(this.opts.root);
    if (this.state.kind === 'present') await this.open();
    else this.opts.onWarning(`${this.opts.root}: watched folder is missing, waiting for it to appear`);
    this.rootTimer = setInterval(() => void this.checkRoot(), this.opts.rootCheckMs ?? 500);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.rootTimer) clearInterval(this.rootTimer);
    this.rootTimer = null;
    await this.watcher?.close();
    this.watcher = null;
  }

  private rel(absPath: string): string {
    return path.relative(this.opts.root, absPath).split(path.sep).join('/');
  }

  private report(absPath: string): void {
    const rel = this.rel(absPath);
    if (rel !== '' && !rel.startsWith('..')) this.opts.onChange(rel);
  }

  private async open(): Promise<void> {
    const w = watch(this.opts.root, {
      ignoreInitial: true,
      persistent: true,
      followSymlinks: false,
      ignorePermissionErrors: true,
      ignored: (p: string, st?: Stats) => {
        const rel = this.rel(p);
        return rel !== '' && !rel.startsWith('..') && this.opts.ignore(rel, st?.isDirectory() ?? false);
      },
    });
    this.watcher = w;
    w.on('all', (_event, p) => this.report(p));
    // chokidar drops a change that touches neither mtime nor size (chmod +x);
    // the raw fs.watch event still names the path, so pass that on as well.
    w.on('raw', (_event, evPath, details) => {
      const watched = (details as { watchedPath?: string } | undefined)?.watchedPath;
      if (!evPath || !watched) return;
      this.report(path.basename(watched) === evPath ? watched : path.join(watched, evPath));
    });
    w.on('error', (err) => {
      // One line per kind of failure: running out of inotify watches fails once per file.
      const message = err instanceof Error ? err.message : String(err);
      const kind = (err as NodeJS.ErrnoException).code ?? message;
      if (!this.warned.has(kind)) {
        this.warned.add(kind);
        this.opts.onWarning(`watcher: ${message}; changes there are picked up by full rescans`);
      }
      this.opts.onRescan();
    });
    await new Promise<void>((resolve) => w.once('ready', () => resolve()));
  }

  private async checkRoot(): Promise<void> {
    if (this.checking || this.closed) return;
    this.checking = true;
    try {
      const next = await rootState(this.opts.root);
      if (sameRoot(next, this.state) || this.closed) return;
      const was = this.state;
      this.state = next;
      await this.watcher?.close();
      this.watcher = null;
      if (next.kind === 'missing') {
        this.opts.onWarning(`${this.opts.root}: watched folder disappeared, waiting for it to come back`);
        return;
      }
      if (was.kind === 'missing') this.opts.onWarning(`${this.opts.root}: watched folder is back, resyncing`);
      await this.open();
      this.opts.onRescan();
    } catch (err) {
      // Not fatal: the next check tries again.
      this.state = { kind: 'missing' };
      this.opts.onWarning(`${this.opts.root}: cannot watch: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.checking = false;
    }
  }
}
