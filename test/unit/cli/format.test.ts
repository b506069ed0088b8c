import { describe, expect, it } from 'vitest';
import { StaleSnapshotError } from '../../../src/core/errors.js';
import { parseBeforeDate, parseIsoInstant } from '../../../src/cli/dates.js';
import { CliError, renderError, UsageError } from '../../../src/cli/errors.js';
import { dumps, JsonValue } from '../../../src/cli/json.js';
import { ListEmitter, Sink } from '../../../src/cli/output.js';
import { checkRefName } from '../../../src/cli/refname.js';
import { wildcardMatch } from '../../../src/cli/wildcard.js';

const iso = (s: string) => parseIsoInstant(s)?.toISOString() ?? null;

describe('--before dates', () => {
  it('reads date-only values as the end of that day (UTC)', () => {
    expect(iso('2024-01-15')).toBe('2024-01-15T23:59:59.999Z');
    expect(iso('20240115')).toBe('2024-01-15T23:59:59.999Z');
  });

  it('reads date-times, fractions and offsets', () => {
    expect(iso('2024-01-15T14:30')).toBe('2024-01-15T14:30:00.000Z');
    expect(iso('2024-01-15t14:30:05.25Z')).toBe('2024-01-15T14:30:05.250Z');
    expect(iso('2024-01-15T14:30:00+02:00')).toBe('2024-01-15T12:30:00.000Z');
    expect(iso('2024-01-15T14:30:00-0130')).toBe('2024-01-15T16:00:00.000Z');
    expect(iso('20240115T143000')).toBe('2024-01-15T14:30:00.000Z');
    // A space separator is a date-time, not a date (Appendix B #16).
    expect(iso('2024-01-15 14:30')).toBe('2024-01-15T14:30:00.000Z');
  });

  it('rejects what is not ISO 8601', () => {
    for (const bad of ['yesterday', '2024-13-01', '2024-02-30', '2024-01-15T25:00', '2024-0115', '']) {
      expect(iso(bad), bad).toBeNull();
    }
    expect(() => parseBeforeDate('soon')).toThrow(
      'Invalid date: soon (use ISO 8601, e.g. 2024-01-15 or 2024-01-15T14:30:00)',
    );
  });
});

describe('Python-compatible JSON', () => {
  it('uses Python separators and escapes non-ASCII', () => {
    expect(dumps({ hash: 'ab', type: 'blob', n: 3, ok: true, none: null })).toBe(
      '{"hash": "ab", "type": "blob", "n": 3, "ok": true, "none": null}',
    );
    expect(dumps(['é', '😀', 'a"b\\c\n\t\x01\x7f'])).toBe('["\\u00e9", "\\ud83d\\ude00", "a\\"b\\\\c\\n\\t\\u0001\\u007f"]');
    expect(dumps([])).toBe('[]');
    expect(dumps({})).toBe('{}');
  });

  it('pretty-prints like json.dumps(indent=2)', () => {
    expect(dumps([{ path: 'a', status: 'A' }], { indent: 2 })).toBe('[\n  {\n    "path": "a",\n    "status": "A"\n  }\n]');
  });

  it('streams arrays that equal the one-shot rendering', async () => {
    const items: JsonValue[] = [{ a: 1 }, { a: 2, b: ['x'] }];
    for (const pretty of [true, false]) {
      let text = '';
      const sink: Sink = { write: async (t) => void (text += t), end: async () => undefined };
      const emitter = new ListEmitter<JsonValue>(sink, { format: 'json', pretty, text: () => '', json: (x) => x });
      for (const item of items) await emitter.write(item);
      await emitter.end();
      expect(text).toBe(`${dumps(items, pretty ? { indent: 2 } : {})}\n`);
    }
  });
});

describe('--match wildcards', () => {
  it('matches whole messages, * crossing newlines', () => {
    expect(wildcardMatch('+ *', '+ a.txt')).toBe(true);
    expect(wildcardMatch('add', 'add more')).toBe(false);
    expect(wildcardMatch('line1*', 'line1\nline2')).toBe(true);
    expect(wildcardMatch('?atch', 'batch')).toBe(true);
    expect(wildcardMatch('[bc]atch', 'catch')).toBe(true);
    expect(wildcardMatch('[!bc]atch', 'catch')).toBe(false);
    expect(wildcardMatch('a.b(c)', 'a.b(c)')).toBe(true);
    expect(wildcardMatch('[x', '[x')).toBe(true);
    expect(wildcardMatch('Fix', 'fix')).toBe(false);
  });

  it('takes every other character literally, hyphens and backslashes included', () => {
    expect(wildcardMatch('*-*', '- old.txt')).toBe(true);
    expect(wildcardMatch('a-b', 'a-b')).toBe(true);
    expect(wildcardMatch('a\\b{1}|&~', 'a\\b{1}|&~')).toBe(true);
    expect(wildcardMatch('?', '😀')).toBe(true);
  });

  it('reads sets like fnmatch: ranges, literal hyphens at the ends, empty and reversed ranges', () => {
    const set = (pattern: string, chars: string) => [...chars].filter((c) => wildcardMatch(pattern, c)).join('');
    expect(set('[a-c]', 'abcd-')).toBe('abc');
    expect(set('[-a]', 'ab-')).toBe('a-');
    expect(set('[a-]', 'ab-')).toBe('a-');
    expect(set('[a-c-e]', 'abcde-')).toBe('abce-');
    expect(set('[!a-c]', 'abcd')).toBe('d');
    expect(set('[]a]', ']ab')).toBe(']a');
    expect(set('[z-a]', 'az-')).toBe('');
    expect(set('[z-ab]', 'abz-')).toBe('b');
    expect(set('[!z-a]', 'az')).toBe('az');
    expect(set('[\\^[]', '\\^[a')).toBe('\\^[');
  });
});

describe('ref names', () => {
  it('accepts git-valid names and rejects the rest with the spec texts', () => {
    for (const ok of ['main', 'feature/login', 'v1.0', 'a-b_c']) expect(() => checkRefName(ok)).not.toThrow();
    expect(() => checkRefName('a:b')).toThrow("Invalid ref name 'a:b': contains colon");
    for (const bad of ['a b', 'a..b', 'a~1', 'x^', 'a?', 'a*', 'a[', 'a\\b', '/a', 'a/', 'a//b', '.a', 'a/.b', 'a.lock', '@', 'a@{b', 'a.']) {
      expect(() => checkRefName(bad), bad).toThrow(`Invalid ref name: '${bad}'`);
    }
  });
});

describe('error rendering', () => {
  const ctx = { commandPath: 'branch set', usage: '[OPTIONS] NAME' };
  it('maps each kind of error to its text and exit code', () => {
    expect(renderError(new UsageError("Missing argument 'NAME'."), ctx)).toEqual({
      stderr: "Usage: vost branch set [OPTIONS] NAME\nTry 'vost branch set --help' for help.\n\nError: Missing argument 'NAME'.\n",
      exitCode: 2,
    });
    expect(renderError(new CliError('Branch not found: x'), ctx)).toEqual({ stderr: 'Error: Branch not found: x\n', exitCode: 1 });
    expect(renderError(new StaleSnapshotError("Branch 'main' has advanced since this snapshot"), ctx)).toEqual({
      stderr: 'Error: Branch modified concurrently — retry\n',
      exitCode: 1,
    });
    const sys = Object.assign(new Error("ENOENT: no such file or directory, open 'x'"), { code: 'ENOENT', syscall: 'open' });
    expect(renderError(sys, ctx).stderr).toBe("Error: no such file or directory, open 'x'\n");
    expect(renderError(Object.assign(new Error('bad'), { oclif: { exit: 3 } }), ctx)).toEqual({ stderr: 'Error: bad\n', exitCode: 3 });
  });
});
