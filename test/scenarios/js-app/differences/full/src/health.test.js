/**
 * Health endpoint tests (node:test, no extra dependencies). They need no database or Redis: the
 * readiness probes are stubbed.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';
import express from 'express';
import pg from 'pg';
import { createClient } from 'redis';
import { createApp } from './app.js';
import { healthRouter } from './health.js';

/**
 * Serve `app` on a free loopback port for the duration of `fn`.
 * @param {import('express').Express} app
 * @param {(baseUrl: string) => Promise<void>} fn
 */
async function withServer(app, fn) {
  /** @type {import('node:http').Server} */
  const server = createServer(app);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  try {
    await fn(`http://127.0.0.1:${port}`);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

/**
 * @param {import('./health.js').HealthOptions} options
 * @returns {import('express').Express}
 */
function healthApp(options) {
  return express().use(healthRouter(options));
}

const never = () => new Promise(() => undefined);

test('the app serves /livez and the example route', async () => {
  // Clients connect lazily: these never open a connection.
  const db = new pg.Pool();
  const cache = createClient();
  const app = createApp({ health: { checks: {}, isDraining: () => false }, db, cache });
  await withServer(app, async (url) => {
    const live = await fetch(`${url}/livez`);
    assert.equal(live.status, 200);
    assert.equal(await live.text(), 'ok');
    const hello = await fetch(`${url}/`);
    assert.equal(hello.status, 200);
    assert.equal(hello.headers.get('x-powered-by'), null);
  });
  await db.end();
});

test('/livez answers 503 once draining', async () => {
  let draining = false;
  await withServer(healthApp({ checks: {}, isDraining: () => draining }), async (url) => {
    assert.equal((await fetch(`${url}/livez`)).status, 200);
    draining = true;
    assert.equal((await fetch(`${url}/livez`)).status, 503);
  });
});

test('/readyz answers 200 when every check passes', async () => {
  const checks = { database: async () => 'ok', cache: async () => 'PONG' };
  await withServer(healthApp({ checks, isDraining: () => false }), async (url) => {
    const res = await fetch(`${url}/readyz`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'ready' });
  });
});

test('/readyz answers 503 without internals when a check fails', async () => {
  const checks = {
    database: async () => 'ok',
    cache: async () => {
      throw new Error('connect ECONNREFUSED 10.0.0.7:6379');
    },
  };
  await withServer(healthApp({ checks, isDraining: () => false }), async (url) => {
    const res = await fetch(`${url}/readyz`);
    assert.equal(res.status, 503);
    assert.equal(await res.text(), JSON.stringify({ status: 'unavailable' }));
  });
});

test('/readyz answers 503 within the timeout when a check hangs', async () => {
  const options = { checks: { database: never }, isDraining: () => false, timeoutMs: 50 };
  await withServer(healthApp(options), async (url) => {
    // The client gives up long before a hung probe would: a 503 here proves the probe is bounded.
    const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2000) });
    assert.equal(res.status, 503);
  });
});
