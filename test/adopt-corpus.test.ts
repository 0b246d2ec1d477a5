/**
 * The adopt corpus (issue 10): small services of the shapes real public Express apps have
 * (test/fixtures/corpus/README.md), each through the full check list of test/support/corpus.ts with
 * its real dependencies installed from the npm registry into a scratch copy (one shared npm cache):
 * generator exit 0 and an idempotent second run; install and build; /livez, /readyz against the real
 * PostgreSQL, MariaDB and Redis (MongoDB: the wire-protocol stand-in, Debian has no server) and 503
 * once the dependency stops; own route and 404 unchanged; SIGTERM drain; the Dockerfile replayed
 * stage by stage with real installs, its CMD listening and its health check passing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../src/paths.js';
import { ALWAYS_RUN_CHECKS, formatResults, runCorpusChecks, type CheckName, type CorpusApp } from './support/corpus.js';
import { requireServicesWithMysql } from './support/services.js';

const FIXTURES = join(PACKAGE_ROOT, 'test/fixtures/corpus');
const mysqlEnv = (url: string): Record<string, string> => {
  const u = new URL(url);
  return {
    MYSQL_HOST: u.hostname,
    MYSQL_PORT: u.port,
    MYSQL_USER: u.username,
    MYSQL_PASSWORD: u.password,
    MYSQL_DB: u.pathname.slice(1),
  };
};
const pgEnv = (url: string): Record<string, string> => {
  const u = new URL(url);
  return {
    PGHOST: u.hostname,
    PGPORT: u.port,
    PGUSER: u.username,
    PGPASSWORD: u.password,
    PGDATABASE: u.pathname.slice(1),
  };
};

/** Each fixture, and the checks that do not pass by design (with why). */
const APPS: readonly (CorpusApp & { readonly expectSkip?: readonly CheckName[] })[] = [
  {
    name: 'mongoose-pm2',
    source: join(FIXTURES, 'mongoose-pm2'),
    dependency: 'mongo',
    ownRoute: '/v1/members',
    env: (u) => ({ MONGODB_URL: u }),
  },
  // Its own SIGTERM handler exits at once: draining is not added, and detection says so.
  {
    name: 'mysql-literal-port',
    source: join(FIXTURES, 'mysql-literal-port'),
    dependency: 'mysql',
    ownRoute: '/api/items',
    env: mysqlEnv,
    expectSkip: ['drain'],
  },
  { name: 'module-exports-subapps', source: join(FIXTURES, 'module-exports-subapps'), ownRoute: '/users' },
  { name: 'tsup-pnpm', source: join(FIXTURES, 'tsup-pnpm'), dependency: 'redis', ownRoute: '/products' },
  // Its pg Pool has no 'error' listener (as the service it is modelled on): when the database drops the idle
  // connection /readyz used, the process crashes, with or without the generator. Detection warns about it
  // (detect.test.ts); knex-ts-main covers /readyz 503 with PostgreSQL stopped.
  {
    name: 'ts4-pg-yarn',
    source: join(FIXTURES, 'ts4-pg-yarn'),
    dependency: 'postgres',
    ownRoute: '/',
    env: pgEnv,
    skip: {
      'readyz-down':
        "the app's pg Pool has no 'error' listener: a dropped idle connection crashes it (the generator warns)",
    },
    expectSkip: ['readyz-down'],
  },
  // TypeScript 3.0.3 with @types/node 10: the first TypeScript with `unknown`, the added module as it is everywhere.
  { name: 'ts3-pg-npm', source: join(FIXTURES, 'ts3-pg-npm'), dependency: 'postgres', ownRoute: '/', env: pgEnv },
  // TypeScript 2.3.4 with the @types of mid-2017: the oldest adopt mode accepts; the module declares a stand-in for `unknown`.
  { name: 'ts2-pg-npm', source: join(FIXTURES, 'ts2-pg-npm'), dependency: 'postgres', ownRoute: '/', env: pgEnv },
  {
    name: 'sequelize-no-lockfile',
    source: join(FIXTURES, 'sequelize-no-lockfile'),
    dependency: 'mysql',
    ownRoute: '/',
    env: mysqlEnv,
  },
  // Nx 23.2 (@nx/esbuild, bundle: false, as create-nx-workspace's node preset writes it): the real `nx build` runs.
  {
    name: 'nx-esbuild-npm',
    source: join(FIXTURES, 'nx-esbuild-npm'),
    ownRoute: '/api',
    buildEnv: { NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
  },
  { name: 'knex-ts-main', source: join(FIXTURES, 'knex-ts-main'), dependency: 'postgres', ownRoute: '/users' },
  {
    name: 'esm-mongodb-ioredis',
    source: join(FIXTURES, 'esm-mongodb-ioredis'),
    dependency: 'mongo',
    ownRoute: '/events',
    env: (u) => ({ MONGODB_URI: u }),
  },
];

const work = mkdtempSync(join(tmpdir(), 'ccp-corpus-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const only = process.env.CORPUS_ONLY?.split(',');

describe.each(APPS.filter((a) => !only || only.includes(a.name)))('corpus app $name', (app) => {
  it('passes the whole adopt check list', { timeout: 900_000 }, async () => {
    const services = await requireServicesWithMysql();
    const results = await runCorpusChecks(app, services, join(work, app.name), join(PACKAGE_ROOT, '.tmp', 'npm-cache'));
    const summary = formatResults(app.name, results);
    const failed = results.filter((r) => r.status === 'fail').map((r) => `${r.check}: ${r.detail}`);
    expect(failed, summary).toEqual([]);
    expect(
      results.filter((r) => r.status === 'skip').map((r) => r.check),
      summary,
    ).toEqual([...(app.expectSkip ?? [])]);
    expect(
      results.map((r) => r.check),
      summary,
    ).toEqual(expect.arrayContaining([...ALWAYS_RUN_CHECKS]));
  });
});
