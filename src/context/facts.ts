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
}

/** Facts for an empty folder. */
export function newRepoFacts(folderName: string, githubRepo?: string): ProjectFacts {
  return {
    mode: 'new',
    folderName,
    githubRepo,
    packageManager: 'npm',
    scripts: { test: true, lint: false, build: true },
  };
}
