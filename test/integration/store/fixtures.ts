import { join } from 'node:path';
import { git } from './helpers.js';

/**
 * A fast-import stream of `commits` commits that each tweak a few lines of
 * some text files, so `git gc --aggressive` builds long delta chains.
 */
export function historyStream(commits: number, files = 4): string {
  const lines: string[] = [];
  const body = (f: number, c: number): string => {
    const rows: string[] = [];
    // Commit k rewrites line (37k mod 100), cumulatively: neighbours differ by one line, so deltas chain.
    const last = new Array<number>(100).fill(0);
    for (let k = 1; k <= c; k++) last[(k * 37) % 100] = k;
    for (let i = 0; i < 100; i++) rows.push(`file ${f} line ${i} last touched by commit ${last[i]} of the history`);
    return `${rows.join('\n')}\n`;
  };
  for (let c = 1; c <= commits; c++) {
    lines.push('commit refs/heads/main', `mark :${c}`, `committer T <t@example.com> ${1700000000 + c} +0000`);
    const msg = `commit ${c}\n`;
    lines.push(`data ${Buffer.byteLength(msg)}`, msg.slice(0, -1));
    if (c > 1) lines.push(`from :${c - 1}`);
    for (let f = 0; f < files; f++) {
      const data = body(f, c);
      lines.push(`M 100644 inline dir${f % 2}/file${f}.txt`, `data ${Buffer.byteLength(data)}`, data);
    }
    if (c % 5 === 0) lines.push(`M 100755 inline bin/run${c}.sh`, 'data 10', 'echo hi!!');
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

/** A bare repo with history made by git itself; `mode` picks how its objects are stored. */
export function gitMadeRepo(dir: string, mode: 'loose' | 'aggressive' | 'ref-delta', commits = 40): string {
  const gitdir = join(dir, `${mode}.git`);
  git(dir, ['init', '-q', '--bare', '--initial-branch=main', gitdir]);
  const limit = mode === 'loose' ? '1000000' : '1';
  git(gitdir, ['-c', `fastimport.unpackLimit=${limit}`, 'fast-import', '--quiet'], historyStream(commits));
  git(gitdir, ['tag', '-a', '-m', 'annotated\n\nbody', 'v1', 'main~3']);
  git(gitdir, ['tag', 'light', 'main~1']);
  if (mode === 'aggressive') git(gitdir, ['gc', '-q', '--aggressive', '--prune=now']);
  if (mode === 'ref-delta') {
    git(gitdir, ['-c', 'repack.useDeltaBaseOffset=false', 'repack', '-q', '-a', '-d', '-f', '--depth=20']);
    git(gitdir, ['pack-refs', '--all']);
  }
  return gitdir;
}
