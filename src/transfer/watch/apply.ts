import { Readable } from 'node:stream';
import type { EndpointWriter, Entry } from '../../plugins/contract.js';
import { joinRel } from '../../plugins/paths.js';
import { fileProblem, sortProblems, type PlanInput, type ScopedPlan, type Side } from './scoped-plan.js';

/** Files read and staged at the same time (the writer serialises its own staging). */
const PUT_CONCURRENCY = 8;

export interface ApplyInput extends Pick<PlanInput, 'display' | 'ignoreErrors'> {
  source: Side;
  dest: Side;
  /** The final commit message (templates already rendered); absent = automatic. */
  message?: string;
}

/**
 * Apply a scoped plan through the destination's writer: removals first (a
 * file may be replacing a directory), then the puts, then one commit. A
 * source file that cannot be read any more is dropped from the commit with
 * a warning instead of failing the whole window. Returns the commit id the
 * writer reports (null when nothing changed).
 */
export async function applyScoped(plan: ScopedPlan, input: ApplyInput): Promise<string | null> {
  if (plan.put.length === 0 && plan.remove.length === 0) return null;
  const { source, dest } = input;
  const writer = await dest.ep.writer!({ message: input.message, operation: 'sync' });
  const learned: Array<{ path: string; oid: string }> = [];
  try {
    for (const { path } of plan.remove) await writer.remove(joinRel(dest.base, path));
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < plan.put.length) {
        const { entry, isNew } = plan.put[next++];
        try {
          const oid = await putOne(input, writer, entry);
          if (oid) learned.push({ path: joinRel(source.base, entry.path), oid });
        } catch (err) {
          fileProblem(plan, input, entry.path, err);
          if (isNew) plan.add--;
          else plan.update--;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(PUT_CONCURRENCY, plan.put.length) }, worker));
    const { commit } = await writer.commit();
    source.ep.learn?.(learned);
    sortProblems(plan);
    return commit;
  } catch (err) {
    await writer.abort().catch(() => undefined);
    throw err;
  }
}

async function putOne(input: ApplyInput, writer: EndpointWriter, entry: Entry): Promise<string | undefined> {
  const { data, localPath } = await input.source.ep.read(joinRel(input.source.base, entry.path));
  try {
    const meta = { oid: entry.oid, target: entry.target, mtimeMs: entry.mtimeMs, localPath };
    const res = await writer.put(joinRel(input.dest.base, entry.path), entry.kind, data, meta);
    return (res && res.oid) || entry.oid;
  } finally {
    if (data instanceof Readable && !data.destroyed) data.destroy();
  }
}
