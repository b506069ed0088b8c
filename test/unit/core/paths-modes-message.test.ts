import { describe, expect, it } from 'vitest';
import {
  normalizePath,
  validateRefName,
  isRootPath,
  InvalidPathError,
  InvalidRefNameError,
  fileTypeFromMode,
  fileModeFromType,
  FileType,
  formatCommitMessage,
  emptyChangeReport,
  changeReportActions,
  changeReportTotal,
  changeReportInSync,
  finalizeChanges,
  mirrorDiffTotal,
  mirrorDiffInSync,
  resolveWriteMode,
} from '../../../src/core/index.js';
import { report } from './report-fixture.js';

describe('normalizePath', () => {
  it('canonicalises', () => {
    expect(normalizePath('/a/b/')).toBe('a/b');
    expect(normalizePath('./dir/f.txt')).toBe('dir/f.txt');
    expect(normalizePath('a\\b')).toBe('a/b');
    expect(normalizePath('a/./b')).toBe('a/b');
  });
  it('rejects bad paths with the spec messages', () => {
    expect(() => normalizePath('a//b')).toThrow(new InvalidPathError("Empty segment in path: 'a//b'"));
    expect(() => normalizePath('../x')).toThrow("Invalid path segment: '..'");
    for (const p of ['', '/', '.', './.']) expect(() => normalizePath(p)).toThrow('Path must not be empty');
  });
  it('knows root paths', () => {
    expect(isRootPath(null)).toBe(true);
    expect(isRootPath(undefined)).toBe(true);
    expect(isRootPath('//\\')).toBe(true);
    expect(isRootPath('a')).toBe(false);
  });
});

describe('validateRefName', () => {
  it('keeps the four reference checks and messages', () => {
    expect(() => validateRefName('a:b')).toThrow(new InvalidRefNameError("Invalid ref name 'a:b': contains colon"));
    expect(() => validateRefName('a b')).toThrow('contains space');
    expect(() => validateRefName('a\tb')).toThrow('contains tab');
    expect(() => validateRefName('a\nb')).toThrow('contains newline');
  });
  it('adds git ref-format rules', () => {
    for (const bad of ['a..b', 'a@{b', '-x', 'x.lock', 'a/', 'a.', 'a*b', 'a?b', 'a[b', 'a~1', 'a^', '.hidden', 'a//b', 'x\u0001']) {
      expect(() => validateRefName(bad), bad).toThrow(InvalidRefNameError);
    }
    for (const ok of ['main', 'feature/x', 'v1.0', 'a-b_c', 'release/2024.01']) expect(() => validateRefName(ok)).not.toThrow();
  });
});

describe('modes', () => {
  it('maps both ways and rejects unknown modes', () => {
    expect(fileTypeFromMode('100644')).toBe('blob');
    expect(fileTypeFromMode('100755')).toBe(FileType.EXECUTABLE);
    expect(fileTypeFromMode('120000')).toBe('link');
    expect(fileTypeFromMode('040000')).toBe('tree');
    expect(() => fileTypeFromMode('160000')).toThrow('Unknown git mode: 160000');
    expect(fileModeFromType('tree')).toBe('040000');
    expect(resolveWriteMode('executable')).toBe('100755');
    expect(resolveWriteMode('100644')).toBe('100644');
    expect(() => resolveWriteMode('tree')).toThrow(TypeError);
    expect(() => resolveWriteMode('040000')).toThrow(TypeError);
  });
});

describe('commit messages', () => {
  it('auto messages', () => {
    expect(formatCommitMessage(undefined, report([]))).toBe('No changes');
    expect(formatCommitMessage('', report(['a']))).toBe('+ a');
    expect(formatCommitMessage(null, report([], ['a']))).toBe('~ a');
    expect(formatCommitMessage(null, report([], [], ['a']))).toBe('- a');
    const exec = emptyChangeReport();
    exec.add.push({ path: 'run', type: 'executable' });
    expect(formatCommitMessage(null, exec)).toBe('+ run (executable)');
    expect(formatCommitMessage(null, report(['a', 'b', 'c'], ['d'], ['e', 'f']), 'cp')).toBe('Batch cp: +3 ~1 -2');
    expect(formatCommitMessage(null, report(['a', 'b']))).toBe('Batch: +2');
  });
  it('lenient templates replace every placeholder and keep other text', () => {
    const r = report(['a'], ['b']);
    expect(formatCommitMessage('x {default} {default} {op} {bogus} {add_count}/{update_count}/{delete_count}/{total_count}', r, 'mv')).toBe(
      'x Batch mv: +1 ~1 Batch mv: +1 ~1 mv {bogus} 1/1/0/2',
    );
    expect(formatCommitMessage('plain', r)).toBe('plain');
  });
  it('strict templates follow str.format', () => {
    const r = report(['a']);
    const strict = { strict: true };
    expect(formatCommitMessage('{{x}} {default}', r, null, strict)).toBe('{x} + a');
    expect(() => formatCommitMessage('{bogus}', r, null, strict)).toThrow('Unknown placeholder in message: {bogus}');
    expect(() => formatCommitMessage('{0}', r, null, strict)).toThrow('Unknown placeholder in message: {0}');
    // cli.md §5.2: a message without '{' is used verbatim, a lone '}' included; only a template rejects one.
    expect(formatCommitMessage('done}', r, null, strict)).toBe('done}');
    expect(() => formatCommitMessage('{default} } b', r, null, strict)).toThrow(/Unknown placeholder in message/);
    expect(() => formatCommitMessage('a { b', r, null, strict)).toThrow(/Unknown placeholder in message/);
    expect(formatCommitMessage('{op}', r, null, strict)).toBe('');
  });
});

describe('report helpers', () => {
  it('flatten, count and finalize', () => {
    const r = report(['b', 'a'], ['c'], ['a']);
    expect(changeReportActions(r)).toEqual([
      { path: 'a', action: 'add' },
      { path: 'a', action: 'delete' },
      { path: 'b', action: 'add' },
      { path: 'c', action: 'update' },
    ]);
    expect(changeReportTotal(r)).toBe(4);
    expect(changeReportInSync(emptyChangeReport())).toBe(true);
    expect(finalizeChanges(emptyChangeReport())).toBeNull();
    expect(finalizeChanges(r)).toBe(r);
    expect(mirrorDiffTotal({ add: [{ ref: 'x' }], update: [], delete: [{ ref: 'y' }] })).toBe(2);
    expect(mirrorDiffInSync({ add: [], update: [], delete: [] })).toBe(true);
  });
});
