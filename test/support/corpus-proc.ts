/**
 * Test support for the corpus check list: start an app's command and wait until it answers, query it,
 * and hold a fixed port while an app listens on it (two apps checked at once must never answer for
 * each other: a port another process already holds fails the start instead of testing that process).
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** A started app process with its port and output. */
export interface Proc {
  readonly port: number;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
  stop(): Promise<void>;
  signal(s: NodeJS.Signals): void;
}

export async function startProc(
  command: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  port: number,
  ready = '/livez',
): Promise<Proc> {
  if (!(await portIsFree(port)))
    throw new Error(`port ${port} is in use by another process: its answers would not be this app's`);
  const [cmd, ...args] = command;
  const child = spawn(cmd === 'node' ? process.execPath : cmd!, args, {
    cwd,
    env: { ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let done = false;
  void exited.then(() => (done = true));
  const proc: Proc = {
    port,
    output: () => out,
    exited,
    signal: (s) => void child.kill(s),
    stop: async () => {
      if (!done) child.kill('SIGKILL');
      await exited;
    },
  };
  for (let i = 0; i < 300 && !done; i++) {
    if (
      await fetch(`http://127.0.0.1:${port}${ready}`, { signal: AbortSignal.timeout(1000) }).then(
        () => true,
        () => false,
      )
    )
      return proc;
    await new Promise((r) => setTimeout(r, 100));
  }
  await proc.stop();
  throw new Error(`${command.join(' ')} did not answer on ${port}:\n${out.split('\n').slice(-15).join('\n')}`);
}

/** /readyz once it answers 200, or its last answer after ~10 s: a client that connects after listen() is not ready at once. */
export async function readyWhenUp(port: number): Promise<{ status: number; body: string; connection: string | null }> {
  let res = await get(port, '/readyz');
  for (let i = 0; i < 40 && res.status !== 200; i++) {
    await new Promise((r) => setTimeout(r, 250));
    res = await get(port, '/readyz');
  }
  return res;
}

export async function get(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; connection: string | null }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    headers,
    signal: AbortSignal.timeout(20_000),
    redirect: 'manual',
  });
  return { status: res.status, body: await res.text(), connection: res.headers.get('connection') };
}

const held = new Map<number, Promise<unknown>>();

/** Run `fn` once no other caller holds `port` (undefined: no fixed port, run at once). */
export function holdingPort<T>(port: number | undefined, fn: () => Promise<T>): Promise<T> {
  if (port === undefined) return fn();
  const mine = (held.get(port) ?? Promise.resolve()).then(fn);
  held.set(
    port,
    mine.catch(() => undefined),
  );
  return mine;
}

/** Whether nothing listens on loopback `port`. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
