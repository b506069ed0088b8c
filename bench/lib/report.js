// Results: target evaluation and rendering (terminal table, markdown, JSON).
import { writeFileSync, renameSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** Target kinds. `ratio` targets compare vost with the peer measured in the same run. */
export const target = {
  ratioMax: (x) => ({ text: `≤ ${x}x`, pass: (r) => r.ratio <= x }),
  atMost: (v, unit) => ({ text: `≤ ${v} ${unit}`, pass: (r) => r.vost <= v }),
  below: (v, unit) => ({ text: `< ${v} ${unit}`, pass: (r) => r.vost < v }),
  atLeast: (v, unit) => ({ text: `≥ ${v} ${unit}`, pass: (r) => r.vost >= v }),
  /** vost may exceed the peer (e.g. bare Node start-up) by at most `v`. */
  overheadMax: (v, unit) => ({ text: `≤ peer + ${v} ${unit}`, pass: (r) => r.vost - r.peer <= v }),
  info: { text: '(info)', pass: null },
};

/**
 * Build one result row. `checks` are correctness conditions ({ok, msg}); a
 * fast but wrong result must not pass, so any failed check makes it FAIL.
 */
export function result({ name, issue, what, unit, vost, peer, peerLabel, samples, target: t, checks = [], notes = [] }) {
  const ratio = peer > 0 && Number.isFinite(vost) ? vost / peer : NaN;
  const row = { name, issue, what, unit, vost, peer, peerLabel, ratio, target: t.text, status: 'INFO', notes: [...notes] };
  if (samples) row.notes.unshift(`median of ${samples} interleaved sample(s) per side`);
  const failed = checks.filter((c) => !c.ok);
  if (failed.length) {
    row.status = 'FAIL';
    row.notes.push(...failed.map((c) => `check failed: ${c.msg}`));
  } else if (t.pass) {
    row.status = t.pass(row) ? 'PASS' : 'FAIL';
  }
  return row;
}

/** A row for a benchmark that could not be measured. */
export function notMeasured({ name, issue, what }, status, reason) {
  return { name, issue, what, unit: '', vost: NaN, peer: NaN, peerLabel: '', ratio: NaN, target: '', status, notes: [reason] };
}

function fmtNumber(v, unit) {
  if (!Number.isFinite(v)) return '—';
  const digits = v >= 100 ? 0 : v >= 10 ? 1 : 2;
  const n = v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  return unit ? `${n} ${unit}` : n;
}

function cells(r) {
  return [
    r.name,
    fmtNumber(r.vost, r.unit),
    fmtNumber(r.peer, r.unit),
    Number.isFinite(r.ratio) ? `${r.ratio.toFixed(2)}x` : '—',
    r.target,
    r.status,
  ];
}

const HEADER = ['benchmark', 'vost', 'peer', 'ratio', 'target', 'result'];

export function renderTable(rows) {
  const all = [HEADER, ...rows.map(cells)];
  const widths = HEADER.map((_, i) => Math.max(...all.map((c) => [...c[i]].length)));
  const line = (c) => c.map((s, i) => s.padEnd(widths[i] + (s.length - [...s].length))).join('  ').trimEnd();
  const out = [line(HEADER), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map((r) => line(cells(r)))];
  out.push('', ...notesLines(rows));
  return out.join('\n');
}

function notesLines(rows) {
  const lines = [];
  for (const r of rows) {
    const parts = [];
    if (r.what) parts.push(r.what);
    if (r.peerLabel) parts.push(`peer: ${r.peerLabel}`);
    parts.push(...r.notes);
    lines.push(`${r.name} [issue ${r.issue}]: ${parts.join('; ')}`);
  }
  return lines;
}

export function renderMarkdown(rows, meta) {
  const esc = (s) => String(s).replaceAll('|', '\\|');
  const out = [
    '# vost benchmark results',
    '',
    `Command: \`${meta.command}\`  `,
    `Date: ${meta.date}  `,
    `Commit: ${meta.commit}  `,
    `Machine: ${meta.machine}  `,
    `Load: ${meta.load}`,
    '',
    `| ${HEADER.join(' | ')} |`,
    `| ${HEADER.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${cells(r).map(esc).join(' | ')} |`),
    '',
    '## Notes',
    '',
    ...notesLines(rows).map((l) => `- ${esc(l)}`),
    '',
  ];
  return out.join('\n');
}

function writeAtomic(path, text) {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

export function writeResults(dir, rows, meta) {
  writeAtomic(`${dir}/results.md`, renderMarkdown(rows, meta));
  const json = rows.map((r) => ({ ...r, ratio: Number.isFinite(r.ratio) ? r.ratio : null, vost: num(r.vost), peer: num(r.peer) }));
  writeAtomic(`${dir}/results.json`, `${JSON.stringify({ ...meta, results: json }, null, 2)}\n`);
}

const num = (v) => (Number.isFinite(v) ? v : null);
