import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { dumps, JsonValue } from '../../../src/cli/json.js';

/** Python's own json.dumps of each value (one per line), with and without indent=2. */
function python(values: JsonValue[], indent: boolean): string[] {
  const script = `import json, sys\nfor line in sys.stdin:\n    print(json.dumps(json.loads(line)${indent ? ', indent=2' : ''}).replace("\\n", "\\\\n"))`;
  const input = values.map((v) => JSON.stringify(v)).join('\n');
  return execFileSync('python3', ['-c', script], { input }).toString('utf8').trimEnd().split('\n');
}

const values: JsonValue[] = [
  'plain ascii',
  'quote " backslash \\ slash / tab \t newline \n cr \r bell \x07 del \x7f',
  'é ü 中文 😀 \u2028',
  '',
  [],
  {},
  [1, -2, 3.5, true, false, null, 'x'],
  { hash: 'ab'.repeat(20), message: 'multi\nline "quoted"', nested: { a: [], b: {}, c: [{ d: 'é' }] }, n: 0 },
  [[['deep']], { 'kéy "q"': 'v' }],
];

describe('dumps against Python json.dumps', () => {
  it('matches on one line', () => {
    expect(values.map((v) => dumps(v))).toEqual(python(values, false));
  });

  it('matches with indent=2', () => {
    expect(values.map((v) => dumps(v, { indent: 2 }).replace(/\n/g, '\\n'))).toEqual(python(values, true));
  });

  it('leaves out undefined members', () => {
    expect(dumps({ a: 1, b: undefined, c: 'x' })).toBe('{"a": 1, "c": "x"}');
  });
});
