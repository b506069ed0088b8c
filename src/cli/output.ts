/**
 * Output helpers: the `--format` flag, list emitters for text/json/jsonl that
 * stream item by item (cli.md §2.5), and an optional pager for terminals.
 */
import { spawn } from 'node:child_process';
import { Flags } from './declare.js';
import { dumps, JsonValue } from './json.js';

export type OutputFormat = 'text' | 'json' | 'jsonl';

/** `--format text|json|jsonl` (default text); other values are a usage error. */
export const formatFlag = Flags.string({
  description: 'Output format.',
  options: ['text', 'json', 'jsonl'] as const,
  default: 'text',
});

/** `--no-pager`: never pipe through `$PAGER`. */
export const noPagerFlag = Flags.boolean({ description: 'Do not page output on a terminal.', default: false });

/** Where output goes: a writer that honours back-pressure. */
export interface Sink {
  write(text: string): Promise<void>;
  end(): Promise<void>;
  /** True once the reader has gone away (pager quit): producers may stop early. */
  readonly closed?: boolean;
}

/**
 * A sink on a Node writable stream (stdout by default). No per-write
 * callbacks: when a whole run stays in microtasks (synchronous pack reads),
 * pending callbacks would pile up and keep every written string alive.
 * Write errors surface as the stream's 'error' event instead.
 */
export function streamSink(stream: NodeJS.WritableStream = process.stdout): Sink {
  return {
    write(text: string): Promise<void> {
      if (text === '' || stream.write(text)) return Promise.resolve();
      return new Promise((resolve) => stream.once('drain', () => resolve()));
    },
    end: () => Promise.resolve(),
  };
}

export interface ListEmitterOptions<T> {
  format: OutputFormat;
  /** Text rendering of one item, including its trailing newline(s). */
  text: (item: T) => string;
  /** JSON value of one item. */
  json: (item: T) => JsonValue;
  /** `json` format as an indented array (log, diff, reflog) rather than one line. */
  pretty?: boolean;
}

/** Output is gathered up to this many characters before it is written... */
const BATCH_CHARS = 64 * 1024;
/** ...or until it is this old: a slow producer's lines still appear promptly. */
const BATCH_MS = 50;

/**
 * Writes a list item by item in the chosen format: text lines, one JSON
 * value per line (jsonl), or a JSON array opened at once and closed by
 * `end()`, so the first item appears before the last one is produced.
 * The first item is written at once; later ones are gathered into larger
 * writes (one write per line dominated a long `log`).
 */
export class ListEmitter<T> {
  private count = 0;
  private pending = '';
  private pendingSince = 0;
  private timer: NodeJS.Timeout | null = null;
  constructor(
    private readonly sink: Sink,
    private readonly options: ListEmitterOptions<T>,
  ) {}

  async write(item: T): Promise<void> {
    const first = this.count === 0;
    this.count += 1;
    const text = this.render(item, first);
    if (first) return this.sink.write(text);
    if (this.pending === '') {
      this.pendingSince = performance.now();
      // For producers that wait on I/O between items; a busy one is caught by the age check below.
      this.timer = setTimeout(() => void this.flush(), BATCH_MS).unref();
      // A producer that fails exits without end(): what it produced before the failure still goes out.
      process.on('exit', this.flushAtExit);
    }
    this.pending += text;
    if (this.pending.length >= BATCH_CHARS || performance.now() - this.pendingSince >= BATCH_MS) return this.flush();
  }

  private render(item: T, first: boolean): string {
    const { format } = this.options;
    if (format === 'text') return this.options.text(item);
    const value = this.options.json(item);
    if (format === 'jsonl') return `${dumps(value)}\n`;
    if (this.options.pretty) return `${first ? '[\n' : ',\n'}  ${dumps(value, { indent: 2, level: 1 })}`;
    return `${first ? '[' : ', '}${dumps(value)}`;
  }

  private readonly flushAtExit = (): void => void this.flush();

  private flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    process.off('exit', this.flushAtExit);
    const text = this.pending;
    this.pending = '';
    return this.sink.write(text);
  }

  /** Writes what is gathered, closes the JSON array (`[]` when empty) and the sink. */
  async end(): Promise<void> {
    let close = '';
    if (this.options.format === 'json') close = this.count === 0 ? '[]\n' : this.options.pretty ? '\n]\n' : ']\n';
    this.pending += close;
    await this.flush();
    await this.sink.end();
  }

  /** Items written so far. */
  get written(): number {
    return this.count;
  }
}

/** Prints a whole list at once (see {@link ListEmitter}). */
export async function emitList<T>(items: Iterable<T> | AsyncIterable<T>, options: ListEmitterOptions<T>, sink: Sink = streamSink()): Promise<void> {
  const emitter = new ListEmitter(sink, options);
  for await (const item of items) await emitter.write(item);
  await emitter.end();
}

/** Prints one JSON value on one line. */
export function printJson(value: JsonValue, sink: Sink = streamSink()): Promise<void> {
  return sink.write(`${dumps(value)}\n`);
}

/**
 * A sink that pipes through `$PAGER` (default `less -FRX`) when stdout is a
 * terminal and paging is enabled; plain stdout otherwise. `PAGER=` or
 * `PAGER=cat` disable paging.
 */
export function pagerSink(enabled: boolean): Sink {
  const pager = process.env.PAGER ?? 'less -FRX';
  if (!enabled || !process.stdout.isTTY || pager.trim() === '' || pager.trim() === 'cat') return streamSink();
  const child = spawn(pager, { shell: true, stdio: ['pipe', 'inherit', 'inherit'] });
  const exited = new Promise<void>((resolve) => {
    child.once('close', () => resolve());
    child.once('error', () => resolve());
  });
  let closed = false;
  // The user quitting the pager early closes its stdin: stop writing, quietly.
  child.stdin.on('error', () => {
    closed = true;
  });
  const inner = streamSink(child.stdin);
  const gone = exited.then(() => {
    closed = true;
  });
  return {
    get closed() {
      return closed;
    },
    write: (text) => (closed ? Promise.resolve() : Promise.race([inner.write(text), gone])),
    async end() {
      child.stdin.end();
      await exited;
    },
  };
}
