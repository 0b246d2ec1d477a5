/** The app part of the render context: how the container starts, migrates and is checked, per mode. */
import { posix } from 'node:path';
import type { Options } from '../options/table.js';
import type { AdoptFacts, PackageManager, ProjectFacts } from '../detect/facts.js';
import { isFrozen, serviceInstall, type PackageManagerCommands } from './package-manager.js';

/** Commands the container and the pipeline run for the app. */
export interface AppContext {
  readonly mode: 'new' | 'adopt';
  readonly packageManager: PackageManager;
  /** Yarn 1 rather than Berry (their install commands differ). */
  readonly yarnClassic: boolean;
  /** Install command for CI, e.g. `npm ci` (= pm.install). */
  readonly installCommand: string;
  /** Lockfile install commands and files of the package manager (Dockerfile). */
  readonly pm: PackageManagerCommands;
  /** Which package scripts the workflow's test job runs. */
  readonly runTest: boolean;
  readonly runLint: boolean;
  readonly runBuild: boolean;
  /** Container command (exec form), e.g. ["node", "dist/server.js"]. */
  readonly startCommand: readonly string[];
  /** Adopt: variables the app's start script sets for the server, as Dockerfile ENV lines (`KEY="value"`); empty otherwise. */
  readonly startEnv: readonly string[];
  /** Adopt: the variable the server reads its bind address from, which defaults to loopback: the image sets it to 0.0.0.0 (`HOST`); empty otherwise. */
  readonly hostEnv: string;
  /** Adopt: the file that listens on that address (for the Dockerfile's comment). */
  readonly hostFile: string;
  /** Migration command (exec form), or null when there is no database or no migration tool. */
  readonly migrateCommand: readonly string[] | null;
  /** Where the migrations and their runner live, for the docs (e.g. "`migrations/` and `src/migrate.ts`"); empty for a detected tool. */
  readonly migrationSources: string;
  /** Adopt: the detected database client (e.g. `mongoose`); empty for a new service. */
  readonly databaseClient: string;
  /** Container health check command, e.g. ["CMD", "node", "dist/healthcheck.js"]. */
  readonly healthcheckCommand: readonly string[];
  /** Where compiled/served JS lives: `dist` (ts) or `src` (js). */
  readonly outDir: string;
  /** Whether the installs are frozen to a committed lockfile. */
  readonly frozenInstall: boolean;
  /** Root install scripts dropped in the production install (e.g. "prepare"), or empty. */
  readonly droppedScripts: string;
  /** Paths under node_modules the build generates and the image needs (e.g. the Prisma client). */
  readonly buildKeeps: readonly string[];
  /** New service run by pnpm/yarn: package.json "packageManager", e.g. `pnpm@9.12.0` (corepack's pin). */
  readonly packageManagerField?: string;
}

/** The fields both modes take from the facts and the package manager alike. */
type CommonFields = Pick<
  AppContext,
  'packageManager' | 'yarnClassic' | 'installCommand' | 'pm' | 'runTest' | 'runLint'
>;

function commonFields(facts: ProjectFacts, pm: PackageManagerCommands): CommonFields {
  return {
    packageManager: facts.packageManager,
    yarnClassic: facts.yarnClassic === true,
    installCommand: pm.install,
    pm,
    runTest: facts.scripts.test,
    runLint: facts.scripts.lint,
  };
}

/**
 * Adopted service: commands follow the detected project, not the language option. The app's own start
 * command; the detected migration tool's command (null when the database option is none); the
 * generated healthcheck next to the app module at runtime; tsc's outDir (a JS build script's output is
 * assumed in dist/, detection warns about it). TS without a build script gets one ("build": "tsc").
 */
function adoptAppContext(o: Options, facts: AdoptFacts, pm: PackageManagerCommands): AppContext {
  const { runtimeDir, ext: sourceExt, dir: sourceDir } = facts.layout;
  const at = (file: string): string => (runtimeDir === '.' ? file : `${runtimeDir}/${file}`);
  const ext = sourceExt === 'mjs' || sourceExt === 'cjs' ? sourceExt : 'js';
  const runBuild = facts.scripts.build || facts.typescript === true;
  // The health check runs from the sources (plain JS, .cjs next to TypeScript): no build tool has to emit it.
  const healthcheck = posix.join(sourceDir, `healthcheck.${facts.layout.scriptExt}`);
  return {
    mode: 'adopt',
    ...commonFields(facts, pm),
    runBuild,
    startCommand: facts.startCommand ?? ['node', at(`server.${ext}`)],
    startEnv: (facts.startEnv ?? []).map(([k, v]) => `${k}=${JSON.stringify(v)}`),
    ...hostFields(facts),
    migrateCommand: o.database === 'postgres' ? (facts.migrateCommand ?? null) : null,
    migrationSources: facts.migrateEntry
      ? `\`migrations/\` and \`${sourceDir}/migrate.${facts.layout.scriptExt}\``
      : '',
    databaseClient: facts.databaseClient ?? '',
    healthcheckCommand: ['CMD', 'node', healthcheck],
    outDir: facts.typescript ? (facts.tsOutDir ?? runtimeDir) : facts.scripts.build ? 'dist' : runtimeDir,
    frozenInstall: isFrozen(facts),
    droppedScripts: (facts.devOnlyScripts ?? []).map((s) => `scripts.${s}`).join(', '),
    // Prisma generates its client into node_modules at build time; the production install cannot (no CLI there).
    buildKeeps: runBuild && facts.databaseClient === 'prisma' ? ['node_modules/.prisma'] : [],
  };
}

/** The bind-address variable the image sets, unless the start script sets it already. */
function hostFields(facts: AdoptFacts): Pick<AppContext, 'hostEnv' | 'hostFile'> {
  const h = facts.listenHost;
  if (!h?.envVar || (facts.startEnv ?? []).some(([k]) => k === h.envVar)) return { hostEnv: '', hostFile: '' };
  return { hostEnv: h.envVar, hostFile: h.file };
}

export function appContext(o: Options, facts: ProjectFacts): AppContext {
  const isTs = o.language === 'ts';
  const outDir = isTs ? 'dist' : 'src';
  const pm = serviceInstall(facts);
  if (facts.mode === 'adopt') return adoptAppContext(o, facts, pm);
  return {
    mode: facts.mode,
    ...commonFields(facts, pm),
    runBuild: isTs,
    startCommand: facts.startCommand ?? ['node', `${outDir}/server.js`],
    startEnv: [],
    hostEnv: '',
    hostFile: '',
    migrateCommand: o.database === 'postgres' ? ['node', `${outDir}/migrate.js`] : null,
    migrationSources: `\`migrations/\` and \`src/migrate.${isTs ? 'ts' : 'js'}\``,
    databaseClient: '',
    healthcheckCommand: ['CMD', 'node', `${outDir}/healthcheck.js`],
    outDir,
    frozenInstall: true,
    droppedScripts: '',
    buildKeeps: [],
    ...(facts.packageManagerVersion
      ? { packageManagerField: `${facts.packageManager}@${facts.packageManagerVersion}` }
      : {}),
  };
}
