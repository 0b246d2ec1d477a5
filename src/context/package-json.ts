/** package.json of a new service (printed by the app-js and app-ts package.json templates). */
import type { AppContext } from './app-context.js';

export interface PackageJsonInputs {
  readonly serviceName: string;
  readonly nodeVersion: string;
  readonly isTs: boolean;
  readonly hasDatabase: boolean;
  readonly hasCache: boolean;
  readonly app: AppContext;
  readonly local: {
    readonly scripts: Readonly<Record<string, string>>;
    readonly devDependencies: Readonly<Record<string, string>>;
  };
  readonly appDependencies: Readonly<Record<string, string>>;
  readonly appDevDependencies: Readonly<Record<string, string>>;
}

/** Keys in the order npm writes them; null for an adopted service (its package.json is the user's, patched). */
export function newAppPackageJson(c: PackageJsonInputs): Record<string, unknown> | null {
  if (c.app.mode !== 'new') return null;
  const scripts: Record<string, string> = {
    ...(c.isTs ? { build: 'tsc -p tsconfig.json' } : {}),
    start: c.app.startCommand.join(' '),
    // The build through the service's own package manager (`bun run test` in a bun service builds with bun too).
    test: `${c.isTs ? `${c.app.packageManager} run build && ` : ''}node --test ${c.app.outDir}/health.test.js`,
    ...(c.hasDatabase && c.app.migrateCommand ? { migrate: c.app.migrateCommand.join(' ') } : {}),
    ...c.local.scripts,
  };
  const dependencies = {
    express: c.appDependencies.express,
    ...(c.hasDatabase ? { pg: c.appDependencies.pg } : {}),
    ...(c.hasCache ? { redis: c.appDependencies.redis } : {}),
  };
  const dev = c.appDevDependencies;
  const devDependencies = c.isTs
    ? {
        '@types/express': dev['@types/express'],
        '@types/node': dev['@types/node'],
        ...(c.hasDatabase ? { '@types/pg': dev['@types/pg'] } : {}),
        typescript: dev.typescript,
        ...c.local.devDependencies,
      }
    : c.local.devDependencies;
  return {
    name: c.serviceName,
    version: '0.1.0',
    private: true,
    type: 'module',
    engines: { node: `>=${c.nodeVersion}` },
    // corepack provides pnpm/yarn at this exact version, in CI and in the image.
    ...(c.app.packageManagerField ? { packageManager: c.app.packageManagerField } : {}),
    scripts,
    dependencies,
    ...(Object.keys(devDependencies).length > 0 ? { devDependencies } : {}),
  };
}
