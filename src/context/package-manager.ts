/** How each supported package manager installs from its lockfile (CI and the Dockerfile). */
import type { PackageManager } from './facts.js';

/** Commands and files of one package manager. */
export interface PackageManagerCommands {
  /** Full install from the lockfile (CI test job, Docker build stage). */
  readonly install: string;
  /** Production-only install from the lockfile (Docker deps stage). */
  readonly prodInstall: string;
  /** Files the install needs, space-separated, for a Dockerfile COPY. */
  readonly manifests: string;
  /** Cache directory for a BuildKit cache mount. */
  readonly cacheDir: string;
}

/** Commands for `pm`; Yarn 1 ("classic") and Yarn Berry differ in both install commands. */
export function packageManagerCommands(pm: PackageManager, yarnClassic = false): PackageManagerCommands {
  switch (pm) {
    case 'pnpm':
      return { install: 'pnpm install --frozen-lockfile', prodInstall: 'pnpm install --frozen-lockfile --prod', manifests: 'package.json pnpm-lock.yaml', cacheDir: '/root/.local/share/pnpm/store' };
    case 'yarn':
      return yarnClassic
        ? { install: 'yarn install --frozen-lockfile', prodInstall: 'yarn install --frozen-lockfile --production', manifests: 'package.json yarn.lock', cacheDir: '/usr/local/share/.cache/yarn' }
        : { install: 'yarn install --immutable', prodInstall: 'yarn workspaces focus --all --production', manifests: 'package.json yarn.lock .yarnrc.yml*', cacheDir: '/root/.yarn/berry/cache' };
    case 'npm':
      return { install: 'npm ci', prodInstall: 'npm ci --omit=dev', manifests: 'package.json package-lock.json', cacheDir: '/root/.npm' };
  }
}
