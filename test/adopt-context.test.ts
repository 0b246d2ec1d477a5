/** Render context of adopted services: commands come from the detected project, not the new-app layout. */
import { describe, expect, it } from 'vitest';
import type { AppContext } from '../src/context/build-context.js';
import { PATCH } from '../src/patch/index.js';
import { planFiles } from '../src/plan/plan-files.js';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/paths.js';
import { adoptOutputs, fixtureApp, type FixtureName } from './fixtures/adopt/support.js';

describe('app context per fixture', () => {
  const table: [FixtureName, Record<string, string>, Partial<AppContext>][] = [
    [
      'express-generator',
      {},
      {
        mode: 'adopt',
        installCommand: 'npm ci',
        runTest: true,
        runLint: false,
        runBuild: false,
        startCommand: ['node', 'bin/www'],
        migrateCommand: null,
        healthcheckCommand: ['CMD', 'node', 'healthcheck.js'],
        outDir: '.',
      },
    ],
    [
      'esm-inline',
      {},
      {
        packageManager: 'pnpm',
        installCommand: 'pnpm install --frozen-lockfile',
        runTest: false,
        runLint: true,
        runBuild: false,
        startCommand: ['node', 'server.js'],
        healthcheckCommand: ['CMD', 'node', 'healthcheck.js'],
      },
    ],
    [
      'typescript',
      {},
      {
        packageManager: 'yarn',
        installCommand: 'yarn install --frozen-lockfile',
        runBuild: true,
        startCommand: ['node', 'dist/server.js'],
        migrateCommand: ['node_modules/.bin/node-pg-migrate', 'up'],
        healthcheckCommand: ['CMD', 'node', 'src/healthcheck.cjs'],
        outDir: 'dist',
      },
    ],
    ['typescript', { database: 'none' }, { migrateCommand: null }],
    [
      'factory',
      {},
      {
        startCommand: ['node', 'index.js'],
        migrateCommand: ['node', 'src/migrate.js'],
        healthcheckCommand: ['CMD', 'node', 'src/healthcheck.js'],
        outDir: 'src',
      },
    ],
  ];
  it.each(table)('%s %o', (name, flags, expected) => {
    expect(adoptOutputs(fixtureApp(name), flags).ctx.app).toMatchObject(expected);
  });
});

describe('planFiles in adopt mode', () => {
  it('adds the adopt files and patches to the pipeline files, and no new-app seeds', () => {
    const { ctx, facts } = adoptOutputs(fixtureApp('factory'));
    const patchName = (p: unknown): string => Object.entries(PATCH).find(([, f]) => f === p)![0];
    const plan = planFiles(ctx, facts).map(
      (s) => `${s.kind}:${s.path}${s.kind === 'patch' ? `:${patchName(s.patch)}` : ''}`,
    );
    expect(plan).toEqual(
      expect.arrayContaining([
        'managed:.github/workflows/deploy.yml',
        'managed:Dockerfile',
        'managed:src/health-routes.js',
        'managed:src/healthcheck.js',
        'managed:src/migrate.js',
        'patch:src/create-app.js:app',
        'patch:index.js:entry',
        'patch:package.json:packageJson',
      ]),
    );
    expect(
      plan.filter((p) => p.startsWith('seed:package.json') || p.includes('src/server.') || p.includes('src/app.')),
    ).toEqual([]);
  });
  it('plans a build script for TypeScript without one, and nothing for package.json otherwise', () => {
    const ts = adoptOutputs(fixtureApp('typescript'));
    expect(planFiles(ts.ctx, ts.facts).some((s) => s.path === 'package.json')).toBe(false);
    const noBuild = adoptOutputs(fixtureApp('typescript'));
    const facts = { ...noBuild.facts, scripts: { ...noBuild.facts.scripts, build: false } };
    const spec = planFiles(noBuild.ctx, facts).find((s) => s.path === 'package.json');
    expect(spec?.kind === 'patch' && spec.patch).toBe(PATCH.packageJson);
    const r = PATCH.packageJson(
      '{\n  "name": "x",\n  "scripts": {\n    "start": "node dist/server.js"\n  }\n}\n',
      'package.json',
      noBuild.ctx,
      facts,
    );
    expect('text' in r && r.text).toBe(
      '{\n  "name": "x",\n  "scripts": {\n    "start": "node dist/server.js",\n    "build": "tsc"\n  }\n}\n',
    );
  });
  it('names in the docs the migration runner it really writes (migrate.cjs next to TypeScript sources)', () => {
    for (const dir of [join(PACKAGE_ROOT, 'test/fixtures/corpus/ts4-pg-yarn'), fixtureApp('factory')]) {
      const { ctx, facts } = adoptOutputs(dir);
      const named = /and `([^`]+)`/.exec(ctx.app.migrationSources)?.[1];
      expect(named, dir).toBeDefined();
      expect(
        planFiles(ctx, facts).map((s) => s.path),
        dir,
      ).toContain(named);
    }
  });
});
