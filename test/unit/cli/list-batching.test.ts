import { describe, expect, it } from 'vitest';
import { ListEmitter, Sink } from '../../../src/cli/output.js';

function recordingSink(): Sink & { writes: string[] } {
  const writes: string[] = [];
  return { writes, write: async (t) => void (t === '' || writes.push(t)), end: async () => undefined };
}

const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i}`);

describe('ListEmitter batching', () => {
  it('writes the first item at once and gathers the rest into few large writes, in order', async () => {
    const sink = recordingSink();
    const emitter = new ListEmitter<string>(sink, { format: 'text', text: (s) => `${s}\n`, json: (s) => s });
    const items = lines(20_000);
    await emitter.write(items[0]!);
    expect(sink.writes).toEqual(['line 0\n']);
    for (const item of items.slice(1)) await emitter.write(item);
    await emitter.end();
    expect(sink.writes.join('')).toBe(items.map((s) => `${s}\n`).join(''));
    expect(sink.writes.length).toBeLessThan(20);
  });

  it('keeps jsonl and pretty json output identical to item-by-item writing', async () => {
    for (const format of ['jsonl', 'json'] as const) {
      const sink = recordingSink();
      const emitter = new ListEmitter<string>(sink, { format, pretty: true, text: () => '', json: (s) => ({ s }) });
      for (const item of lines(3)) await emitter.write(item);
      await emitter.end();
      const want =
        format === 'jsonl'
          ? '{"s": "line 0"}\n{"s": "line 1"}\n{"s": "line 2"}\n'
          : '[\n  {\n    "s": "line 0"\n  },\n  {\n    "s": "line 1"\n  },\n  {\n    "s": "line 2"\n  }\n]\n';
      expect(sink.writes.join('')).toBe(want);
    }
  });

  it('does not hold back the lines of a slow producer', async () => {
    const sink = recordingSink();
    const emitter = new ListEmitter<string>(sink, { format: 'text', text: (s) => `${s}\n`, json: (s) => s });
    await emitter.write('first');
    await emitter.write('second');
    expect(sink.writes.join('')).toBe('first\n');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sink.writes.join('')).toBe('first\nsecond\n');
    await emitter.end();
    expect(sink.writes.join('')).toBe('first\nsecond\n');
  });
});
