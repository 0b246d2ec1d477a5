/**
 * The generated smoke-test Lambda (terraform/lambda/smoke-test/index.mjs), imported as Lambda runs it
 * and pointed at a loopback server: it passes only when every path answers 2xx, fails on a 503, a
 * timeout or a refused connection, sends the test-route header, and answers each engine in its own
 * way (ECS: { hookStatus }; CodeDeploy: reports the status for the hook execution).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { goldenFile } from './support/goldens.js';

type Handler = (
  event?: unknown,
  context?: unknown,
  deps?: { report?: (event: unknown, status: string) => Promise<void> },
) => Promise<Record<string, unknown>>;
const HANDLER = 'terraform/lambda/smoke-test/index.mjs';
const handlerFiles = new Map<string, string>();
/** The golden handler written to disk once per scenario: Lambda imports it as a module. */
function golden(scenario: string): string {
  if (!handlerFiles.has(scenario)) {
    const file = join(mkdtempSync(join(tmpdir(), `ccp-smoke-${scenario}-`)), 'index.mjs');
    writeFileSync(file, goldenFile(scenario, HANDLER));
    handlerFiles.set(scenario, file);
  }
  return handlerFiles.get(scenario)!;
}

let server: Server;
let base = '';
const seen: Array<{ path: string; headers: IncomingHttpHeaders }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ path: req.url ?? '', headers: req.headers });
    if (req.url === '/slow') return; // never answers: the client's timeout must end it
    const status = req.url === '/readyz' || req.url === '/' ? 200 : req.url === '/broken' ? 503 : 404;
    res.writeHead(status, { 'content-type': 'text/plain' }).end(String(status));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

const saved = { ...process.env };
afterEach(() => {
  for (const k of Object.keys(process.env)) if (k.startsWith('SMOKE_')) delete process.env[k];
  Object.assign(process.env, saved);
  seen.length = 0;
});

async function load(scenario = 'defaults-ecs'): Promise<Handler> {
  return ((await import(pathToFileURL(golden(scenario)).href)) as { handler: Handler }).handler;
}
function configure(env: Record<string, string>): void {
  Object.assign(process.env, {
    SMOKE_BASE_URL: base,
    SMOKE_HEADER: 'X-Deploy-Test: 1',
    SMOKE_TIMEOUT_MS: '2000',
    ...env,
  });
}

describe('smoke-test Lambda against a loopback server', () => {
  it('passes when /readyz and the configured path answer 2xx, sending the test-route header', async () => {
    configure({ SMOKE_PATHS: '/readyz /' });
    expect(await (await load())({ lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT' })).toEqual({ hookStatus: 'SUCCEEDED' });
    expect(seen.map((s) => s.path)).toEqual(['/readyz', '/']);
    for (const s of seen) expect(s.headers['x-deploy-test']).toBe('1');
  });

  it('fails when one path answers 503', async () => {
    configure({ SMOKE_PATHS: '/readyz /broken' });
    expect(await (await load())({})).toEqual({ hookStatus: 'FAILED' });
  });

  it('fails when a path does not answer within the timeout', async () => {
    configure({ SMOKE_PATHS: '/slow', SMOKE_TIMEOUT_MS: '300' });
    const started = Date.now();
    expect(await (await load())({})).toEqual({ hookStatus: 'FAILED' });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('fails when nothing listens, and when it has no URL at all', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    configure({ SMOKE_BASE_URL: `http://127.0.0.1:${port}`, SMOKE_PATHS: '/readyz' });
    expect(await (await load())({})).toEqual({ hookStatus: 'FAILED' });
    configure({ SMOKE_BASE_URL: '' });
    expect(await (await load())({})).toEqual({ hookStatus: 'FAILED' });
  });

  it('CodeDeploy: reports Succeeded or Failed for the hook execution it was given', async () => {
    const handler = await load('codedeploy-guide');
    const reports: Array<[unknown, string]> = [];
    const report = async (event: unknown, status: string): Promise<void> => void reports.push([event, status]);
    const event = { DeploymentId: 'd-123', LifecycleEventHookExecutionId: 'hook-1' };
    configure({ SMOKE_PATHS: '/readyz', SMOKE_HEADER: '' });
    expect(await handler(event, {}, { report })).toEqual({ status: 'Succeeded' });
    configure({ SMOKE_PATHS: '/readyz /broken', SMOKE_HEADER: '' });
    expect(await handler(event, {}, { report })).toEqual({ status: 'Failed' });
    expect(reports).toEqual([
      [event, 'Succeeded'],
      [event, 'Failed'],
    ]);
    expect(seen.every((s) => s.headers['x-deploy-test'] === undefined)).toBe(true);
  });
});
