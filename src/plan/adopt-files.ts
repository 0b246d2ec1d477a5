/**
 * adoptFiles: what adopt mode adds to an existing Express service — the health module (the same one
 * new services get), the container health check and (for `pg` without a migration tool) a SQL
 * migration runner, all managed and written next to the app module in its language; plus patches of
 * the user's app module, server file, the files that declare its clients, and package.json. The
 * pipeline files (workflow, Terraform, Dockerfile …) come from planFiles for every mode.
 *
 * Readiness: /readyz probes the app's own client objects (its pool, ORM, connection, Redis client),
 * registered where they are declared (detect/sites.ts). An enabled role (--database, --cache) without
 * such an object gets a marked TODO in the health module showing the one call to add. The migration
 * task runs the detected tool's command; `pg` without a tool gets a plain-SQL runner for
 * migrations/*.sql; another client without a tool gets no migration task (detection warns).
 */
import { posix } from 'node:path';
import type { RenderContext } from '../context/build-context.js';
import type { AdoptFacts } from '../detect/facts.js';
import { enabledSites, PATCH, scriptsToAdd } from '../patch/index.js';
import type { FileSpec } from './file-spec.js';

/** A readiness check the generator could not wire in: the call the health module's TODO shows. */
interface ReadinessTodo {
  readonly name: 'database' | 'cache';
  readonly what: string;
  readonly example: string;
}

const TODO_EXAMPLES: Readonly<Record<string, string>> = {
  pg: "pool.query('SELECT 1')",
  postgres: 'sql`SELECT 1`',
  mysql2: "pool.query('SELECT 1')",
  mongoose: 'mongoose.connection.db.admin().ping()',
  mongodb: 'client.db().command({ ping: 1 })',
  prisma: 'prisma.$queryRaw`SELECT 1`',
  knex: "knex.raw('select 1')",
  sequelize: 'sequelize.authenticate()',
  typeorm: "dataSource.query('SELECT 1')",
  redis: 'redis.ping()',
  ioredis: 'redis.ping()',
};

function todo(name: ReadinessTodo['name'], client: string | undefined, facts: AdoptFacts): ReadinessTodo {
  const example = TODO_EXAMPLES[client ?? ''] ?? (name === 'database' ? "db.query('SELECT 1')" : 'cache.ping()');
  const unwired = (facts.unwiredClients ?? []).find((u) => u.role === name);
  const where = unwired ? ` (created in ${unwired.file}:${unwired.line}, where ${unwired.why})` : '';
  return { name, what: `${client ?? `your ${name}`}${where}`, example };
}

/** Enabled roles (--database, --cache) for which no client site was found: the module's TODOs. */
export function readinessTodos(ctx: RenderContext, facts: AdoptFacts): ReadinessTodo[] {
  const wired = new Set(enabledSites(ctx, facts).map((s) => s.role));
  return [
    ...(ctx.hasDatabase && !wired.has('database') ? [todo('database', facts.databaseClient, facts)] : []),
    ...(ctx.hasCache && !wired.has('cache') ? [todo('cache', facts.cacheClient, facts)] : []),
  ];
}

/** Template locals of the health module: module syntax, TODOs for checks that could not be wired in, and whether the build's TypeScript lacks `unknown`. */
export function healthLocals(ctx: RenderContext, facts: AdoptFacts): Record<string, unknown> {
  return {
    health: {
      esm: facts.layout.esm,
      todos: readinessTodos(ctx, facts),
      noUnknownType: facts.layout.ext === 'ts' && facts.typescriptNoUnknown === true,
    },
  };
}

/**
 * Template locals of the migration runner (app-common/src/migrate.*.ejs, shared with new repos):
 * module syntax, and the path from the runner's directory at runtime to the repo's migrations/.
 */
export function migrateLocals(esm: boolean, runtimeDir: string): Record<string, unknown> {
  return { migrate: { esm, migrationsRel: posix.relative(runtimeDir, 'migrations') } };
}

/** Files and patches adopt mode adds (see the module comment). */
export function adoptFiles(ctx: RenderContext, facts: AdoptFacts): FileSpec[] {
  const { dir, ext, scriptExt, esm } = facts.layout;
  const lang = ext === 'ts' ? 'ts' : 'js';
  // Scripts run from the sources as plain JavaScript (.cjs next to TypeScript): they need no build tool and no typings.
  const specs: FileSpec[] = [
    {
      path: facts.layout.healthModule,
      kind: 'managed',
      template: `app-common/src/health.${lang}.ejs`,
      locals: healthLocals(ctx, facts),
    },
    {
      path: posix.join(dir, `healthcheck.${scriptExt}`),
      kind: 'managed',
      template: 'app-common/src/healthcheck.js.ejs',
    },
  ];
  if (ctx.hasDatabase && facts.migrateEntry) {
    const locals = migrateLocals(scriptExt !== 'cjs' && esm, dir);
    specs.push({
      path: posix.join(dir, `migrate.${scriptExt}`),
      kind: 'managed',
      template: 'app-common/src/migrate.js.ejs',
      locals,
    });
  }
  const appFile = facts.appModule ?? facts.entry;
  if (appFile) specs.push({ path: appFile, kind: 'patch', patch: PATCH.app });
  if (facts.serverFile && facts.serverFile !== facts.appModule)
    specs.push({ path: facts.serverFile, kind: 'patch', patch: PATCH.entry });
  const patched = new Set(specs.map((s) => s.path));
  for (const file of new Set(enabledSites(ctx, facts).map((s) => s.file))) {
    if (!patched.has(file)) specs.push({ path: file, kind: 'patch', patch: PATCH.readiness });
  }
  if (Object.keys(scriptsToAdd(ctx, facts)).length)
    specs.push({ path: 'package.json', kind: 'patch', patch: PATCH.packageJson });
  return specs;
}
