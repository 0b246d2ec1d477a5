/** How each supported package manager installs (CI and the Dockerfile), frozen to the lockfile when there is one. */
import type { PackageManager, ProjectFacts } from '../detect/facts.js';

/** Commands and files of one package manager. */
export interface PackageManagerCommands {
  /** Full install (CI test job, Docker build stage). */
  readonly install: string;
  /** Production-only install (Docker deps stage). */
  readonly prodInstall: string;
  /** Files the install needs, space-separated, for a Dockerfile COPY. */
  readonly manifests: string;
  /** Directories the install needs, each copied on its own (COPY copies a directory's contents). */
  readonly installDirs: readonly string[];
  /** Cache directory for a BuildKit cache mount. */
  readonly cacheDir: string;
}

type Base = Omit<PackageManagerCommands, 'installDirs'>;

/** Commands for `pm`; Yarn 1 ("classic") and Yarn Berry differ in both install commands; `frozen`: a lockfile is committed. */
export function packageManagerCommands(pm: PackageManager, yarnClassic = false, frozen = true): Base {
  switch (pm) {
    case 'pnpm':
      return frozen
        ? {
            install: 'pnpm install --frozen-lockfile',
            prodInstall: 'pnpm install --frozen-lockfile --prod',
            manifests: 'package.json pnpm-lock.yaml',
            cacheDir: '/root/.local/share/pnpm/store',
          }
        : {
            install: 'pnpm install --no-frozen-lockfile',
            prodInstall: 'pnpm install --no-frozen-lockfile --prod',
            manifests: 'package.json',
            cacheDir: '/root/.local/share/pnpm/store',
          };
    case 'yarn':
      if (yarnClassic) {
        return frozen
          ? {
              install: 'yarn install --frozen-lockfile',
              prodInstall: 'yarn install --frozen-lockfile --production',
              manifests: 'package.json yarn.lock',
              cacheDir: '/usr/local/share/.cache/yarn',
            }
          : {
              install: 'yarn install',
              prodInstall: 'yarn install --production',
              manifests: 'package.json',
              cacheDir: '/usr/local/share/.cache/yarn',
            };
      }
      return frozen
        ? {
            install: 'yarn install --immutable',
            prodInstall: 'yarn workspaces focus --all --production',
            manifests: 'package.json yarn.lock .yarnrc.yml*',
            cacheDir: '/root/.yarn/berry/cache',
          }
        : {
            install: 'yarn install --no-immutable',
            prodInstall: 'yarn workspaces focus --all --production',
            manifests: 'package.json .yarnrc.yml*',
            cacheDir: '/root/.yarn/berry/cache',
          };
    case 'bun':
      // A new service only, always with the bun.lock its first install wrote.
      return {
        install: 'bun install --frozen-lockfile',
        prodInstall: 'bun install --frozen-lockfile --production',
        manifests: 'package.json bun.lock',
        cacheDir: '/root/.bun/install/cache',
      };
    case 'npm':
      return frozen
        ? {
            install: 'npm ci',
            prodInstall: 'npm ci --omit=dev',
            manifests: 'package.json package-lock.json',
            cacheDir: '/root/.npm',
          }
        : {
            install: 'npm install',
            prodInstall: 'npm install --omit=dev',
            manifests: 'package.json',
            cacheDir: '/root/.npm',
          };
  }
}

/** Frozen to a lockfile: a new service (it commits one), or an adopted one whose detection found one (facts without install detection count as frozen). */
export function isFrozen(facts: ProjectFacts): boolean {
  return facts.mode !== 'adopt' || facts.lockfile !== undefined || facts.installFiles === undefined;
}

/**
 * The commands for a service: a new one installs from the lockfile it will commit; an adopted one copies
 * exactly the files its install needs and drops the root install scripts a production install cannot run.
 */
export function serviceInstall(facts: ProjectFacts): PackageManagerCommands {
  const adopt = facts.mode === 'adopt';
  const base = packageManagerCommands(facts.packageManager, facts.yarnClassic, isFrozen(facts));
  if (!adopt || !facts.installFiles) return { ...base, installDirs: [] };
  const berryRc = facts.packageManager === 'yarn' && !facts.yarnClassic;
  const files = facts.installFiles.filter((f) => !(berryRc && f === '.yarnrc.yml'));
  const manifests = [...files, ...(berryRc ? ['.yarnrc.yml*'] : [])].join(' ');
  const drop = facts.devOnlyScripts?.length
    ? `npm pkg delete ${facts.devOnlyScripts.map((s) => `scripts.${s}`).join(' ')} && `
    : '';
  return { ...base, manifests, installDirs: facts.installDirs ?? [], prodInstall: `${drop}${base.prodInstall}` };
}
