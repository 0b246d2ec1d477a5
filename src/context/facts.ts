/** What the generator learns about the target folder before asking anything. */

/** Package managers the generated Dockerfile and workflow know how to drive. */
export type PackageManager = 'npm' | 'pnpm' | 'yarn';

/** Facts detected in the target directory (pure data; see detect.ts for how they are read). */
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
  /** Which of the app's scripts exist (the workflow runs only those). */
  readonly scripts: { readonly test: boolean; readonly lint: boolean; readonly build: boolean };
  /** Detected TypeScript project (adopt), undefined for a new repo. */
  readonly typescript?: boolean;
  readonly moduleSystem?: 'esm' | 'cjs';
  readonly nodeMajor?: string;
  /** npm package of the detected database client (adopt), e.g. `pg`. */
  readonly databaseClient?: string;
  /** npm package of the detected cache client (adopt), e.g. `ioredis`. */
  readonly cacheClient?: string;
  /** Detected migration tool (adopt), e.g. `knex`. */
  readonly migrationTool?: string;
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
