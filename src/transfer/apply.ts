/**
 * Step 3: carry a plan out through the destination endpoint's writer.
 * Guarantees: nothing becomes visible before `commit`; any failure before it
 * aborts the writer, so a repo gets no commit and a folder is left exactly
 * as it was (see DirWriter for what a failure inside `commit` leaves).
 * Dry runs never get here: they print the plan.
 */
import { Readable } from 'node:stream';
import { EndpointError, TransferError } from '../core/errors.js';
import type { Endpoint, PutMeta, ReadHint, ReadResult, WriterOptions } from '../plugins/contract.js';
import { DirEndpoint } from '../plugins/dir/endpoint.js';
import { ModuleDirEndpoint } from '../plugins/dir/module-endpoint.js';
import { joinRel } from '../plugins/paths.js';
import { describe } from './enumerate.js';
import type { PlanItem, PlanMessage, ProgressListener, TransferPlan } from './types.js';

export interface ApplyOptions {
  writer?: WriterOptions;
  ignoreErrors?: boolean;
  onProgress?: ProgressListener;
  /** Files read and written at the same time. */
  concurrency?: number;
}

export interface ApplyResult {
  /** New commit id for repo destinations; null when nothing was committed. */
  commit: string | null;
  /** Per-file failures skipped under ignoreErrors. */
  errors: PlanMessage[];
  /** Items that reached the writer. */
  applied: PlanItem[];
}

export async function applyPlan(plan: TransferPlan, endpoints: Endpoint[], destIndex: number, opts: ApplyOptions = {}): Promise<ApplyResult> {
  const prune = plan.prune ?? [];
  if (plan.items.length === 0 && prune.length === 0) return { commit: null, errors: [], applied: [] };
  const dest = endpoints[destIndex];
  if (!dest.writer) throw new EndpointError(`${dest.display} is read-only`);
  const writer = await dest.writer({ ...opts.writer, keepGoing: !!opts.ignoreErrors });
  const errors: PlanMessage[] = [];
  const applied: PlanItem[] = [];
  const learned = new Map<number, Array<{ path: string; oid: string }>>();
  const planned = plan.items.filter((i) => i.action !== 'delete');
  const puts = writer.anyOrder ? await inReadOrder(planned, endpoints) : planned;
  const bytesTotal = puts.reduce((n, i) => n + i.size, 0);
  let filesDone = 0;
  let bytesDone = 0;
  const progress = (phase: 'apply' | 'commit' | 'done'): void =>
    opts.onProgress?.({ phase, filesDone, filesTotal: plan.items.length, bytesDone, bytesTotal });
  try {
    for (const item of plan.items) {
      if (item.action !== 'delete') continue;
      await writer.remove(joinRel(plan.destBase, item.path));
      applied.push(item);
      filesDone++;
    }
    await putAll(puts, {
      writer,
      endpoints,
      concurrency: opts.concurrency ?? 8,
      ignoreErrors: !!opts.ignoreErrors,
      destPath: (item) => joinRel(plan.destBase, item.path),
      stored: (item, oid, bytes) => {
        bytesDone += bytes - item.size;
        const from = item.from!;
        if (oid && endpoints[from.endpoint].learn) {
          const list = learned.get(from.endpoint) ?? [];
          list.push({ path: from.path, oid });
          learned.set(from.endpoint, list);
        }
        applied.push(item);
      },
      failed: (item, path, message) => {
        errors.push({ path: failedPath(endpoints[item.from!.endpoint], item.from!.path, dest, path), error: message });
      },
      finished: (item) => {
        filesDone++;
        bytesDone += item.size;
        progress('apply');
        return filesDone;
      },
    });
    if (puts.length > 0 && errors.length === puts.length && applied.length === 0) {
      throw new TransferError('All files failed to copy');
    }
    for (const dir of prune) await writer.removeEmptyDir?.(joinRel(plan.destBase, dir));
    progress('commit');
    const { commit, failed } = await writer.commit();
    for (const f of failed ?? []) errors.push({ path: describe(dest, f.path), error: f.error });
    for (const [i, list] of learned) endpoints[i].learn?.(list);
    progress('done');
    return { commit, errors, applied };
  } catch (e) {
    await writer.abort().catch(() => undefined);
    if (e instanceof TransferError && e.message === 'All files failed to copy') (e as TransferError & { errors?: PlanMessage[] }).errors = errors;
    throw e;
  }
}

/** Per-file errors name the local file involved (cli.md §9.8): the source on disk, else the folder target, else the source. */
function failedPath(src: Endpoint, srcPath: string, dest: Endpoint, destPath: string): string {
  if (src instanceof DirEndpoint || src instanceof ModuleDirEndpoint) return describe(src, srcPath);
  if (dest instanceof DirEndpoint || dest instanceof ModuleDirEndpoint) return describe(dest, destPath);
  return describe(src, srcPath);
}

function hintOf(item: PlanItem): ReadHint {
  return item.from!.oid ? { oid: item.from!.oid } : {};
}

/** Items stored at once (see putNow) between two turns of the event loop. */
const YIELD_EVERY = 256;

type Writer = Awaited<ReturnType<NonNullable<Endpoint['writer']>>>;

function metaOf(item: PlanItem, read: ReadResult): PutMeta {
  const from = item.from!;
  const meta: PutMeta = {};
  if (from.oid) meta.oid = from.oid;
  if (from.target !== undefined) meta.target = from.target;
  if (from.mtimeMs !== undefined) meta.mtimeMs = from.mtimeMs;
  if (read.localPath) {
    meta.localPath = read.localPath;
    meta.size = item.size;
  }
  return meta;
}

function bytesOf(item: PlanItem, read: ReadResult): number {
  return read.data instanceof Uint8Array ? read.data.length : item.size;
}

/**
 * {@link putOne} without a single await, when the source can read the item
 * at once and the writer can take it at once (a checkout of small blobs
 * from open packs): the per-file cost is then a few calls, not a chain of
 * promises. Null when either side cannot; nothing was stored then.
 */
function putNow(src: Endpoint, writer: Writer, path: string, item: PlanItem): { oid?: string; bytes: number } | null {
  if (!src.readNow || !writer.putNow) return null;
  const read = src.readNow(item.from!.path, hintOf(item));
  if (!read || !writer.putNow(path, item.kind, read.data, metaOf(item, read))) return null;
  return { oid: item.from!.oid, bytes: bytesOf(item, read) };
}

/**
 * The items grouped by source endpoint (groups in order of first
 * appearance), each group in the order its endpoint reads fastest when it
 * has a preference; only for writers whose result does not depend on order.
 */
async function inReadOrder(puts: PlanItem[], endpoints: Endpoint[]): Promise<PlanItem[]> {
  if (puts.length < 2 || !endpoints.some((e) => e.readOrder)) return puts;
  const groups = new Map<number, PlanItem[]>();
  for (const item of puts) {
    const group = groups.get(item.from!.endpoint);
    if (group) group.push(item);
    else groups.set(item.from!.endpoint, [item]);
  }
  const ordered: PlanItem[] = [];
  for (const [index, group] of groups) {
    const src = endpoints[index];
    if (!src.readOrder || group.length < 2) {
      ordered.push(...group);
      continue;
    }
    const keys = await src.readOrder(group.map((item) => ({ path: item.from!.path, hint: hintOf(item) })));
    const at = group.map((_, i) => i).sort((a, b) => keys[a]! - keys[b]! || a - b);
    for (const i of at) ordered.push(group[i]!);
  }
  return ordered;
}

interface PutAllContext {
  writer: Writer;
  endpoints: Endpoint[];
  concurrency: number;
  ignoreErrors: boolean;
  destPath(item: PlanItem): string;
  stored(item: PlanItem, oid: string | undefined, bytes: number): void;
  failed(item: PlanItem, destPath: string, message: string): void;
  /** After each item, stored or not; returns how many are finished. */
  finished(item: PlanItem): number;
}

/**
 * Put every item through the writer, `concurrency` reads at a time. The
 * first failure (unless ignored) stops every worker, and this returns (by
 * throwing it) only once none is still putting, so the caller can abort the
 * writer safely.
 */
async function putAll(puts: PlanItem[], ctx: PutAllContext): Promise<void> {
  const { writer, endpoints } = ctx;
  const turns = writer.anyOrder ? null : new Turns();
  const stop: { failed: { error: unknown } | null } = { failed: null };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < puts.length && !stop.failed) {
      const item = puts[next++];
      const src = endpoints[item.from!.endpoint];
      const path = ctx.destPath(item);
      const turn = turns?.claim();
      try {
        const { oid, bytes } = (turn ? null : putNow(src, writer, path, item)) ?? (await putOne(src, writer, path, item, turn?.ready));
        ctx.stored(item, oid, bytes);
      } catch (e) {
        if (!ctx.ignoreErrors || stop.failed) {
          stop.failed ??= { error: e };
          turns?.stop();
          break;
        }
        ctx.failed(item, path, (e as Error).message);
      } finally {
        turn?.done();
      }
      // Items stored without waiting run back to back: let the event loop turn now and then.
      if (ctx.finished(item) % YIELD_EVERY === 0) await new Promise((resume) => setImmediate(resume));
    }
  };
  await Promise.all(Array.from({ length: Math.min(ctx.concurrency, puts.length) }, worker));
  if (stop.failed) throw stop.failed.error;
}

/**
 * Puts in plan order for writers whose output depends on it (archives):
 * several reads still overlap, but each put waits for the one claimed
 * before it.
 */
class Turns {
  private last: Promise<void> = Promise.resolve();
  private stopped = false;

  /**
   * The next turn: `ready` once every earlier turn is done (rejected once
   * the transfer stopped); call `done` when this one is, success or not.
   */
  claim(): { ready: Promise<void>; done: () => void } {
    const ready = this.last.then(() => {
      if (this.stopped) throw new TransferError('Transfer stopped by an earlier failure');
    });
    // A waiting turn that is never awaited (its read failed first) must not surface as unhandled.
    ready.catch(() => undefined);
    let done!: () => void;
    this.last = new Promise<void>((resolve) => (done = resolve));
    return { ready, done };
  }

  stop(): void {
    this.stopped = true;
  }
}

/** Stores one item (after `turn`, when given); `bytes` is its real size when the read revealed it (repo listings report 0). */
async function putOne(src: Endpoint, writer: Writer, path: string, item: PlanItem, turn?: Promise<void>): Promise<{ oid?: string; bytes: number }> {
  const read = await src.read(item.from!.path, hintOf(item));
  try {
    await turn;
    const res = await writer.put(path, item.kind, read.data, metaOf(item, read));
    return { oid: (res && res.oid) || item.from!.oid, bytes: bytesOf(item, read) };
  } finally {
    if (read.data instanceof Readable && !read.data.destroyed) read.data.destroy();
  }
}
