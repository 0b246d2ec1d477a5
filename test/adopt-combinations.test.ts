/**
 * No combination of detected clients, migration tools, module systems and options crashes the
 * generator: every planned file renders and every patch returns text or a reason (issue 10: a
 * mongoose service without a migration tool used to exit 70 on DEPLOYMENT.md).
 */
import { describe, expect, it } from 'vitest';
import { addedCodeLayout, type AdoptFacts } from '../src/detect/facts.js';
import { buildContext } from '../src/context/build-context.js';
import { resolveOptions } from '../src/options/resolve.js';
import { EXAMPLE_FLAGS } from '../src/options/example.js';
import { toDefaultFacts } from '../src/detect/index.js';
import { planFiles } from '../src/plan/plan-files.js';
import { producePlanned } from '../src/plan/produce.js';
import { RenderError, renderFile } from '../src/plan/render.js';
import type { RenderedSpec } from '../src/plan/file-spec.js';
import { adoptOutputs, fixtureApp } from './fixtures/adopt/support.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const DATABASES: readonly [client: string | undefined, engine: string | undefined, tool: string | undefined][] = [
  [undefined, undefined, undefined],
  ['pg', 'postgresql', undefined],
  ['pg', 'postgresql', 'node-pg-migrate'],
  ['postgres', 'postgresql', undefined],
  ['mysql2', 'mysql', undefined],
  ['mongoose', 'mongodb', undefined],
  ['mongodb', 'mongodb', undefined],
  ['prisma', 'postgresql', 'prisma'],
  ['prisma', 'mongodb', 'prisma'],
  ['prisma', undefined, 'prisma'],
  ['knex', 'mysql', 'knex'],
  ['knex', 'sqlite', undefined],
  ['sequelize', 'postgresql', 'sequelize-cli'],
  ['sequelize', 'mysql', undefined],
  ['typeorm', 'postgresql', 'typeorm'],
  ['typeorm', undefined, undefined],
];
const CACHES = [undefined, 'redis', 'ioredis'];
const LAYOUTS: readonly Partial<AdoptFacts>[] = [
  {
    typescript: true,
    moduleSystem: 'cjs',
    layout: addedCodeLayout('src', 'ts', 'dist', 'cjs'),
    packageManager: 'yarn',
    yarnClassic: true,
  },
  { typescript: false, moduleSystem: 'esm', layout: addedCodeLayout('.', 'js', '.', 'esm'), packageManager: 'pnpm' },
  {
    typescript: false,
    moduleSystem: 'cjs',
    layout: addedCodeLayout('lib', 'cjs', 'lib', 'cjs'),
    packageManager: 'npm',
  },
];

const base = adoptOutputs(fixtureApp('typescript'));
const readFixture = (p: string): string | undefined => {
  try {
    return readFileSync(join(fixtureApp('typescript'), p), 'utf8');
  } catch {
    return undefined;
  }
};

const cases = DATABASES.flatMap(([client, engine, tool]) =>
  CACHES.flatMap((cache) =>
    LAYOUTS.map(
      (layout, i) =>
        [
          `${client ?? 'no db'}${tool ? ` + ${tool}` : ''} (${engine ?? '?'}), ${cache ?? 'no cache'}, layout ${i}`,
          client,
          engine,
          tool,
          cache,
          layout,
        ] as const,
    ),
  ),
);

describe('every detected combination renders with every database/cache option', () => {
  it.each(cases)('%s', (_label, client, engine, tool, cache, layout) => {
    const facts: AdoptFacts = {
      ...base.facts,
      ...layout,
      databaseClient: client,
      databaseEngine: engine,
      cacheClient: cache,
      migrationTool: tool,
      migrateEntry: client === 'pg' && !tool,
      migrateCommand: tool
        ? [`node_modules/.bin/${tool}`, 'up']
        : client === 'pg'
          ? ['node', 'dist/migrate.js']
          : undefined,
    };
    for (const database of ['postgres', 'none']) {
      for (const cacheOption of ['redis', 'none']) {
        const { options } = resolveOptions({
          flags: { ...EXAMPLE_FLAGS, database, cache: cacheOption },
          facts: toDefaultFacts(facts),
          mode: 'strict',
        });
        const ctx = buildContext(options, facts);
        const planned = producePlanned(planFiles(ctx, facts), ctx, facts, readFixture);
        expect(planned.every((p) => 'text' in p || 'skipReason' in p)).toBe(true);
      }
    }
  });
});

describe('a template that cannot render is a clear user error, not a crash', () => {
  it('names the file and says nothing was written', () => {
    const spec = planFiles(base.ctx, base.facts).find((s) => s.path === 'docs/DEPLOYMENT.md') as RenderedSpec;
    expect(() => renderFile(spec, base.ctx)).not.toThrow(); // it is the broken value that fails, not the spec
    const broken = { ...base.ctx, app: { ...base.ctx.app, migrateCommand: 42 } } as unknown as typeof base.ctx;
    expect(() => renderFile(spec, broken)).toThrow(RenderError);
    expect(() => renderFile(spec, broken)).toThrow(/cannot generate docs\/DEPLOYMENT\.md .*Nothing was written/);
  });
});
