/** resolveCredentials: put helper-provided credentials into an https URL (spec/api.md §17.5). */
import type { spawn as Spawn } from 'node:child_process';

const TIMEOUT_MS = 5000;

/**
 * Run a command with optional stdin; resolves to stdout, or null on any failure or timeout.
 * node:child_process is imported here, on first use: it loads net, dgram and
 * streams, which every `import 'vost'` would otherwise pay for.
 */
async function run(cmd: string, args: string[], input?: string): Promise<string | null> {
  const { spawn } = await import('node:child_process');
  return new Promise((resolve) => {
    let out = '';
    let done = false;
    const finish = (value: string | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(value);
    };
    let child: ReturnType<typeof Spawn>;
    try {
      child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
    } catch {
      resolve(null);
      return;
    }
    const timer = setTimeout(() => {
      child.kill();
      finish(null);
    }, TIMEOUT_MS);
    child.on('error', () => finish(null));
    child.stdout?.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.on('close', (code) => finish(code === 0 ? out : null));
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input ?? '');
  });
}

export async function resolveCredentials(url: string): Promise<string> {
  if (!url.startsWith('https://')) return url;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (parsed.username) return url;
  const host = parsed.hostname;
  const fill = await run('git', ['credential', 'fill'], `protocol=https\nhost=${host}\n\n`);
  if (fill !== null) {
    const fields = new Map<string, string>();
    for (const line of fill.split('\n')) {
      const eq = line.indexOf('=');
      if (eq > 0) fields.set(line.slice(0, eq), line.slice(eq + 1));
    }
    const user = fields.get('username');
    const pass = fields.get('password');
    if (user && pass) {
      parsed.username = user;
      parsed.password = pass;
      return parsed.toString();
    }
  }
  const token = (await run('gh', ['auth', 'token', '--hostname', host]))?.trim();
  if (token) {
    parsed.username = 'x-access-token';
    parsed.password = token;
    return parsed.toString();
  }
  return url;
}
