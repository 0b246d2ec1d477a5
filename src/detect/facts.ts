/** What the generator learns about the target folder before asking anything. */
import type { ReadinessSite, UnwiredSite } from './readiness.js';

/** Package managers the generated Dockerfile and workflow know how to drive. */
export type PackageManager = 'npm' | 'pnpm' | 'yarn';

/** Facts detected in the target directory (pure data; produced by detectProject() in index.ts). */
export interface ProjectFacts {
  /** `new`: no Express service here yet; `adopt`: package.json depends on express. */
  readonly mode: 'new' | 'adopt';
  readonly folderName: string;
  readonly packageName?: string;
  /** `owner/repo` from the origin remote, when it is a GitHub URL. */
  readonly githubRepo?: string;
  readonly packageManager: PackageManager;
  /** Yarn only: Yarn 1 (classic), whose install flags differ from Berry's. */
  readonly yarnClassic?: boolean;
  /** New repo, pnpm/yarn: the version that ran the generator, for package.json "packageManager" (corepack). */
  readonly packageManagerVersion?: string;
  /** Adopt: the lockfile a clean checkout has; undefined means the install cannot be frozen. */
  readonly lockfile?: string;
  /** Adopt: files the install needs before the sources are copied (lockfile, .npmrc, files install scripts run). */
  readonly installFiles?: readonly string[];
  /** Adopt: directories the install needs (patch-package patches, Yarn releases/plugins). */
  readonly installDirs?: readonly string[];
  /** Adopt: root install scripts a production install cannot run (their tools are devDependencies). */
  readonly devOnlyScripts?: readonly string[];
  /** Which of the app's scripts exist (the workflow runs only those). */
  readonly scripts: { readonly test: boolean; readonly lint: boolean; readonly build: boolean };
  /** Detected TypeScript project (adopt), undefined for a new repo. */
  readonly typescript?: boolean;
  readonly moduleSystem?: 'esm' | 'cjs';
  readonly nodeMajor?: string;
  /** npm package of the detected database client (adopt), e.g. `pg`. */
  readonly databaseClient?: string;
  /** Database server behind the client (adopt), e.g. `mysql` for mysql2 or sequelize with mysql2. */
  readonly databaseEngine?: string;
  /** npm package of the detected cache client (adopt), e.g. `ioredis`. */
  readonly cacheClient?: string;
  /** Detected migration tool (adopt), e.g. `knex`. */
  readonly migrationTool?: string;
  /** Adopt: the literal port the code listens on (1024-65535), which the container port defaults to. */
  readonly listenPort?: number;
  /** Adopt, TypeScript: tsconfig `paths` aliases as [prefix, root-relative target prefix]. */
  readonly pathAliases?: readonly (readonly [string, string])[];
  /** App entry file relative to the root (adopt). */
  readonly entry?: string;
  /** Command the container runs (adopt: from scripts.start / main). */
  readonly startCommand?: readonly string[];
  /** File that calls `express()` (adopt); undefined when it was not recognised. */
  readonly appModule?: string;
  /** File that starts the HTTP server and gets the drain patch (adopt); undefined when none can be patched. */
  readonly serverFile?: string;
  /** Function the app is created in (adopt, factory apps), e.g. `createApp`. */
  readonly appFactory?: string;
  /** The app's variable in the app module (adopt), e.g. `app`. */
  readonly appName?: string;
  /** Why that app was chosen when the code creates several (adopt), shown to the user. */
  readonly appChoice?: string;
  /** Why the app module was not recognised (adopt): the app code is then left alone. */
  readonly appUnrecognised?: string;
  /** Directory (root-relative) where files added to an adopted app go: next to the app module. */
  readonly sourceDir?: string;
  /** Where sourceDir's code runs from in the image: tsc's outDir mapping for TS, else sourceDir. */
  readonly runtimeDir?: string;
  /** tsc's outDir (adopt, TypeScript), root-relative; undefined when tsc writes next to the sources. */
  readonly tsOutDir?: string;
  /** Extension of files added to an adopted app, following the app module (`js`, `mjs`, `cjs`, `ts`). */
  readonly sourceExt?: 'js' | 'mjs' | 'cjs' | 'ts';
  /** Migration command (exec form) the migration task runs (adopt), from the detected tool. */
  readonly migrateCommand?: readonly string[];
  /** Adopt: no migration tool but a `pg` client: the generator adds a plain-SQL migration runner. */
  readonly migrateEntry?: boolean;
  /** Adopt: module-level clients in the runtime graph that /readyz probes (registered where they are declared). */
  readonly readinessSites?: readonly ReadinessSite[];
  /** Adopt: clients found where a check cannot be registered safely (e.g. inside a function). */
  readonly unwiredClients?: readonly UnwiredSite[];
  /** Things the user must know about the detection (e.g. a migration tool that is a devDependency). */
  readonly warnings?: readonly string[];
}

/** The package manager a new service uses: the one that ran the generator (see cli/install.ts). */
export interface NewRepoPackageManager {
  readonly pm: PackageManager;
  readonly version?: string;
  readonly yarnClassic?: boolean;
}

/** Facts for an empty folder. */
export function newRepoFacts(folderName: string, githubRepo?: string, pm: NewRepoPackageManager = { pm: 'npm' }): ProjectFacts {
  return {
    mode: 'new',
    folderName,
    githubRepo,
    packageManager: pm.pm,
    ...(pm.pm === 'yarn' ? { yarnClassic: pm.yarnClassic ?? pm.version?.startsWith('1.') ?? false } : {}),
    ...(pm.pm !== 'npm' && pm.version ? { packageManagerVersion: pm.version } : {}),
    scripts: { test: true, lint: false, build: true },
  };
}
