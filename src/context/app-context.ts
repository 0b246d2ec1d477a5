/** The app part of the render context: how the container starts, migrates and is checked, per mode. */
import type { Options } from '../options/table.js';
import type { PackageManager, ProjectFacts } from './facts.js';
import { packageManagerCommands, type PackageManagerCommands } from './package-manager.js';

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
  /** Migration command (exec form), or null when there is no database. */
  readonly migrateCommand: readonly string[] | null;
  /** Container health check command, e.g. ["CMD", "node", "dist/healthcheck.js"]. */
  readonly healthcheckCommand: readonly string[];
  /** Where compiled/served JS lives: `dist` (ts) or `src` (js). */
  readonly outDir: string;
  /** New service run by pnpm/yarn: package.json "packageManager", e.g. `pnpm@9.12.0` (corepack's pin). */
  readonly packageManagerField?: string;
}

/**
 * Adopted service: commands follow the detected project, not the language option. The app's own start
 * command; the detected migration tool's command (null when the database option is none); the
 * generated healthcheck next to the app module at runtime; tsc's outDir (a JS build script's output is
 * assumed in dist/, detection warns about it). TS without a build script gets one ("build": "tsc").
 */
function adoptAppContext(o: Options, facts: ProjectFacts, pm: PackageManagerCommands): AppContext {
  const runtimeDir = facts.runtimeDir ?? '.';
  const at = (file: string): string => (runtimeDir === '.' ? file : `${runtimeDir}/${file}`);
  const ext = facts.sourceExt === 'mjs' || facts.sourceExt === 'cjs' ? facts.sourceExt : 'js';
  return {
    mode: 'adopt',
    packageManager: facts.packageManager,
    yarnClassic: facts.yarnClassic === true,
    installCommand: pm.install,
    pm,
    runTest: facts.scripts.test,
    runLint: facts.scripts.lint,
    runBuild: facts.scripts.build || facts.typescript === true,
    startCommand: facts.startCommand ?? ['node', at(`server.${ext}`)],
    migrateCommand: o.database === 'postgres' ? (facts.migrateCommand ?? null) : null,
    healthcheckCommand: ['CMD', 'node', at(`healthcheck.${ext}`)],
    outDir: facts.typescript ? (facts.tsOutDir ?? runtimeDir) : facts.scripts.build ? 'dist' : runtimeDir,
  };
}

export function appContext(o: Options, facts: ProjectFacts): AppContext {
  const isTs = o.language === 'ts';
  const outDir = isTs ? 'dist' : 'src';
  const pm = packageManagerCommands(facts.packageManager, facts.yarnClassic);
  if (facts.mode === 'adopt') return adoptAppContext(o, facts, pm);
  return {
    mode: facts.mode,
    packageManager: facts.packageManager,
    yarnClassic: facts.yarnClassic === true,
    installCommand: pm.install,
    pm,
    runTest: facts.scripts.test,
    runLint: facts.scripts.lint,
    runBuild: facts.mode === 'new' ? isTs : facts.scripts.build,
    startCommand: facts.startCommand ?? ['node', `${outDir}/server.js`],
    migrateCommand: o.database === 'postgres' ? ['node', `${outDir}/migrate.js`] : null,
    healthcheckCommand: ['CMD', 'node', `${outDir}/healthcheck.js`],
    outDir,
    ...(facts.packageManagerVersion ? { packageManagerField: `${facts.packageManager}@${facts.packageManagerVersion}` } : {}),
  };
}
