/**
 * The generated service as a product (new repos): how it runs on a laptop (compose.yaml,
 * .env.example, `npm run dev`), which environment it refuses to start without (src/env.*), how its
 * migrations are linted (squawk), and the commands its README shows. Adopted services keep their own
 * README, scripts and local setup, so `enabled` is false for them.
 */
import type { Options } from '../options/table.js';
import type { Versions } from '../versions.js';
import type { PackageManager, ProjectFacts } from '../detect/facts.js';

/** One variable of .env.example. */
export interface EnvExampleVar {
  readonly name: string;
  /** The local value: matches compose.yaml. */
  readonly value: string;
  /** One line: what it is and where it comes from in AWS. */
  readonly what: string;
}

/** A local service of compose.yaml. */
export interface LocalService {
  readonly image: string;
  /** Host port, bound to 127.0.0.1 only. */
  readonly port: number;
}

/** Local PostgreSQL: credentials of the compose service (local only, never used in AWS). */
export interface LocalPostgres extends LocalService {
  readonly user: string;
  readonly password: string;
  readonly database: string;
}

/** Migration linting with squawk in the test job (new repos with a database). */
export interface MigrationLintContext {
  readonly enabled: boolean;
  /**
   * How CI runs squawk: `npx --yes squawk-cli@<exact version>` (npx comes with Node whatever the
   * package manager). Not a devDependency: every install of the app would fetch its native binary for a
   * step that runs only when a migration changes; the exact version (resources/app/package.json) is
   * the pin, moved by the generator's Dependabot.
   */
  readonly command: string;
  /**
   * Rules .squawk.toml switches off, with the reason: the runner (src/migrate.*) already sets
   * lock_timeout per file and wraps each file in a transaction.
   */
  readonly excludedRules: ReadonlyArray<{ readonly rule: string; readonly why: string }>;
}

/** README commands; `build` and `devMigrate` are empty when the app has no build step / database. */
export interface LocalCommands {
  readonly install: string;
  readonly dev: string;
  readonly devMigrate: string;
  readonly test: string;
  readonly build: string;
}

export interface LocalDevContext {
  /** New repo: README.md, compose.yaml, .env.example, src/env.* and the dev scripts are generated. */
  readonly enabled: boolean;
  /** compose.yaml is generated (a database or a cache is on). */
  readonly hasCompose: boolean;
  readonly postgres: LocalPostgres;
  readonly redis: LocalService;
  /** Variables the service cannot start without (src/env.* checks them all at once). */
  readonly requiredEnv: readonly string[];
  /** requiredEnv as a source-code list of string literals: `'DATABASE_URL', 'REDIS_URL'`. */
  readonly requiredEnvLiterals: string;
  readonly envExample: readonly EnvExampleVar[];
  /** Scripts added to package.json: `dev` (watch mode on .env) and, with a database, `dev:migrate`. */
  readonly scripts: Readonly<Record<string, string>>;
  /** devDependencies they need (tsx for TypeScript, squawk-cli with a database). */
  readonly devDependencies: Readonly<Record<string, string>>;
  /** Commands the README shows, for the package manager (`npm install`, `npm run dev`, …). */
  readonly commands: LocalCommands;
  readonly readme: ReadmeText;
  readonly migrationLint: MigrationLintContext;
  /** Days a new release waits before Dependabot proposes it (`cooldown.default-days`, every ecosystem). */
  readonly dependabotCooldownDays: number;
}

/** Precomputed phrases and code-block lines of the README and compose.yaml. */
export interface ReadmeText {
  /** `PostgreSQL and Redis`, `PostgreSQL`, `Redis` or empty. */
  readonly services: string;
  /** `PostgreSQL and Redis answer`, `Redis answers`, … (empty without services). */
  readonly servicesAnswer: string;
  /** `PostgreSQL on 127.0.0.1:5432, Redis on 127.0.0.1:6379` (compose.yaml's host ports). */
  readonly serviceAddresses: string;
  /** The required variables as inline code, joined with "or". */
  readonly requiredEnv: string;
  /** "Run it locally" code block: one command per line, its comment after `#`, aligned. */
  readonly quickStart: readonly string[];
  /** "Test" code block. */
  readonly test: readonly string[];
}

/** The slice of options, facts and versions the local-dev context reads. */
interface LocalDevInputs {
  readonly mode: 'new' | 'adopt';
  readonly packageManager: PackageManager;
  readonly isTs: boolean;
  readonly hasDatabase: boolean;
  readonly hasCache: boolean;
  readonly containerPort: number;
  readonly images: Readonly<Record<'postgres' | 'redis', string>>;
  readonly appDevDependencies: Readonly<Record<string, string>>;
}

/**
 * A week: compromised or broken releases are usually found and pulled within days, and Dependabot's
 * security updates are never delayed by a cooldown.
 */
const DEPENDABOT_COOLDOWN_DAYS = 7;

/** The exact squawk-cli version of resources/app/package.json (an exact pin: it runs through npx). */
function squawkVersion(deps: Readonly<Record<string, string>>): string {
  const v = deps['squawk-cli'];
  if (!v || !/^\d+\.\d+\.\d+$/.test(v))
    throw new Error(`resources/app/package.json: squawk-cli must be an exact version, got ${v}`);
  return v;
}

const EXCLUDED_RULES = [
  { rule: 'require-lock-timeout', why: "src/migrate sets lock_timeout = '5s' for every file" },
  {
    rule: 'require-statement-timeout',
    why: 'a long VALIDATE CONSTRAINT or index build is legitimate; lock_timeout already keeps a migration from blocking traffic',
  },
] as const;

function devScripts(i: LocalDevInputs): Record<string, string> {
  // tsx maps the `./app.js` imports to the .ts sources; Node's own type stripping does not.
  const node = i.isTs ? 'node --env-file=.env --import tsx' : 'node --env-file=.env';
  const x = i.isTs ? 'ts' : 'js';
  return {
    dev: `${node.replace('node ', 'node --watch ')} src/server.${x}`,
    ...(i.hasDatabase ? { 'dev:migrate': `${node} src/migrate.${x}` } : {}),
  };
}

function pick(deps: Readonly<Record<string, string>>, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const version = deps[name];
    if (!version) throw new Error(`resources/app/package.json has no devDependency ${name}`);
    out[name] = version;
  }
  return out;
}

/** Code-block lines: commands with their `# comment` aligned one column after the longest command. */
function aligned(rows: ReadonlyArray<readonly [string, string]>): string[] {
  const width = Math.max(...rows.map(([cmd]) => cmd.length)) + 2;
  return rows.map(([cmd, why]) => `${cmd.padEnd(width)}# ${why}`);
}

function readmeText(
  i: LocalDevInputs,
  postgres: LocalService,
  redis: LocalService,
  commands: LocalCommands,
  requiredEnv: readonly string[],
): ReadmeText {
  const services = [i.hasDatabase && 'PostgreSQL', i.hasCache && 'Redis'].filter(
    (s): s is string => typeof s === 'string',
  );
  const serviceAddresses = [
    i.hasDatabase && `PostgreSQL on 127.0.0.1:${postgres.port}`,
    i.hasCache && `Redis on 127.0.0.1:${redis.port}`,
  ]
    .filter(Boolean)
    .join(', ');
  const quickStart = aligned([
    [commands.install, 'dependencies'],
    ['cp .env.example .env', 'local settings; .env stays out of git and of the image'],
    ...(services.length > 0 ? [['docker compose up -d --wait', serviceAddresses] as const] : []),
    ...(i.hasDatabase ? [[commands.devMigrate, 'applies migrations/*.sql to the local database'] as const] : []),
    [commands.dev, 'serves on the PORT in .env, restarts when a file changes'],
  ]);
  const test = aligned([
    [
      commands.test,
      i.isTs ? 'compiles with tsc, then runs the tests with node --test' : 'runs the tests with node --test',
    ],
    ...(i.isTs ? [[commands.build, 'compiles src/ to dist/ (what the image runs)'] as const] : []),
  ]);
  const servicesAnswer =
    services.length === 0 ? '' : `${services.join(' and ')} ${services.length > 1 ? 'answer' : 'answers'}`;
  return {
    services: services.join(' and '),
    servicesAnswer,
    serviceAddresses,
    requiredEnv: requiredEnv.map((n) => `\`${n}\``).join(' or '),
    quickStart,
    test,
  };
}

/** The local-dev context for the chosen options. */
export function localDevContext(o: Options, facts: ProjectFacts, v: Versions): LocalDevContext {
  const i: LocalDevInputs = {
    mode: facts.mode,
    packageManager: facts.packageManager,
    isTs: o.language === 'ts',
    hasDatabase: o.database === 'postgres',
    hasCache: o.cache === 'redis',
    containerPort: o.containerPort,
    images: v.localServiceImages,
    appDevDependencies: v.appDevDependencies,
  };
  const postgres: LocalPostgres = {
    image: i.images.postgres,
    port: 5432,
    user: 'app',
    password: 'app',
    database: 'app',
  };
  const redis: LocalService = { image: i.images.redis, port: 6379 };
  const envExample: EnvExampleVar[] = [
    {
      name: 'PORT',
      value: String(i.containerPort),
      what: `HTTP port (default ${i.containerPort}, the container port)`,
    },
    ...(i.hasDatabase
      ? [
          {
            name: 'DATABASE_URL',
            value: `postgres://${postgres.user}:${postgres.password}@127.0.0.1:${postgres.port}/${postgres.database}`,
            what: 'PostgreSQL (in AWS: the DATABASE_URL secret)',
          },
        ]
      : []),
    ...(i.hasCache
      ? [{ name: 'REDIS_URL', value: `redis://127.0.0.1:${redis.port}`, what: 'Redis (in AWS: the REDIS_URL secret)' }]
      : []),
  ];
  const lint = i.mode === 'new' && i.hasDatabase;
  const pm = i.packageManager;
  const commands: LocalCommands = {
    install: `${pm} install`,
    dev: `${pm} run dev`,
    devMigrate: i.hasDatabase ? `${pm} run dev:migrate` : '',
    // `bun test` is bun's own test runner, not the package's test script.
    test: pm === 'bun' ? 'bun run test' : `${pm} test`,
    build: i.isTs ? `${pm} run build` : '',
  };
  const requiredEnv = envExample.filter((v) => v.name !== 'PORT').map((v) => v.name);
  return {
    enabled: i.mode === 'new',
    hasCompose: i.hasDatabase || i.hasCache,
    postgres,
    redis,
    requiredEnv,
    requiredEnvLiterals: requiredEnv.map((n) => `'${n}'`).join(', '),
    envExample,
    scripts: devScripts(i),
    devDependencies: pick(i.appDevDependencies, i.isTs ? ['tsx'] : []),
    commands,
    readme: readmeText(i, postgres, redis, commands, requiredEnv),
    migrationLint: {
      enabled: lint,
      command: `npx --yes squawk-cli@${squawkVersion(i.appDevDependencies)}`,
      excludedRules: EXCLUDED_RULES,
    },
    dependabotCooldownDays: DEPENDABOT_COOLDOWN_DAYS,
  };
}
