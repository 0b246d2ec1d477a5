/**
 * adoptFiles: what adopt mode adds to an existing Express service — the health module, the container
 * health check and (for `pg` without a migration tool) a SQL migration runner, all managed and
 * written next to the app module in its language; plus patches of the user's app, entry and
 * package.json. The pipeline files (workflow, Terraform, Dockerfile …) come from planFiles for every mode.
 *
 * Databases: the `database` option is postgres|none. With a detected client it defaults to postgres,
 * whatever the client is. /readyz then checks the database itself only for `pg` (a fresh connection
 * from DATABASE_URL, never a guess at where the app keeps its pool); for any other client (mysql2,
 * mongoose, prisma, knex, sequelize, typeorm, postgres.js) the health module stays shallow and carries
 * a marked TODO showing the registerReadinessCheck() call to add. The same holds for Redis: node-redis
 * is checked, ioredis gets the TODO. The migration task runs the detected tool's command; `pg` without
 * a tool gets a plain-SQL runner for migrations/*.sql; another client without a tool gets no migration
 * task (detection warns).
 */
import { posix } from 'node:path';
import type { RenderContext } from '../context/build-context.js';
import type { ProjectFacts } from '../context/facts.js';
import { healthModulePath, PATCH, scriptsToAdd } from '../patch/index.js';
import type { FileSpec } from './file-spec.js';

/** A readiness check the health module cannot do itself: the example a TODO shows for the client. */
interface ReadinessTodo {
  readonly name: 'database' | 'cache';
  readonly client: string;
  readonly example: string;
  readonly close: string;
}

const TODO_EXAMPLES: Readonly<Record<string, readonly [string, string]>> = {
  postgres: ['sql`SELECT 1`', 'sql.end()'],
  mysql2: ["pool.query('SELECT 1')", 'pool.end()'],
  mongoose: ['mongoose.connection.db.admin().ping()', 'mongoose.disconnect()'],
  prisma: ['prisma.$queryRaw`SELECT 1`', 'prisma.$disconnect()'],
  knex: ["knex.raw('SELECT 1')", 'knex.destroy()'],
  sequelize: ['sequelize.authenticate()', 'sequelize.close()'],
  typeorm: ["dataSource.query('SELECT 1')", 'dataSource.destroy()'],
  ioredis: ['redis.ping()', 'redis.quit()'],
};

function todo(name: ReadinessTodo['name'], client: string | undefined): ReadinessTodo {
  const [example, close] = TODO_EXAMPLES[client ?? ''] ?? (name === 'database' ? ["db.query('SELECT 1')", 'db.end()'] : ['cache.ping()', 'cache.quit()']);
  return { name, client: client ?? `your ${name} client`, example, close };
}

/** Template locals of the health module: module syntax, built-in checks, TODOs for the rest. */
export function healthLocals(ctx: RenderContext, facts: ProjectFacts): Record<string, unknown> {
  // Built-in probes only for clients this module can reach on its own (a fresh pg / node-redis connection).
  const pg = ctx.hasDatabase && facts.databaseClient === 'pg';
  const redis = ctx.hasCache && facts.cacheClient === 'redis';
  const todos = [...(ctx.hasDatabase && !pg ? [todo('database', facts.databaseClient)] : []), ...(ctx.hasCache && !redis ? [todo('cache', facts.cacheClient)] : [])];
  return { health: { esm: isEsm(facts), pg, redis, todos } };
}

/**
 * Template locals of the migration runner (app-common/src/migrate.*.ejs, shared with new repos):
 * module syntax, and the path from the runner's directory at runtime to the repo's migrations/.
 */
export function migrateLocals(esm: boolean, runtimeDir: string): Record<string, unknown> {
  return { migrate: { esm, migrationsRel: posix.relative(runtimeDir, 'migrations') } };
}

function isEsm(facts: ProjectFacts): boolean {
  return facts.sourceExt === 'mjs' || (facts.sourceExt !== 'cjs' && facts.moduleSystem === 'esm');
}

/** Files and patches adopt mode adds (see the module comment). */
export function adoptFiles(ctx: RenderContext, facts: ProjectFacts): FileSpec[] {
  const ext = facts.sourceExt ?? 'js';
  const lang = ext === 'ts' ? 'ts' : 'js';
  const dir = facts.sourceDir ?? '.';
  const specs: FileSpec[] = [
    { path: healthModulePath(facts), kind: 'managed', template: `adopt/health-routes.${lang}.ejs`, locals: healthLocals(ctx, facts) },
    { path: posix.join(dir, `healthcheck.${ext}`), kind: 'managed', template: `app-common/src/healthcheck.${lang}.ejs` },
  ];
  if (ctx.hasDatabase && facts.migrateEntry) {
    const locals = migrateLocals(isEsm(facts), facts.runtimeDir ?? '.');
    specs.push({ path: posix.join(dir, `migrate.${ext}`), kind: 'managed', template: `app-common/src/migrate.${lang}.ejs`, locals });
  }
  const appFile = facts.appModule ?? facts.entry;
  if (appFile) specs.push({ path: appFile, kind: 'patch', template: '', patch: PATCH.app });
  if (facts.serverFile && facts.serverFile !== facts.appModule) specs.push({ path: facts.serverFile, kind: 'patch', template: '', patch: PATCH.entry });
  if (Object.keys(scriptsToAdd(ctx, facts)).length) specs.push({ path: 'package.json', kind: 'patch', template: '', patch: PATCH.packageJson });
  return specs;
}
