/**
 * Test support: checks of a running generated app, each returning a verdict instead of asserting, so
 * the negative tests (broken timeout, ignored SIGTERM, failing migration) run the very same checks
 * and show that they fail.
 */
import { Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { AppProcess } from './app-harness.js';

/** Outcome of a check: ok, or the list of what was wrong. */
export interface Verdict {
  readonly ok: boolean;
  readonly problems: readonly string[];
}

const verdict = (problems: string[]): Verdict => ({ ok: problems.length === 0, problems });
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The only body /readyz may return when degraded: no error text, hosts, ports or versions. */
export const UNAVAILABLE_BODY = JSON.stringify({ status: 'unavailable' });

/** GET with a client-side deadline; never throws. */
async function get(
  url: string,
  deadlineMs: number,
): Promise<{ status: number; body: string; elapsedMs: number } | { error: string; elapsedMs: number }> {
  const start = Date.now();
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(deadlineMs) });
    return { status: res.status, body: await res.text(), elapsedMs: Date.now() - start };
  } catch (err) {
    return { error: err instanceof Error ? err.name + ': ' + err.message : String(err), elapsedMs: Date.now() - start };
  }
}

/** /livez answers 200 "ok". */
export async function checkLive(app: AppProcess): Promise<Verdict> {
  const r = await get(`${app.url}/livez`, 2000);
  if ('error' in r) return verdict([`/livez failed: ${r.error}`]);
  return verdict(r.status === 200 && r.body === 'ok' ? [] : [`/livez answered ${r.status} ${JSON.stringify(r.body)}`]);
}

/** /readyz answers 200 {"status":"ready"}. */
export async function checkReady(app: AppProcess): Promise<Verdict> {
  const r = await get(`${app.url}/readyz`, 5000);
  if ('error' in r) return verdict([`/readyz failed: ${r.error}`]);
  const ok = r.status === 200 && r.body === JSON.stringify({ status: 'ready' });
  return verdict(ok ? [] : [`/readyz answered ${r.status} ${JSON.stringify(r.body)}, expected 200 ready`]);
}

/**
 * With a dependency down or hung, /readyz answers 503 with the bare "unavailable" body within the
 * readiness timeout plus `marginMs` (a functional bound: an unbounded probe would hang for seconds).
 */
export async function checkReadinessBounded(app: AppProcess, timeoutMs: number, marginMs = 2000): Promise<Verdict> {
  const bound = timeoutMs + marginMs;
  const r = await get(`${app.url}/readyz`, bound);
  if ('error' in r) return verdict([`/readyz gave no answer within ${bound} ms (${r.error})`]);
  const problems: string[] = [];
  if (r.status !== 503) problems.push(`/readyz answered ${r.status}, expected 503`);
  if (r.body !== UNAVAILABLE_BODY)
    problems.push(`/readyz body ${JSON.stringify(r.body)} is not exactly ${UNAVAILABLE_BODY}`);
  if (r.elapsedMs > bound) problems.push(`/readyz took ${r.elapsedMs} ms, bound ${bound} ms`);
  return verdict(problems);
}

/** A raw keep-alive connection that can leave a request half-sent (in flight) and finish it later. */
class RawConnection {
  private buffer = '';
  private closed = false;
  private constructor(private readonly socket: Socket) {
    socket.on('data', (d: Buffer) => (this.buffer += d.toString()));
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => undefined);
  }

  static async open(port: number): Promise<RawConnection> {
    const socket = connect({ host: '127.0.0.1', port });
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    return new RawConnection(socket);
  }

  /** Send the request line and headers but not the final blank line. */
  begin(path: string): void {
    this.socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n`);
  }

  /** Finish the request and return the status of the next response (null when the connection closed). */
  async finish(deadlineMs = 3000): Promise<number | null> {
    const start = this.buffer.length;
    if (!this.closed) this.socket.write('\r\n');
    for (let waited = 0; waited < deadlineMs; waited += 20) {
      const m = /HTTP\/1\.1 (\d{3})/.exec(this.buffer.slice(start));
      if (m) return Number(m[1]);
      if (this.closed) return null;
      await sleep(20);
    }
    return null;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** GET through a keep-alive agent, resolving with status and body (or the error). */
function keepAliveGet(
  url: string,
  agent: Agent,
): Promise<{ status: number; body: string; connection?: string } | { error: string }> {
  return new Promise((resolve) => {
    const req = request(url, { agent }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }));
      res.on('error', (err) => resolve({ error: err.message }));
    });
    req.on('error', (err) => resolve({ error: err.message }));
    req.end();
  });
}

/** Resolve true once new connections to `port` are refused (the listener closed), false after `deadlineMs`. */
async function listenerClosed(port: number, deadlineMs: number): Promise<boolean> {
  for (let waited = 0; waited < deadlineMs; waited += 50) {
    const refused = await RawConnection.open(port).then(
      (c) => {
        c.destroy();
        return false;
      },
      () => true,
    );
    if (refused) return true;
    await sleep(50);
  }
  return false;
}

/** Wait until the app serves `count` /slow requests (so SIGTERM really hits them in flight). */
async function slowRequestsInFlight(app: AppProcess, count: number): Promise<boolean> {
  for (let waited = 0; waited < 5000; waited += 20) {
    const r = await get(`${app.url}/slow/in-flight`, 1000);
    if (!('error' in r) && Number(r.body) >= count) return true;
    await sleep(20);
  }
  return false;
}

export interface ShutdownOptions {
  /** How long the slow requests take. */
  readonly slowMs: number;
  /** ECS stopTimeout: SIGKILL would come after this many ms. */
  readonly stopTimeoutMs: number;
}

/**
 * SIGTERM while requests are in flight (one buffered, one streaming, both on keep-alive connections):
 * both complete with 200 (the buffered one with `Connection: close`), /livez answers 503 to a request
 * that arrives while draining, and the process exits 0 before the stop timeout — which it cannot if a
 * kept-alive connection holds server.close() open. Needs the test-only /slow route (addSlowRoute).
 */
export async function checkGracefulShutdown(app: AppProcess, opts: ShutdownOptions): Promise<Verdict> {
  const problems: string[] = [];
  const probe = await RawConnection.open(app.port);
  probe.begin('/livez');
  if ((await probe.finish()) !== 200) problems.push('/livez was not 200 before SIGTERM');
  probe.begin('/livez'); // in flight across the signal
  const agent = new Agent({ keepAlive: true });
  const slow = keepAliveGet(`${app.url}/slow?ms=${opts.slowMs}`, agent);
  const streamed = keepAliveGet(`${app.url}/slow?ms=${opts.slowMs}&stream=1`, agent);
  if (!(await slowRequestsInFlight(app, 2))) problems.push('the slow requests never reached the handler');
  const sigtermAt = Date.now();
  app.child.kill('SIGTERM');
  if (!(await listenerClosed(app.port, 3000))) problems.push('still accepting new connections 3 s after SIGTERM');
  const during = await probe.finish();
  if (during !== 503) problems.push(`/livez during draining answered ${during ?? 'nothing'}, expected 503`);
  for (const [name, result] of [
    ['buffered', await slow],
    ['streaming', await streamed],
  ] as const) {
    const okBody = name === 'buffered' ? 'done' : 'started;done';
    if ('error' in result) problems.push(`${name} in-flight request failed: ${result.error}`);
    else if (result.status !== 200 || result.body !== okBody)
      problems.push(`${name} in-flight request answered ${result.status} ${JSON.stringify(result.body)}`);
  }
  // Headers not yet sent at SIGTERM must say `Connection: close`, so the client (the ALB) does not reuse
  // a connection the server is about to close.
  const buffered = await slow;
  if (!('error' in buffered) && buffered.connection !== 'close')
    problems.push(`in-flight response said Connection: ${buffered.connection}, expected close`);
  const remaining = Math.max(0, opts.stopTimeoutMs - (Date.now() - sigtermAt));
  const exit = await Promise.race([app.exited, sleep(remaining).then(() => null)]);
  if (exit === null)
    problems.push(`process still running ${opts.stopTimeoutMs} ms after SIGTERM (ECS would SIGKILL it)`);
  else if (exit.code !== 0) problems.push(`process exited with ${exit.code ?? exit.signal}, expected 0`);
  probe.destroy();
  agent.destroy();
  await app.kill();
  return verdict(problems);
}

/** With DRILL_FAIL_PATH set (the rollback drill's revision): that path answers 503, /livez stays 200. */
export async function checkDrillFailure(app: AppProcess, path: string): Promise<Verdict> {
  const failing = await get(`${app.url}${path}`, 5000);
  const live = await get(`${app.url}/livez`, 2000);
  const problems: string[] = [];
  if ('error' in failing || failing.status !== 503)
    problems.push(`${path} should answer 503 in the drill, got ${'error' in failing ? failing.error : failing.status}`);
  if ('error' in live || live.status !== 200)
    problems.push(`/livez must stay 200 in the drill, got ${'error' in live ? live.error : live.status}`);
  return verdict(problems);
}
