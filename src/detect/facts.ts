/** What the generator learns about the target folder before asking anything. */
import { posix } from 'node:path';
import type { ListenHost } from './listen-host.js';
import type { ReadinessSite, UnwiredSite } from './readiness.js';

/** Package managers the generated Dockerfile and workflow know how to drive. */
/** bun only for a new service (the one that ran the generator); an existing service is npm, pnpm or yarn. */
export type PackageManager = 'npm' | 'pnpm' | 'yarn' | 'bun';

/** Where and how the files the generator adds to an adopted app are written: computed once, by detection. */
export interface AddedCodeLayout {
  /** Directory (root-relative) the added files go in: next to the app module. */
  readonly dir: string;
  /** Where `dir`'s code runs from in the image: tsc's outDir mapping for TS, else `dir`. */
  readonly runtimeDir: string;
  /** Extension of added modules, following the app module (`js`, `mjs`, `cjs`, `ts`). */
  readonly ext: 'js' | 'mjs' | 'cjs' | 'ts';
  /** Extension of added scripts node runs from the sources (healthcheck, migrate): `cjs` next to TypeScript, which needs no build. */
  readonly scriptExt: 'js' | 'mjs' | 'cjs';
  /** Whether added modules use ES module syntax (`.mjs`, or the project's module system unless `.cjs`). */
  readonly esm: boolean;
  /** Root-relative path of the generated health module. */
  readonly healthModule: string;
}

/** Base name of the generated health module (kept distinctive: many services have a health.js). */
export const HEALTH_MODULE = 'health-routes';

/** The layout of added code in `dir` with extension `ext` (see AddedCodeLayout). */
export function addedCodeLayout(
  dir: string,
  ext: AddedCodeLayout['ext'],
  runtimeDir: string,
  moduleSystem: 'esm' | 'cjs' | undefined,
): AddedCodeLayout {
  return {
    dir,
    runtimeDir,
    ext,
    scriptExt: ext === 'ts' ? 'cjs' : ext,
    esm: ext === 'mjs' || (ext !== 'cjs' && moduleSystem === 'esm'),
    healthModule: posix.join(dir, `${HEALTH_MODULE}.${ext}`),
  };
}

/** Facts both kinds of target have. */
interface CommonFacts {
  readonly folderName: string;
  readonly packageName?: string;
  /** `owner/repo` from the origin remote, when it is a GitHub URL. */
  readonly githubRepo?: string;
  readonly packageManager: PackageManager;
  /** Yarn only: Yarn 1 (classic), whose install flags differ from Berry's. */
  readonly yarnClassic?: boolean;
  /** Which of the app's scripts exist (the workflow runs only those). */
  readonly scripts: { readonly test: boolean; readonly lint: boolean; readonly build: boolean };
}

/** An empty folder: a new Express service will be created. */
export interface NewRepoFacts extends CommonFacts, Absent<AdoptOnly> {
  readonly mode: 'new';
  /** pnpm/yarn/bun: the version that ran the generator, for package.json "packageManager" (corepack; setup-bun and the image for bun). */
  readonly packageManagerVersion?: string;
  readonly layout?: undefined;
}

/** An existing Express service (package.json depends on express). */
export interface AdoptFacts extends CommonFacts, AdoptOnly {
  readonly mode: 'adopt';
  readonly packageManagerVersion?: undefined;
  readonly layout: AddedCodeLayout;
}

/** Facts detected in the target directory (pure data; produced by detectProject() in index.ts). */
export type ProjectFacts = NewRepoFacts | AdoptFacts;

/** The adopt-only fields, absent (undefined) on a new repo so either kind can be read without narrowing. */
type Absent<T> = { readonly [K in keyof T]?: undefined };

/** What detection learns about an adopted service besides the common facts. */
interface AdoptOnly {
  /** Adopt: the lockfile a clean checkout has; undefined means the install cannot be frozen. */
  readonly lockfile?: string;
  /** Adopt: files the install needs before the sources are copied (lockfile, .npmrc, files install scripts run). */
  readonly installFiles?: readonly string[];
  /** Adopt: directories the install needs (patch-package patches, Yarn releases/plugins). */
  readonly installDirs?: readonly string[];
  /** Adopt: root install scripts a production install cannot run (their tools are devDependencies). */
  readonly devOnlyScripts?: readonly string[];
  /** Detected TypeScript project (adopt), undefined for a new repo. */
  readonly typescript?: boolean;
  /** Adopt, TypeScript: the build's TypeScript is older than 3.0, which added `unknown` (the health module declares a stand-in). */
  readonly typescriptNoUnknown?: boolean;
  readonly moduleSystem?: 'esm' | 'cjs';
  /** The Node major the project names (the image's default when it is a maintained LTS line). */
  readonly nodeMajor?: string;
  /** Adopt: where nodeMajor comes from: `.nvmrc`, `.node-version` or `engines.node "<range>"`. */
  readonly nodeFrom?: string;
  /** Adopt: the engines.node range nodeMajor is the floor of (it may allow the image's newer line). */
  readonly nodeRange?: string;
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
  /** Adopt: tsconfig `paths` aliases and package.json subpath imports as [prefix, root-relative target prefix]. */
  readonly pathAliases?: readonly (readonly [string, string])[];
  /** App entry file relative to the root (adopt). */
  readonly entry?: string;
  /** Command the container runs (adopt: from scripts.start / main). */
  readonly startCommand?: readonly string[];
  /** Adopt: variables scripts.start sets before it starts node (`cross-env FOO=1 node …`); the image sets them too. */
  readonly startEnv?: readonly (readonly [string, string])[];
  /** Adopt: a loopback address the server binds (`listen(port, host)`), literal or from a variable (set to 0.0.0.0 in the image). */
  readonly listenHost?: ListenHost;
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
  /** tsc's outDir (adopt, TypeScript), root-relative; undefined when tsc writes next to the sources. */
  readonly tsOutDir?: string;
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
export function newRepoFacts(
  folderName: string,
  githubRepo?: string,
  pm: NewRepoPackageManager = { pm: 'npm' },
): NewRepoFacts {
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
