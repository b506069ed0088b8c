import { Readable } from 'node:stream';
import { joinRel } from '../../plugins/paths.js';
import { fileProblem, type PlanInput, type ScopedPlan, type Side } from './scoped-plan.js';

export interface ApplyInput {
  source: Side;
  dest: Side;
  message?: string;
  display: PlanInput['display'];
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
    for (const path of plan.remove) await writer.remove(joinRel(dest.base, path));
    for (const { entry, isNew } of plan.put) {
      try {
        const from = joinRel(source.base, entry.path);
        const { data, localPath } = await source.ep.read(from);
        const meta = { oid: entry.oid, target: entry.target, mtimeMs: entry.mtimeMs, localPath };
        const res = await writer.put(joinRel(dest.base, entry.path), entry.kind, data, meta).finally(() => {
          if (data instanceof Readable && !data.destroyed) data.destroy();
        });
        const oid = (res && res.oid) || entry.oid;
        if (oid) learned.push({ path: from, oid });
      } catch (err) {
        fileProblem(plan, input, entry.path, err);
        if (isNew) plan.add--;
        else plan.update--;
      }
    }
    const { commit } = await writer.commit();
    source.ep.learn?.(learned);
    return commit;
  } catch (err) {
    await writer.abort().catch(() => undefined);
    throw err;
  }
}
