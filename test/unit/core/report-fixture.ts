/** A change report of plain blobs, for the commit-message tests. */
import { emptyChangeReport, type ChangeReport } from '../../../src/core/index.js';

export function report(add: string[], update: string[] = [], del: string[] = []): ChangeReport {
  const r = emptyChangeReport();
  r.add = add.map((path) => ({ path, type: 'blob' }));
  r.update = update.map((path) => ({ path, type: 'blob' }));
  r.delete = del.map((path) => ({ path, type: 'blob' }));
  return r;
}
