/**
 * Test support: the PostgreSQL and Redis the runtime tests run against, started by
 * `bash .ci/services.sh` (which writes .tmp/services.env). Missing services are a failure, never a skip:
 * in CI and locally alike the test fails with the command that fixes it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { PACKAGE_ROOT } from '../../src/paths.js';

/** Connection URLs of the test services. */
export interface TestServices {
  /** Role with CREATEDB, e.g. postgres://canary_test:…@127.0.0.1:5432/canary_test */
  readonly databaseUrl: string;
  readonly redisUrl: string;
  /** MariaDB (MySQL protocol), e.g. mysql://canary_test:…@127.0.0.1:3306/canary_test; the adopt corpus needs it. */
  readonly mysqlUrl?: string;
}

/** The env file .ci/services.sh writes. */
export const SERVICES_ENV_FILE = join(PACKAGE_ROOT, '.tmp', 'services.env');

function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
    if (m) out[m[1]!] = m[2]!.trim();
  }
  return out;
}

/** Read the URLs from the environment, else from the env file; throw a loud, actionable error when absent. */
export function loadServices(env: NodeJS.ProcessEnv = process.env, envFile: string = SERVICES_ENV_FILE): TestServices {
  const fromFile = existsSync(envFile) ? parseEnvFile(readFileSync(envFile, 'utf8')) : {};
  const databaseUrl = env.TEST_DATABASE_URL || fromFile.TEST_DATABASE_URL;
  const redisUrl = env.TEST_REDIS_URL || fromFile.TEST_REDIS_URL;
  const mysqlUrl = env.TEST_MYSQL_URL || fromFile.TEST_MYSQL_URL;
  if (databaseUrl && redisUrl) return mysqlUrl ? { databaseUrl, redisUrl, mysqlUrl } : { databaseUrl, redisUrl };
  const missing = [databaseUrl ? '' : 'TEST_DATABASE_URL', redisUrl ? '' : 'TEST_REDIS_URL']
    .filter(Boolean)
    .join(' and ');
  const where = env.CI
    ? 'CI must start them before npm test (.ci/run calls .ci/services.sh)'
    : 'run `bash .ci/services.sh` first';
  throw new Error(
    `PostgreSQL/Redis for the runtime tests are not configured (${missing} unset, no ${envFile}): ${where}.`,
  );
}

/** Resolve when a TCP connection to host:port succeeds, reject (with the service name) otherwise. */
function probeTcp(what: string, url: string): Promise<void> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.setTimeout(2000);
    const fail = (why: string): void => {
      socket.destroy();
      reject(new Error(`${what} at ${hostname}:${port} is not reachable (${why}); run \`bash .ci/services.sh\``));
    };
    socket.once('connect', () => {
      socket.end();
      resolve();
    });
    socket.once('timeout', () => fail('timeout'));
    socket.once('error', (err) => fail(err.message));
  });
}

/** loadServices() plus a reachability check of both, so a stopped service fails with a clear message. */
export async function requireServices(): Promise<TestServices> {
  const services = loadServices();
  await Promise.all([probeTcp('PostgreSQL', services.databaseUrl), probeTcp('Redis', services.redisUrl)]);
  return services;
}

/** The services plus MariaDB, which the adopt corpus needs; missing is a failure with the command that fixes it. */
export async function requireServicesWithMysql(): Promise<TestServices & { readonly mysqlUrl: string }> {
  const services = await requireServices();
  if (!services.mysqlUrl)
    throw new Error(
      'MariaDB for the adopt corpus is not configured (TEST_MYSQL_URL unset): run `bash .ci/services.sh`.',
    );
  await probeTcp('MariaDB', services.mysqlUrl);
  return { ...services, mysqlUrl: services.mysqlUrl };
}

/** Run `fn` with an admin connection to the test role's own database. */
async function withAdmin<T>(services: TestServices, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: services.databaseUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

let counter = 0;

/** Create a fresh, uniquely named database; returns its URL and a function that drops it. */
export async function createDatabase(
  services: TestServices,
  prefix = 'app',
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `t_${prefix}_${process.pid}_${Date.now().toString(36)}_${counter++}`
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_');
  await withAdmin(services, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(services.databaseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      withAdmin(services, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** Run one query against `url` and return its rows. */
export async function queryRows<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}
