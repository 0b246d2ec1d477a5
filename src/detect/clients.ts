/** Database, cache and migration tooling an existing service already uses. */
import type { Manifest } from './manifest.js';
import { isFile } from './read.js';

/** Database clients, drivers first: readiness can check a driver directly, an ORM only through the app. */
const DATABASE_CLIENTS: readonly [pkg: string, name: string][] = [
  ['pg', 'pg'],
  ['postgres', 'postgres'],
  ['mysql2', 'mysql2'],
  ['mongoose', 'mongoose'],
  ['mongodb', 'mongodb'],
  ['@prisma/client', 'prisma'],
  ['prisma', 'prisma'],
  ['knex', 'knex'],
  ['sequelize', 'sequelize'],
  ['typeorm', 'typeorm'],
];
const CACHE_CLIENTS = ['redis', 'ioredis'] as const;

/** Clients count only as runtime dependencies: a devDependency is not in the production image. */
export function detectDatabaseClient(m: Manifest): string | undefined {
  return DATABASE_CLIENTS.find(([pkg]) => pkg in m.dependencies)?.[1];
}

export function detectCacheClient(m: Manifest): string | undefined {
  return CACHE_CLIENTS.find((pkg) => pkg in m.dependencies);
}

/** A detected migration tool and the exec-form command the migration task runs. */
export interface MigrationFacts {
  readonly tool: string;
  readonly command: readonly string[];
  readonly warnings: readonly string[];
}

/** Context a migration command may need: where compiled code runs from. */
export interface MigrationInputs {
  readonly dir: string;
  readonly manifest: Manifest;
  /** Maps a source file to the file that runs in the image (tsc output for TS). */
  readonly runtimePath: (source: string) => string;
  readonly typescript: boolean;
}

const bin = (name: string): string => `node_modules/.bin/${name}`;
const firstFile = (dir: string, files: readonly string[]): string | undefined => files.find((f) => isFile(dir, f));
const withExts = (stems: readonly string[]): string[] =>
  stems.flatMap((s) => ['ts', 'js', 'cjs', 'mjs'].map((e) => `${s}.${e}`));

/** Why a devDependency tool cannot run in the image, phrased for the user. */
function devWarning(m: Manifest, pkg: string, tool: string): string[] {
  if (pkg in m.dependencies || !(pkg in m.devDependencies)) return [];
  return [
    `${pkg} is a devDependency, but the production image installs dependencies only: move it to "dependencies" or the ${tool} migration task fails with "not found".`,
  ];
}

type ToolProbe = (i: MigrationInputs, has: (pkg: string) => boolean) => MigrationFacts | undefined;

const PROBES: readonly ToolProbe[] = [
  ({ dir, manifest: m }, has) =>
    has('prisma') || (has('@prisma/client') && isFile(dir, 'prisma/schema.prisma'))
      ? {
          tool: 'prisma',
          command: [bin('prisma'), 'migrate', 'deploy'],
          warnings: has('prisma')
            ? devWarning(m, 'prisma', 'prisma')
            : ['the prisma CLI is not installed: add "prisma" to dependencies for `prisma migrate deploy`.'],
        }
      : undefined,
  ({ manifest: m }, has) =>
    has('node-pg-migrate')
      ? {
          tool: 'node-pg-migrate',
          command: [bin('node-pg-migrate'), 'up'],
          warnings: devWarning(m, 'node-pg-migrate', 'node-pg-migrate'),
        }
      : undefined,
  (i, has) => {
    const knexfile = firstFile(i.dir, withExts(['knexfile']));
    if (!has('knex') || !knexfile) return undefined;
    const ts = knexfile.endsWith('.ts');
    const command = ts
      ? [bin('knex'), 'migrate:latest', '--knexfile', i.runtimePath(knexfile)]
      : [bin('knex'), 'migrate:latest'];
    const warnings = ts
      ? [
          `${knexfile} is TypeScript: the migration task uses its compiled ${i.runtimePath(knexfile)}; make sure tsc compiles it (tsconfig "include").`,
        ]
      : [];
    return { tool: 'knex', command, warnings: [...warnings, ...devWarning(i.manifest, 'knex', 'knex')] };
  },
  ({ manifest: m }, has) =>
    has('sequelize-cli')
      ? {
          tool: 'sequelize-cli',
          command: [bin('sequelize'), 'db:migrate'],
          warnings: devWarning(m, 'sequelize-cli', 'sequelize-cli'),
        }
      : undefined,
  (i, has) => {
    if (!has('typeorm')) return undefined;
    const source = firstFile(
      i.dir,
      withExts([
        'src/data-source',
        'data-source',
        'src/db/data-source',
        'src/database/data-source',
        'src/config/data-source',
      ]),
    );
    const runtime = source
      ? i.runtimePath(source)
      : i.runtimePath(i.typescript ? 'src/data-source.ts' : 'src/data-source.js');
    const warnings = source
      ? []
      : [
          `no TypeORM data source file found: the migration task runs \`typeorm migration:run -d ${runtime}\`; adjust it in the task definition if your data source lives elsewhere.`,
        ];
    return { tool: 'typeorm', command: [bin('typeorm'), 'migration:run', '-d', runtime], warnings };
  },
];

/** The migration tool the service uses, probed in order of how explicit its evidence is. */
export function detectMigrationTool(i: MigrationInputs): MigrationFacts | undefined {
  const has = (pkg: string): boolean => pkg in i.manifest.dependencies || pkg in i.manifest.devDependencies;
  for (const probe of PROBES) {
    const found = probe(i, has);
    if (found) return found;
  }
  return undefined;
}
