/**
 * Which database server an adopted service talks to, from its dependencies (drivers say it directly;
 * an ORM says it through the driver installed next to it, or Prisma's schema `provider`). It decides the
 * port the tasks' security group opens and the URL example of the DATABASE_URL secret.
 */
import type { Manifest } from './manifest.js';
import { readText } from './read.js';

/** Database servers the generated infrastructure knows the port of. */
export type DatabaseEngine = 'postgresql' | 'mysql' | 'mongodb' | 'sqlserver' | 'cockroachdb' | 'sqlite';

/** Drivers in the order an ORM would use them; the first present decides. */
const DRIVERS: readonly [pkg: string, engine: DatabaseEngine][] = [
  ['pg', 'postgresql'],
  ['postgres', 'postgresql'],
  ['mysql2', 'mysql'],
  ['mysql', 'mysql'],
  ['mariadb', 'mysql'],
  ['mongodb', 'mongodb'],
  ['mongoose', 'mongodb'],
  ['tedious', 'sqlserver'],
  ['mssql', 'sqlserver'],
  ['sqlite3', 'sqlite'],
  ['better-sqlite3', 'sqlite'],
];

const PRISMA_PROVIDERS: Readonly<Record<string, DatabaseEngine>> = {
  postgresql: 'postgresql',
  postgres: 'postgresql',
  mysql: 'mysql',
  mongodb: 'mongodb',
  sqlserver: 'sqlserver',
  cockroachdb: 'cockroachdb',
  sqlite: 'sqlite',
};

/** Schema files Prisma looks at by default (and the realworld-style `src/prisma/` layout). */
const PRISMA_SCHEMAS = ['prisma/schema.prisma', 'schema.prisma', 'src/prisma/schema.prisma'];

/** The `provider` of the first `datasource` block of the Prisma schema, if any. */
export function prismaProvider(dir: string, schemaPath?: string): string | undefined {
  for (const file of schemaPath ? [schemaPath, ...PRISMA_SCHEMAS] : PRISMA_SCHEMAS) {
    const block = /datasource\s+\w+\s*\{([^}]*)\}/.exec(readText(dir, file) ?? '');
    const provider = block ? /provider\s*=\s*"([^"]+)"/.exec(block[1]!) : null;
    if (provider) return provider[1];
  }
  return undefined;
}

/** The engine behind the detected client, or undefined when it cannot be told. */
export function detectDatabaseEngine(
  dir: string,
  m: Manifest,
  client: string | undefined,
  prismaSchema?: string,
): DatabaseEngine | undefined {
  if (!client) return undefined;
  if (client === 'prisma') return PRISMA_PROVIDERS[prismaProvider(dir, prismaSchema) ?? ''];
  const own = DRIVERS.find(([pkg]) => pkg === client);
  if (own) return own[1];
  return DRIVERS.find(([pkg]) => pkg in m.dependencies)?.[1];
}
