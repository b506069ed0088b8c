import { describe, expect, it } from 'vitest';
import { InvalidPathError } from '../../../src/core/errors.js';
import { assertSafeRelPath } from '../../../src/plugins/paths.js';

describe('assertSafeRelPath', () => {
  it.each(['', '/', '/a', 'C:x', 'c:/x', 'a\\b', 'a\0b', 'a//b', 'a/', '.', '..', 'a/./b', 'a/../b', '../a', 'a/..', './a'])(
    'refuses %j',
    (path) => {
      expect(() => assertSafeRelPath(path)).toThrow(InvalidPathError);
      expect(() => assertSafeRelPath(path)).toThrow(`Unsafe path: '${path}'`);
    },
  );

  it.each(['a', 'a/b', '.hidden', '..x', 'x..', 'a/.b/..c', '...', 'dir/ünïcödé.txt', 'a b/c:d'])('accepts %j', (path) => {
    expect(() => assertSafeRelPath(path)).not.toThrow();
  });
});
