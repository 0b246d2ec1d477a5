/**
 * The patched fixture apps actually run: each is copied to a scratch folder (node_modules linked to
 * this repo's: express 5, pg, redis, typescript), patched, built with tsc when it is TypeScript, and
 * started with its detected container command against the real test PostgreSQL/Redis
 * (`bash .ci/services.sh`). /livez and /readyz answer, the app's own routes and 404s are unchanged,
 * the container health check passes, and SIGTERM drains to exit 0.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, queryRows, requireServices, type TestServices } from './support/services.js';
import {
  adoptOutputs,
  copyFixture,
  fixtureApp,
  freePort,
  removeScratchDirs,
  startApp,
  writeOutputs,
  type AdoptOutputs,
  type FixtureName,
  type RunningApp,
} from './fixtures/adopt/support.js';

let services: TestServices;
beforeAll(async () => {
  services = await requireServices();
});
afterAll(removeScratchDirs);

/** A patched, built copy of a fixture app. */
function prepare(name: FixtureName, flags: Record<string, string> = {}): { dir: string; out: AdoptOutputs } {
  const dir = copyFixture(name, true);
  const out = adoptOutputs(dir, flags);
  writeOutputs(dir, out);
  if (out.facts.typescript)
    execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], {
      cwd: dir,
      stdio: 'pipe',
    });
  return { dir, out };
}

async function get(app: RunningApp, path: string, init?: RequestInit): Promise<{ status: number; body: string }> {
  const res = await fetch(`${app.url}${path}`, { ...init, signal: AbortSignal.timeout(5000) });
  return { status: res.status, body: await res.text() };
}

/** Requests the app answered before adoption, with the status and a body fragment. */
const OWN_ROUTES: Record<Exclude<FixtureName, 'unrecognised'>, [string, RequestInit | undefined, number, string][]> = {
  'express-generator': [
    ['/', undefined, 200, '"title":"Express"'],
    ['/users', undefined, 200, 'respond with a resource'],
    ['/nope', undefined, 404, '"error":"Not Found"'],
  ],
  'esm-inline': [
    ['/', undefined, 200, '{"service":"notes"}'],
    [
      '/notes',
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"hi"}' },
      201,
      '"text":"hi"',
    ],
    ['/nope', undefined, 404, 'not found'],
  ],
  typescript: [
    ['/invoices', undefined, 200, 'inv_1'],
    ['/nope', undefined, 404, 'Not Found'],
  ],
  factory: [
    ['/orders', undefined, 200, '{"orders":[]}'],
    ['/nope', undefined, 404, 'no such route'],
  ],
};

describe.each(Object.keys(OWN_ROUTES) as (keyof typeof OWN_ROUTES)[])('patched %s', (name) => {
  let prepared: { dir: string; out: AdoptOutputs };
  let app: RunningApp;
  beforeAll(async () => {
    prepared = prepare(name);
    app = await startApp(prepared.dir, prepared.out.ctx.app.startCommand, {
      DATABASE_URL: services.databaseUrl,
      REDIS_URL: services.redisUrl,
    });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('answers GET /livez with 200 ok', async () => {
    expect(await get(app, '/livez')).toEqual({ status: 200, body: 'ok' });
  });
  it('answers GET /readyz with 200 against the real services', async () => {
    expect(await get(app, '/readyz')).toEqual({ status: 200, body: '{"status":"ready"}' });
  });
  it.each(OWN_ROUTES[name])('still answers %s as before', async (path, init, status, fragment) => {
    const res = await get(app, path, init);
    expect(res.status).toBe(status);
    expect(res.body).toContain(fragment);
  });
  it('passes the container health check command', () => {
    const [, , ...args] = prepared.out.ctx.app.healthcheckCommand; // ["CMD", "node", file]
    const port = new URL(app.url).port;
    expect(() =>
      execFileSync(process.execPath, args, { cwd: prepared.dir, env: { PORT: port }, stdio: 'pipe', timeout: 10_000 }),
    ).not.toThrow();
  });
  it('drains and exits 0 on SIGTERM', async () => {
    app.child.kill('SIGTERM');
    expect(await app.exited).toEqual({ code: 0, signal: null });
    expect(app.output()).toContain('"msg":"SIGTERM: draining"');
    const [, , ...args] = prepared.out.ctx.app.healthcheckCommand;
    const port = new URL(app.url).port;
    expect(() =>
      execFileSync(process.execPath, args, { cwd: prepared.dir, env: { PORT: port }, stdio: 'pipe', timeout: 10_000 }),
    ).toThrow();
  });
});

describe('the rolling-staging rollback drill (DRILL_CRASH=1)', () => {
  it.each(Object.keys(OWN_ROUTES) as (keyof typeof OWN_ROUTES)[])(
    '%s: exits 1 at start-up, before it listens',
    async (name) => {
      const { dir, out } = prepare(name);
      const [cmd, ...args] = out.ctx.app.startCommand;
      const env = {
        PATH: process.env.PATH,
        PORT: String(await freePort()),
        DATABASE_URL: services.databaseUrl,
        REDIS_URL: services.redisUrl,
        DRILL_CRASH: '1',
      };
      // Were the crash missing, the app would listen until the timeout kills it (status null).
      const failure = (() => {
        try {
          execFileSync(cmd === 'node' ? process.execPath : cmd!, args, {
            cwd: dir,
            env,
            stdio: 'pipe',
            timeout: 15_000,
          });
          return { status: 0, output: '' };
        } catch (e) {
          const err = e as { status: number | null; stdout: Buffer; stderr: Buffer };
          return { status: err.status, output: `${err.stdout}${err.stderr}` };
        }
      })();
      expect(failure.status, failure.output).toBe(1);
      expect(failure.output).toContain('rollback drill: DRILL_CRASH=1, exiting at start-up');
    },
  );
});

describe('readiness checks the detected clients', () => {
  it.each([
    ['typescript', 'DATABASE_URL', 'database'],
    ['factory', 'DATABASE_URL', 'database'],
    ['esm-inline', 'REDIS_URL', 'cache'],
  ] as const)('%s: /readyz is 503 while %s is unreachable, /livez stays 200', async (name, variable, check) => {
    const { dir, out } = prepare(name);
    const closed = await freePort();
    const url = variable === 'DATABASE_URL' ? `postgres://u:p@127.0.0.1:${closed}/db` : `redis://127.0.0.1:${closed}`;
    const app = await startApp(dir, out.ctx.app.startCommand, { [variable]: url });
    try {
      expect(await get(app, '/readyz')).toEqual({ status: 503, body: '{"status":"unavailable"}' });
      expect((await get(app, '/livez')).status).toBe(200);
      expect(app.output()).toContain(`"check":"${check}"`);
    } finally {
      await app.stop();
    }
  });
  it('with --database none there is nothing to check: /readyz is 200 without services', async () => {
    const { dir, out } = prepare('typescript', { database: 'none' });
    const app = await startApp(dir, out.ctx.app.startCommand, {});
    try {
      expect(await get(app, '/readyz')).toEqual({ status: 200, body: '{"status":"ready"}' });
    } finally {
      await app.stop();
    }
  });
});

describe('draining with keep-alive clients', () => {
  it('finishes a request in flight with Connection: close and exits 0 instead of waiting out keep-alive', async () => {
    const { dir, out } = prepare('factory');
    const app = await startApp(dir, out.ctx.app.startCommand, {
      DATABASE_URL: services.databaseUrl,
      SHUTDOWN_TIMEOUT_MS: '20000',
    });
    try {
      expect((await get(app, '/orders')).status).toBe(200); // leaves an idle keep-alive connection
      const slow = fetch(`${app.url}/orders/report?ms=1500`, { signal: AbortSignal.timeout(10_000) });
      for (let i = 0; i < 100 && !app.output().includes('report started'); i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(app.output()).toContain('report started');
      app.child.kill('SIGTERM');
      const res = await slow;
      expect([res.status, res.headers.get('connection'), await res.text()]).toEqual([
        200,
        'close',
        '{"report":"ready"}',
      ]);
      expect(await app.exited).toEqual({ code: 0, signal: null });
    } finally {
      await app.stop();
    }
  });
});

describe('the unrecognisable app', () => {
  it('runs exactly as before: no code changed, no health endpoints', async () => {
    const { dir, out } = prepare('unrecognised');
    expect([...out.skipped.keys()]).toEqual(['boot.js']);
    for (const f of ['boot.js', 'lib/kit.js', 'package.json'])
      expect(readFileSync(join(dir, f), 'utf8')).toBe(readFileSync(join(fixtureApp('unrecognised'), f), 'utf8'));
    const app = await startApp(dir, out.ctx.app.startCommand, {}, '/ping');
    try {
      expect(await get(app, '/ping')).toEqual({ status: 200, body: 'pong' });
      expect((await get(app, '/livez')).status).toBe(404);
    } finally {
      await app.stop();
    }
  });
});

describe('the plain-SQL migration runner (pg without a migration tool)', () => {
  it('applies migrations/*.sql once, then has nothing to apply', async () => {
    const { dir, out } = prepare('factory');
    const db = await createDatabase(services, 'adopt');
    try {
      mkdirSync(join(dir, 'migrations'));
      writeFileSync(join(dir, 'migrations/001_orders.sql'), 'CREATE TABLE orders (id bigint PRIMARY KEY);\n');
      const [cmd, ...args] = out.ctx.app.migrateCommand!;
      expect(cmd).toBe('node');
      const first = execFileSync(process.execPath, args, { cwd: dir, env: { DATABASE_URL: db.url }, encoding: 'utf8' });
      expect(first).toContain('"msg":"migrations complete"');
      expect(await queryRows(db.url, 'SELECT name FROM schema_migrations')).toEqual([{ name: '001_orders.sql' }]);
      const second = execFileSync(process.execPath, args, {
        cwd: dir,
        env: { DATABASE_URL: db.url },
        encoding: 'utf8',
      });
      expect(second).toContain('"msg":"nothing to apply"');
    } finally {
      await db.drop();
    }
  });
});
