/**
 * The generated repo's own files (issue 14), per option set, without Docker: compose.yaml passes the
 * Compose checks and has exactly the enabled services; .env.example points at them with the same
 * credentials and ports; the start-up check, the server and the task definition agree on the required
 * variables; the README's commands exist and parse, and it names only what was chosen; Dependabot
 * has groups and a cooldown with keys the schema allows for each ecosystem.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { addedCodeLayout, type ProjectFacts } from '../src/detect/facts.js';
import type { RawValues } from '../src/options/resolve.js';
import { loadVersions } from '../src/versions.js';
import { renderTree } from './support/render-tree.js';
import { validateComposeFile } from './validate/compose.js';

const SETS: ReadonlyArray<readonly [string, RawValues]> = [
  ['ts, PostgreSQL and Redis', {}],
  ['js, PostgreSQL only', { language: 'js', cache: 'none' }],
  ['ts, Redis only', { database: 'none' }],
  ['js, neither', { language: 'js', database: 'none', cache: 'none' }],
];

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function render(
  flags: RawValues,
  facts?: ProjectFacts,
): { dir: string; paths: string[]; read: (p: string) => string; db: boolean; cache: boolean } {
  const dir = mkdtempSync(join(tmpdir(), 'ccp-local-'));
  dirs.push(dir);
  const { ctx, paths } = renderTree(dir, flags, facts);
  return { dir, paths, read: (p) => readFileSync(join(dir, p), 'utf8'), db: ctx.hasDatabase, cache: ctx.hasCache };
}

const envOf = (text: string): Record<string, string> =>
  Object.fromEntries(
    text
      .split('\n')
      .filter((l) => /^[A-Z][A-Z0-9_]*=/.test(l))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );

interface Compose {
  services: Record<
    string,
    { image: string; ports: string[]; environment?: Record<string, string>; healthcheck: unknown }
  >;
}

describe.each(SETS)('%s', (_name, flags) => {
  const t = render(flags);
  const env = envOf(t.read('.env.example'));

  it('compose.yaml: only with a database or cache, passes the Compose checks, has exactly the enabled services on 127.0.0.1', () => {
    expect(t.paths.includes('compose.yaml')).toBe(t.db || t.cache);
    if (!t.db && !t.cache) return;
    expect(validateComposeFile(t.dir, 'compose.yaml')).toEqual([]);
    const compose = parse(t.read('compose.yaml'), { uniqueKeys: true }) as Compose;
    expect(Object.keys(compose.services).sort()).toEqual([
      ...(t.db ? ['postgres'] : []),
      ...(t.cache ? ['redis'] : []),
    ]);
    for (const s of Object.values(compose.services)) {
      for (const p of s.ports) expect(p).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
      expect(s.healthcheck).toBeDefined();
    }
  });

  it('.env.example points at the compose services: same host ports, credentials and database', () => {
    expect(Object.keys(env)).toEqual(['PORT', ...(t.db ? ['DATABASE_URL'] : []), ...(t.cache ? ['REDIS_URL'] : [])]);
    if (!t.db && !t.cache) return;
    const compose = parse(t.read('compose.yaml')) as Compose;
    const hostPort = (service: string): string => compose.services[service]!.ports[0]!.split(':')[1]!;
    if (t.db) {
      const url = new URL(env.DATABASE_URL!);
      const pg = compose.services.postgres!;
      expect([url.username, url.password, url.pathname.slice(1), url.hostname, url.port]).toEqual([
        pg.environment!.POSTGRES_USER,
        pg.environment!.POSTGRES_PASSWORD,
        pg.environment!.POSTGRES_DB,
        '127.0.0.1',
        hostPort('postgres'),
      ]);
      expect(compose.services.postgres!.ports[0]!.endsWith(':5432')).toBe(true);
    }
    if (t.cache) {
      const url = new URL(env.REDIS_URL!);
      expect([url.hostname, url.port]).toEqual(['127.0.0.1', hostPort('redis')]);
      expect(compose.services.redis!.ports[0]!.endsWith(':6379')).toBe(true);
    }
  });

  it('the start-up check, the server and the task definition agree on the required variables', () => {
    const required = Object.keys(env).filter((k) => k !== 'PORT');
    const ext = t.paths.includes('src/server.ts') ? 'ts' : 'js';
    const server = t.read(`src/server.${ext}`);
    expect([...server.matchAll(/requireEnv\('([A-Z_]+)'\)/g)].map((m) => m[1]).sort()).toEqual([...required].sort());
    expect(t.paths.includes(`src/env.${ext}`)).toBe(required.length > 0);
    if (required.length === 0) return;
    expect(t.read(`src/env.${ext}`)).toContain(`[${required.map((n) => `'${n}'`).join(', ')}]`);
    // The import comes first, so the check runs before any other module of the server.
    expect(server.split('\n').find((l) => l.startsWith('import '))).toBe(
      "import './env.js'; // first: exits listing every missing variable before anything connects",
    );
    const taskdef = JSON.parse(t.read('.aws/taskdef.production.json')) as {
      containerDefinitions: Array<{ secrets?: Array<{ name: string }> }>;
    };
    expect((taskdef.containerDefinitions[0]!.secrets ?? []).map((s) => s.name).sort()).toEqual([...required].sort());
  });

  it('README: every command it shows exists in package.json and parses with bash -n; it names only what was chosen', () => {
    const readme = t.read('README.md');
    const pkg = JSON.parse(t.read('package.json')) as { scripts: Record<string, string> };
    const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    for (const block of blocks) {
      const r = spawnSync('bash', ['-n'], { input: block, encoding: 'utf8' });
      expect(r.status, `${block}\n${r.stderr}`).toBe(0);
    }
    for (const [, script] of readme.matchAll(/\bnpm run ([a-z:]+)/g))
      expect(Object.keys(pkg.scripts), script).toContain(script);
    expect(pkg.scripts.test).toBeDefined();
    expect(readme.includes('docker compose')).toBe(t.db || t.cache);
    expect(readme.includes('Redis')).toBe(t.cache);
    expect(readme.includes('PostgreSQL') || readme.includes('migrations/')).toBe(t.db);
    expect(readme.includes('squawk')).toBe(t.db);
    for (const link of ['docs/DEPLOYMENT.md', '.github/workflows/terraform.yml']) expect(readme).toContain(link);
    // Every path the "Where things are" table names is generated.
    const table = readme.slice(readme.indexOf('## Where things are'));
    for (const [, path] of table.matchAll(/`([\w./-]+\.(?:ts|js|md|yaml|example))`/g))
      expect(t.paths, path).toContain(path);
  });

  it('dev scripts: watch mode on .env, TypeScript through tsx; dev:migrate only with a database', () => {
    const pkg = JSON.parse(t.read('package.json')) as {
      scripts: Record<string, string>;
      devDependencies?: Record<string, string>;
    };
    const ts = t.paths.includes('tsconfig.json');
    expect(pkg.scripts.dev).toBe(
      ts ? 'node --watch --env-file=.env --import tsx src/server.ts' : 'node --watch --env-file=.env src/server.js',
    );
    expect(pkg.scripts['dev:migrate']).toBe(
      t.db ? `node --env-file=.env ${ts ? '--import tsx src/migrate.ts' : 'src/migrate.js'}` : undefined,
    );
    expect(pkg.devDependencies?.tsx !== undefined).toBe(ts);
  });
});

/** Keys the Dependabot config schema (SchemaStore dependabot-2.0.json) allows under cooldown and in a group. */
const COOLDOWN_KEYS = [
  'default-days',
  'semver-major-days',
  'semver-minor-days',
  'semver-patch-days',
  'include',
  'exclude',
];
const GROUP_KEYS = ['applies-to', 'dependency-type', 'patterns', 'exclude-patterns', 'update-types'];
/** Ecosystems whose versions are not SemVer: GitHub rejects semver-*-days for them. */
const NOT_SEMVER = ['github-actions', 'docker', 'docker-compose', 'terraform'];

interface Update {
  'package-ecosystem': string;
  cooldown?: Record<string, unknown>;
  groups?: Record<string, Record<string, unknown>>;
}

describe('.github/dependabot.yml', () => {
  const cases: ReadonlyArray<readonly [string, RawValues, ProjectFacts | undefined, boolean]> = [
    ['new repo with local services', {}, undefined, true],
    ['new repo without', { database: 'none', cache: 'none' }, undefined, false],
    [
      'adopted service',
      { database: 'none' },
      {
        mode: 'adopt',
        folderName: 'shop',
        packageName: 'shop',
        packageManager: 'npm',
        scripts: { test: true, lint: false, build: false },
        typescript: false,
        startCommand: ['node', 'index.js'],
        layout: addedCodeLayout('.', 'js', '.', undefined),
      },
      false,
    ],
  ];

  it.each(cases)(
    '%s: a cooldown on every ecosystem, groups for actions and npm, docker-compose only with compose.yaml',
    (_n, flags, facts, compose) => {
      const t = render(flags, facts);
      const updates = (parse(t.read('.github/dependabot.yml'), { uniqueKeys: true }) as { updates: Update[] }).updates;
      const ecosystems = updates.map((u) => u['package-ecosystem']);
      expect(ecosystems).toEqual([
        'github-actions',
        'npm',
        'docker',
        ...(compose ? ['docker-compose'] : []),
        'terraform',
      ]);
      expect(t.paths.includes('compose.yaml')).toBe(compose);
      for (const u of updates) {
        const days = u.cooldown?.['default-days'];
        expect(Number.isInteger(days) && (days as number) > 0, u['package-ecosystem']).toBe(true);
        for (const key of Object.keys(u.cooldown!)) expect(COOLDOWN_KEYS).toContain(key);
        if (NOT_SEMVER.includes(u['package-ecosystem']))
          expect(Object.keys(u.cooldown!).filter((k) => k.startsWith('semver-'))).toEqual([]);
        for (const group of Object.values(u.groups ?? {})) {
          for (const key of Object.keys(group)) expect(GROUP_KEYS).toContain(key);
          for (const ut of (group['update-types'] as string[] | undefined) ?? [])
            expect(['major', 'minor', 'patch']).toContain(ut);
        }
      }
      expect(updates.find((u) => u['package-ecosystem'] === 'github-actions')!.groups).toEqual({
        'github-actions': { patterns: ['*'] },
      });
      expect(updates.find((u) => u['package-ecosystem'] === 'npm')!.groups).toEqual({
        'npm-minor-and-patch': { 'update-types': ['minor', 'patch'] },
      });
    },
  );
});

describe('adopt mode', () => {
  it('writes none of the new-repo product files (the service keeps its README, scripts and local setup) but gets terraform.yml', () => {
    const t = render(
      { database: 'none' },
      {
        mode: 'adopt',
        folderName: 'shop',
        packageName: 'shop',
        packageManager: 'npm',
        scripts: { test: true, lint: false, build: false },
        typescript: false,
        startCommand: ['node', 'index.js'],
        layout: addedCodeLayout('.', 'js', '.', undefined),
      },
    );
    for (const p of ['README.md', 'compose.yaml', '.env.example', '.squawk.toml', 'src/env.js', 'src/env.ts'])
      expect(t.paths).not.toContain(p);
    expect(t.paths).toContain('.github/workflows/terraform.yml');
  });
});

describe('versions (resources/app)', () => {
  const root = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    devDependencies: Record<string, string>;
  };
  /** `exact` satisfies the caret range `range` (^X.Y.Z, X > 0). */
  const satisfiesCaret = (range: string, exact: string): boolean => {
    const [x, y, z] = range.replace(/^\^/, '').split('.').map(Number) as [number, number, number];
    const [a, b, c] = exact.split('.').map(Number) as [number, number, number];
    return a === x && (b > y || (b === y && c >= z));
  };

  it.each(['tsx'])('%s: the version the tests run satisfies the range generated apps get', (name) => {
    const range = loadVersions().appDevDependencies[name]!;
    expect(range).toMatch(/^\^\d+\.\d+\.\d+$/);
    expect(satisfiesCaret(range, root.devDependencies[name]!), `${root.devDependencies[name]} vs ${range}`).toBe(true);
  });

  it('compose images come from resources/app/compose.yaml, each with an explicit tag', () => {
    const images = loadVersions().localServiceImages;
    const t = render({});
    const compose = parse(t.read('compose.yaml')) as Compose;
    expect(compose.services.postgres!.image).toBe(images.postgres);
    expect(compose.services.redis!.image).toBe(images.redis);
    for (const image of Object.values(images)) expect(image).toMatch(/^[a-z0-9./-]+:[\w.-]+$/);
  });
});
