/**
 * Continuous sync, `vost sync --watch` (cli.md §10.5 and beyond: repo → disk
 * following, stability checks, periodic reconcile). The options and the
 * wiring expected in src/commands/sync.ts are documented on WatchOptions in
 * ./options.ts.
 */
import * as path from 'node:path';
import { ExcludeFilter } from '../../core/exclude.js';
import { GitStore } from '../../core/index.js';
import { DirEndpoint } from '../../plugins/dir/endpoint.js';
import { DiskWatcher } from './disk-watcher.js';
import { WatchEngine } from './engine.js';
import { DEFAULT_RECONCILE_SECONDS, type WatchOptions } from './options.js';
import { RefFollower } from './ref-follower.js';
import { WatchReporter } from './report.js';
import { StatSettler } from './settle.js';
import { DiskToRepoSyncer, RepoToDiskSyncer, pathRules, type SyncerContext } from './syncers.js';

export type { WatchOptions, WatchDirection } from './options.js';

interface ChangeSource {
  start(): Promise<void>;
  close(): Promise<void>;
}

/** Time given to the OS and chokidar to deliver events already under way when a stop is asked for. */
const STOP_GRACE_MS = 150;

function banner(o: WatchOptions): string {
  const repoSide = `:${o.repoPath || '/'}`;
  const route = o.direction === 'in' ? `${o.local} -> ${repoSide}` : `${repoSide} -> ${o.local}`;
  return `Watching ${route} (debounce ${o.debounceMs}ms)`;
}

/** Resolves on SIGINT/SIGTERM or abort; a second signal exits at once (objects-first writes keep the repo sound). */
function stopRequested(o: WatchOptions): { promise: Promise<void>; dispose: () => void } {
  let resolveStop: () => void = () => undefined;
  const promise = new Promise<void>((r) => (resolveStop = r));
  let signalled = false;
  const onSignal = () => {
    if (signalled) process.exit(130);
    signalled = true;
    resolveStop();
  };
  const handle = o.handleSignals !== false;
  if (handle) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  if (o.signal?.aborted) resolveStop();
  o.signal?.addEventListener('abort', () => resolveStop(), { once: true });
  const dispose = () => {
    if (!handle) return;
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  return { promise, dispose };
}

interface Session {
  engine: WatchEngine;
  changes: ChangeSource;
  dir: DirEndpoint;
}

/** Wire the pieces for one direction: the folder watcher or the ref follower feeds the engine, which drives a syncer. */
async function buildSession(o: WatchOptions, reporter: WatchReporter): Promise<Session> {
  const store = await GitStore.open(o.repo, { create: false });
  const root = path.resolve(o.local);
  const repoAbs = path.resolve(o.repo);
  const inbound = o.direction === 'in';
  const filter = inbound ? new ExcludeFilter({ patterns: o.exclude, excludeFrom: o.excludeFrom, gitignore: o.gitignore }) : null;
  const dir = new DirEndpoint(root, { repoPath: repoAbs, display: o.local });
  const ctx: SyncerContext = {
    store,
    branch: o.branch,
    dir,
    local: o.local,
    repoPath: o.repoPath,
    rules: pathRules({ root, repoAbs, filter }),
    checksum: o.checksum === true,
    ignoreErrors: o.ignoreErrors === true,
    message: o.message,
  };
  const engine = new WatchEngine({
    syncer: inbound ? new DiskToRepoSyncer(ctx) : new RepoToDiskSyncer(ctx),
    reporter,
    debounceMs: o.debounceMs,
    reconcileMs: (o.reconcileSeconds ?? DEFAULT_RECONCILE_SECONDS) * 1000,
    settler: inbound ? new StatSettler(root, Math.floor(o.debounceMs / 2)) : undefined,
  });
  const changes: ChangeSource = inbound
    ? new DiskWatcher({
        root,
        ignore: (rel, isDir) => ctx.rules.watchIgnored(rel, isDir),
        onChange: (rel) => {
          if (filter?.gitignore && path.posix.basename(rel) === '.gitignore') engine.requestFull();
          else if (!ctx.rules.watchIgnored(rel, false)) engine.touch(rel);
        },
        onRescan: () => engine.requestFull(),
        onWarning: (m) => reporter.warning(m),
      })
    : // The engine only needs "something moved"; the syncer diffs the commits itself.
      new RefFollower({ repo: repoAbs, branch: o.branch, onChange: () => engine.touch(`refs/heads/${o.branch}`) });
  return { engine, changes, dir };
}

/**
 * Watch until SIGINT/SIGTERM (or `o.signal`): one full sync first, then one
 * commit (disk → repo) or one update of the folder (repo → disk) per window
 * that had changes. Resolves after the pending window was finished.
 */
export async function runWatch(o: WatchOptions): Promise<void> {
  const reporter = new WatchReporter(o.stdout ?? process.stdout, o.stderr ?? process.stderr, o.quiet === true);
  const stop = stopRequested(o);
  try {
    const { engine, changes, dir } = await buildSession(o, reporter);
    reporter.progress(banner(o));
    // The initial sync goes first so that the watcher's start-up scan
    // (seconds on a big tree) does not delay it; whatever changed meanwhile
    // is caught by one more full pass, cheap thanks to the stat cache.
    await engine.start();
    await changes.start();
    if (o.direction === 'in') engine.requestFull();
    await stop.promise;
    await new Promise((r) => setTimeout(r, STOP_GRACE_MS));
    await changes.close();
    await engine.stop();
    await dir.close();
    reporter.stopped();
  } finally {
    stop.dispose();
  }
}
