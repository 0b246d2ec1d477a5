/** Detection: what adopt mode learns from an existing service (fixtures and focused variants). */
import { MAX_SOURCE_CHARS } from '../src/detect/ast.js';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AdoptFacts, ProjectFacts } from '../src/detect/facts.js';
import {
  describeFacts,
  detectProject,
  githubRepoFromUrl,
  toDefaultFacts,
  UnsupportedProjectError,
} from '../src/detect/index.js';
import { readGithubRepo } from '../src/detect/git.js';
import { detectNodeMajor, majorFromRange } from '../src/detect/manifest.js';
import { parseJsonc } from '../src/detect/read.js';
import { parseStartScript } from '../src/detect/start-script.js';
import { renderFile } from '../src/plan/render.js';
import { UserError } from '../src/errors.js';
import { resolveOptions } from '../src/options/resolve.js';
import { EXAMPLE_FLAGS } from '../src/options/example.js';
import { adoptOutputs, fixtureApp, removeScratchDirs, scratchDir, type FixtureName } from './fixtures/adopt/support.js';

afterAll(removeScratchDirs);

const noGit = { readGithubRepo: (): undefined => undefined };

/** A temp project from a map of path → content (objects are written as JSON). */
/** A scratch project; it gets an npm lockfile unless it has one (or `null` says it has none). */
function project(files: Record<string, string | object | null>): string {
  const dir = scratchDir('detect-');
  const lock = ['package-lock.json', 'yarn.lock', 'pnpm-lock.yaml'].some((f) => f in files)
    ? {}
    : { 'package-lock.json': '{}' };
  for (const [path, content] of Object.entries({ ...lock, ...files })) {
    if (content === null) continue;
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return dir;
}

const APP_JS = "const express = require('express');\nconst app = express();\napp.listen(process.env.PORT);\n";

describe('detectProject on the fixture apps', () => {
  const table: [FixtureName, Partial<ProjectFacts>][] = [
    [
      'express-generator',
      {
        mode: 'adopt',
        packageName: 'shop-web',
        packageManager: 'npm',
        scripts: { test: true, lint: false, build: false },
        typescript: false,
        moduleSystem: 'cjs',
        entry: 'bin/www',
        serverFile: 'bin/www',
        appModule: 'app.js',
        appFactory: undefined,
        startCommand: ['node', 'bin/www'],
        layout: expect.objectContaining({ dir: '.', runtimeDir: '.', ext: 'js' }),
        databaseClient: undefined,
        cacheClient: undefined,
        migrateCommand: undefined,
        nodeMajor: undefined,
      },
    ],
    [
      'esm-inline',
      {
        packageName: 'notes-api',
        packageManager: 'pnpm',
        scripts: { test: false, lint: true, build: false },
        typescript: false,
        moduleSystem: 'esm',
        entry: 'server.js',
        serverFile: 'server.js',
        appModule: 'server.js',
        startCommand: ['node', 'server.js'],
        nodeMajor: '22',
        cacheClient: 'redis',
        databaseClient: undefined,
      },
    ],
    [
      'typescript',
      {
        packageName: '@acme/billing-api',
        packageManager: 'yarn',
        yarnClassic: true,
        scripts: { test: true, lint: true, build: true },
        typescript: true,
        moduleSystem: 'cjs',
        entry: 'src/server.ts',
        serverFile: 'src/server.ts',
        appModule: 'src/app.ts',
        startCommand: ['node', 'dist/server.js'],
        layout: expect.objectContaining({
          dir: 'src',
          runtimeDir: 'dist',
          ext: 'ts',
          scriptExt: 'cjs',
          healthModule: 'src/health-routes.ts',
        }),
        tsOutDir: 'dist',
        nodeMajor: '22',
        databaseClient: 'pg',
        migrationTool: 'node-pg-migrate',
        migrateCommand: ['node_modules/.bin/node-pg-migrate', 'up'],
        migrateEntry: false,
      },
    ],
    [
      'factory',
      {
        packageName: 'orders-service',
        packageManager: 'npm',
        scripts: { test: true, lint: true, build: false },
        moduleSystem: 'cjs',
        entry: 'index.js',
        serverFile: 'index.js',
        appModule: 'src/create-app.js',
        appFactory: 'createApp',
        startCommand: ['node', 'index.js'],
        layout: expect.objectContaining({ dir: 'src', runtimeDir: 'src' }),
        nodeMajor: '24',
        databaseClient: 'pg',
        migrationTool: undefined,
        migrateEntry: true,
        migrateCommand: ['node', 'src/migrate.js'],
      },
    ],
    [
      'unrecognised',
      {
        packageName: 'legacy-gateway',
        entry: 'boot.js',
        serverFile: undefined,
        appModule: undefined,
        startCommand: ['node', 'boot.js'],
        appUnrecognised: 'no `const app = express()` found in boot.js or the files it loads',
        layout: expect.objectContaining({ dir: '.' }),
      },
    ],
  ];
  it.each(table)('%s', (name, expected) => {
    const facts = detectProject(fixtureApp(name), noGit);
    expect(facts).toMatchObject(Object.fromEntries(Object.entries(expected).filter(([, v]) => v !== undefined)));
    for (const [k, v] of Object.entries(expected))
      if (v === undefined) expect(facts[k as keyof ProjectFacts], k).toBeUndefined();
  });

  it('warns that a migration tool in devDependencies is missing from the production image', () => {
    const facts = detectProject(fixtureApp('typescript'), noGit);
    expect(facts.warnings).toEqual([expect.stringContaining('node-pg-migrate is a devDependency')]);
  });

  it('describes what it found in a few lines', () => {
    expect(describeFacts(detectProject(fixtureApp('express-generator'), noGit))).toEqual([
      'Detected: Express app in app.js (CommonJS), started by bin/www',
      'Package manager: npm, Node 24 in the image (the default: no .nvmrc, .node-version or engines.node); scripts the workflow runs: test; container command: node bin/www',
      'Database client: none; cache client: none',
    ]);
    const ts = describeFacts(detectProject(fixtureApp('typescript'), noGit));
    expect(ts[0]).toBe('Detected: Express app in src/app.ts (TypeScript, CommonJS output), started by src/server.ts');
    expect(ts[2]).toBe(
      'Database client: pg; migrations: node-pg-migrate (node_modules/.bin/node-pg-migrate up); cache client: none',
    );
    expect(ts[3]).toBe('Readiness checks on your own clients: database: pool (pg) in src/db.ts:4');
    expect(ts[4]).toMatch(/^Warning: node-pg-migrate is a devDependency/);
    expect(describeFacts(detectProject(fixtureApp('unrecognised'), noGit))[0]).toContain('app code not recognised');
  });

  describe("the Node line says what the image uses and why (a range's floor is not the version used)", () => {
    const withNode = (files: Record<string, string | object>, chosen?: { version: string; from: string }): string =>
      describeFacts(
        detectProject(
          project({
            'app.js': APP_JS,
            ...files,
            'package.json': { dependencies: { express: '5' }, ...(files['package.json'] as object) },
          }),
          noGit,
        ),
        chosen,
      )[1]!;
    const engines = (node: string): Record<string, object> => ({ 'package.json': { engines: { node } } });
    it.each([
      ['>=16', 'Node 24 in the image (engines.node ">=16" allows it; its floor, 16, is not a maintained LTS line)'],
      [
        '>= 18.0.0',
        'Node 24 in the image (engines.node ">= 18.0.0" allows it; its floor, 18, is not a maintained LTS line)',
      ],
      ['^22.11', 'Node 22 in the image (engines.node "^22.11")'],
      ['>=22', 'Node 22 in the image (engines.node ">=22")'],
      [
        '^18',
        'Node 24 in the image, though engines.node "^18" asks for Node 18, not a maintained LTS line: check that the service runs on 24, or pass --node-version',
      ],
      [
        '18.x || 20.x',
        'Node 24 in the image, though engines.node "18.x || 20.x" asks for Node 18, not a maintained LTS line: check that the service runs on 24, or pass --node-version',
      ],
      [
        '16 - 24',
        'Node 24 in the image (engines.node "16 - 24" allows it; its floor, 16, is not a maintained LTS line)',
      ],
    ])('engines.node %s', (range, says) => {
      expect(withNode(engines(range))).toContain(`, ${says}; `);
    });
    it("a version file, the user's choice, and nothing at all", () => {
      expect(withNode({ '.nvmrc': 'v22.11.0\n', ...engines('>=16') })).toContain(', Node 22 in the image (.nvmrc); ');
      expect(withNode({ '.node-version': '20\n' })).toContain(
        ', Node 24 in the image, though .node-version asks for Node 20, not a maintained LTS line',
      );
      expect(withNode(engines('>=16'), { version: '26', from: '--node-version' })).toContain(
        ', Node 26 in the image (--node-version); ',
      );
      expect(withNode({})).toContain(
        ', Node 24 in the image (the default: no .nvmrc, .node-version or engines.node); ',
      );
    });
  });

  it('pre-fills options from the facts (no client detected → --database none, --cache none; language js)', () => {
    const { serviceName: _omit, ...flags } = EXAMPLE_FLAGS;
    const facts = detectProject(fixtureApp('express-generator'), noGit);
    const { options } = resolveOptions({ flags, facts: toDefaultFacts(facts), mode: 'strict' });
    expect([options.database, options.cache, options.language, options.serviceName]).toEqual([
      'none',
      'none',
      'js',
      'shop-web',
    ]);
    const ts = resolveOptions({
      flags,
      facts: toDefaultFacts(detectProject(fixtureApp('typescript'), noGit)),
      mode: 'strict',
    }).options;
    expect([ts.database, ts.cache, ts.language, ts.nodeVersion, ts.serviceName]).toEqual([
      'postgres',
      'none',
      'ts',
      '22',
      'billing-api',
    ]);
  });
});

describe('committed .env files', () => {
  const express = { express: '5' };
  it('names what a committed .env file sets, since .dockerignore keeps it out of the image (templates and PORT aside)', () => {
    const dir = project({
      'package.json': { dependencies: { ...express, dotenv: '^16.0.0' } },
      'app.js': APP_JS,
      '.env.production.local': '# PORT\nPORT = 3000\nSECRET_KEY = x\nexport LOG_DIR=../logs\n',
      '.env.development': 'DEBUG=1\nLOG_DIR=x\n',
      '.env.example': 'A=1\n',
      '.env': '# nothing\nPORT=1\n',
    });
    const warnings = detectProject(dir, noGit).warnings ?? [];
    expect(warnings.filter((w) => w.includes('.dockerignore keeps every .env file'))).toEqual([
      '.env.development, .env.production.local are committed, but .dockerignore keeps every .env file out of the image (they may hold secrets): the container will not see DEBUG, LOG_DIR, SECRET_KEY from them. Set those the service needs in production in the task definitions (.aws/taskdef.*.json: environment, or secrets for credentials).',
    ]);
  });
  it('says nothing about a .env file git ignores (a local file, in no clean checkout)', () => {
    const dir = project({
      'package.json': { dependencies: express },
      'app.js': APP_JS,
      '.env': 'SECRET=1\n',
      '.gitignore': '.env\n',
    });
    execFileSync('git', ['init', '-q'], { cwd: dir });
    execFileSync('git', ['add', '-A'], { cwd: dir });
    expect((detectProject(dir, noGit).warnings ?? []).filter((w) => w.includes('.env'))).toEqual([]);
  });
});

describe('mode and unsupported projects', () => {
  it('is new without a package.json', () => {
    const facts = detectProject(project({ 'README.md': '# hi' }), { readGithubRepo: () => 'acme/api' });
    expect(facts).toMatchObject({ mode: 'new', githubRepo: 'acme/api' });
  });
  it('refuses a package.json without express, with a user error', () => {
    const dir = project({ 'package.json': { name: 'cli-tool', dependencies: { chalk: '5' } } });
    expect(() => detectProject(dir, noGit)).toThrow(UnsupportedProjectError);
    expect(() => detectProject(dir, noGit)).toThrow(/adds the pipeline to Express services only/);
    try {
      detectProject(dir, noGit);
    } catch (e) {
      expect(e).toBeInstanceOf(UserError);
    }
  });
  it('says so when express is only a devDependency', () => {
    expect(() => detectProject(project({ 'package.json': { devDependencies: { express: '5' } } }), noGit)).toThrow(
      /only a devDependency/,
    );
  });
  describe('TypeScript version (the added module is written for the one the build uses)', () => {
    const ts = (typescript: string | undefined, extra: Record<string, unknown> = {}): string =>
      project({
        'package.json': {
          dependencies: { express: '4' },
          devDependencies: typescript === undefined ? {} : { typescript },
        },
        'tsconfig.json': { compilerOptions: { outDir: 'dist' } },
        'src/index.ts': "import express from 'express';\nconst app = express();\napp.listen(3000);\n",
        ...extra,
      });
    const installed = (version: string): Record<string, unknown> => ({
      'node_modules/typescript/package.json': { name: 'typescript', version },
    });
    const noUnknown = (dir: string): boolean | undefined =>
      (detectProject(dir, noGit) as AdoptFacts).typescriptNoUnknown;
    it('refuses one older than 2.3 with a user error that says what to do, by installed, locked or declared version', () => {
      expect(() => detectProject(ts('~2.2.0'), noGit)).toThrow(
        /TypeScript 2\.2 .*needs TypeScript 2\.3 or newer.*Nothing was written.*typescript@~2\.3\.0/,
      );
      expect(() => detectProject(ts('1.8.10'), noGit)).toThrow(UnsupportedProjectError);
      expect(() => detectProject(ts('^1.8.0'), noGit)).toThrow(/TypeScript 1\.x/);
      expect(() => detectProject(ts('^3.0.0', installed('2.1.6')), noGit)).toThrow(/TypeScript 2\.1/);
      const lock = {
        'package-lock.json': {
          lockfileVersion: 3,
          packages: { '': {}, 'node_modules/typescript': { version: '2.2.2' } },
        },
      };
      expect(() => detectProject(ts('^2.0.0', lock), noGit)).toThrow(/TypeScript 2\.2/);
    });
    it('accepts 2.3 to 2.9 and flags the missing `unknown` type; 3.0 and newer, open ranges and no version as they are', () => {
      for (const old of ['2.3.4', '~2.4.0', '^2.0.0', '2.x', '<3', '>=2.3 <3.0.0', '<=2.9'])
        expect(noUnknown(ts(old)), old).toBe(true);
      for (const now of ['3.0.3', '^4.1.6', '>=2.5', '>=3.9', 'latest', '*', '^3 || ^2'])
        expect(noUnknown(ts(now)), now).toBeUndefined();
      expect(noUnknown(ts(undefined))).toBeUndefined();
    });
    it('takes the installed version over the lockfile, and the lockfile over the declared range', () => {
      expect(noUnknown(ts('^2.9.2', installed('3.0.3')))).toBeUndefined();
      expect(noUnknown(ts('^3.0.0', installed('2.9.2')))).toBe(true);
      expect(
        noUnknown(
          ts('>=2.4', {
            'package-lock.json': { lockfileVersion: 1, dependencies: { typescript: { version: '2.9.2' } } },
          }),
        ),
      ).toBe(true);
      expect(
        noUnknown(
          ts('>=2.4', {
            'yarn.lock': '# yarn lockfile v1\n\n"typescript@>=2.4":\n  version "2.8.4"\n  resolved "x"\n',
          }),
        ),
      ).toBe(true);
      expect(
        noUnknown(
          ts('^2.4.0', {
            'pnpm-lock.yaml':
              "lockfileVersion: '9.0'\nimporters:\n  .:\n    devDependencies:\n      typescript:\n        specifier: ^2.4.0\n        version: 3.1.8\n",
          }),
        ),
      ).toBeUndefined();
    });
  });
  it('refuses a package.json that is not JSON', () => {
    expect(() => detectProject(project({ 'package.json': '{ "name": ' }), noGit)).toThrow(UnsupportedProjectError);
  });
});

describe('a start file in a git-ignored build folder is output, not source', () => {
  const SERVER = "const express = require('express');\nconst app = express();\napp.listen(process.env.PORT);\n";
  const built = (files: Record<string, string | object>, git = true): string => {
    const dir = project({
      '.gitignore': 'node_modules\ndist/\n',
      'dist/server.js': '"use strict";\n' + SERVER,
      ...files,
    });
    if (git) execFileSync('git', ['init', '-q'], { cwd: dir });
    return dir;
  };
  const babel = {
    dependencies: { express: '5' },
    scripts: { build: 'babel lib -d dist', start: 'node dist/server.js' },
  };
  it('babel lib -d dist: the entry is lib/server.js, the container still runs dist/server.js', () => {
    const facts = detectProject(built({ 'package.json': babel, 'lib/server.js': SERVER }), noGit);
    expect([facts.entry, facts.appModule, facts.startCommand]).toEqual([
      'lib/server.js',
      'lib/server.js',
      ['node', 'dist/server.js'],
    ]);
    expect(facts.layout?.dir).toBe('lib');
  });
  it('a TypeScript build without outDir in tsconfig (tsc --outDir dist): src/server.ts', () => {
    const pkg = {
      dependencies: { express: '5' },
      devDependencies: { typescript: '5.9.3' },
      scripts: { build: 'tsc --outDir dist', start: 'node dist/server.js' },
    };
    const facts = detectProject(
      built({
        'package.json': pkg,
        'tsconfig.json': { compilerOptions: { rootDir: 'src' } },
        'src/server.ts': SERVER.replace("const express = require('express')", "import express from 'express'"),
      }),
      noGit,
    );
    expect([facts.entry, facts.appModule]).toEqual(['src/server.ts', 'src/server.ts']);
  });
  it('without git, .gitignore decides; with no source to map to, the output is not patched', () => {
    expect(detectProject(built({ 'package.json': babel, 'lib/server.js': SERVER }, false), noGit).entry).toBe(
      'lib/server.js',
    );
    const facts = detectProject(built({ 'package.json': babel }), noGit);
    expect(facts.entry === undefined || !facts.entry.startsWith('dist/')).toBe(true);
    expect(facts.appModule?.startsWith('dist/')).not.toBe(true);
  });
  it('a folder git does not ignore, or no build script: the file is the source, as before', () => {
    expect(
      detectProject(built({ '.gitignore': 'node_modules\n', 'package.json': babel, 'lib/server.js': SERVER }), noGit)
        .entry,
    ).toBe('dist/server.js');
    const noBuild = { dependencies: { express: '5' }, scripts: { start: 'node dist/server.js' } };
    expect(detectProject(built({ 'package.json': noBuild }), noGit).entry).toBe('dist/server.js');
  });
});

describe('package manager, node version, scripts', () => {
  const base = { 'package.json': { dependencies: { express: '5' } }, 'app.js': APP_JS };
  it.each([
    ['package-lock.json', 'npm'],
    ['npm-shrinkwrap.json', 'npm'],
    ['pnpm-lock.yaml', 'pnpm'],
    ['yarn.lock', 'yarn'],
  ])('%s → %s', (lock, pm) => {
    expect(detectProject(project({ ...base, [lock]: '' }), noGit).packageManager).toBe(pm);
  });
  it('falls back to the packageManager field, then npm', () => {
    expect(
      detectProject(
        project({ ...base, 'package.json': { packageManager: 'yarn@4.1.0', dependencies: { express: '5' } } }),
        noGit,
      ).packageManager,
    ).toBe('yarn');
    expect(detectProject(project(base), noGit).packageManager).toBe('npm');
  });
  it('tells Yarn 1 from Berry (lockfile metadata, .yarnrc.yml, packageManager field)', () => {
    const yarn = (files: Record<string, string | object>): boolean | undefined =>
      detectProject(project({ ...base, 'yarn.lock': '# yarn lockfile v1\n', ...files }), noGit).yarnClassic;
    expect(yarn({})).toBe(true);
    expect(yarn({ 'yarn.lock': '__metadata:\n  version: 8\n' })).toBe(false);
    expect(yarn({ '.yarnrc.yml': 'nodeLinker: node-modules\n' })).toBe(false);
    expect(yarn({ 'package.json': { packageManager: 'yarn@4.5.0', dependencies: { express: '5' } } })).toBe(false);
    expect(detectProject(project({ ...base, 'package-lock.json': '' }), noGit).yarnClassic).toBeUndefined();
  });
  it.each([
    ['>=20.17', '20'],
    ['^22 || ^24', '22'],
    ['20.x', '20'],
    ['v24.1.0', '24'],
    ['>= 22.0.0 < 25', '22'],
    ['lts/*', undefined],
  ])('engines %s → %s', (range, major) => {
    expect(majorFromRange(range)).toBe(major);
  });
  it('prefers .nvmrc, then .node-version, then engines', () => {
    const dir = project({ '.nvmrc': 'v22.3.0\n', '.node-version': '24' });
    expect(detectNodeMajor(dir, '>=20')).toBe('22');
    expect(detectNodeMajor(project({ '.node-version': '24.1' }), '>=20')).toBe('24');
    expect(detectNodeMajor(project({ '.nvmrc': 'lts/iron' }), '>=20')).toBe('20');
  });
  it("ignores npm's placeholder test script and empty scripts", () => {
    const dir = project({
      ...base,
      'package.json': {
        dependencies: { express: '5' },
        scripts: { test: 'echo "Error: no test specified" && exit 1', lint: '', build: 'tsc' },
      },
    });
    expect(detectProject(dir, noGit).scripts).toEqual({ test: false, lint: false, build: true });
  });
});

describe('entry, app module and start command', () => {
  const express = { express: '5' };
  it.each([
    [
      'node -r dotenv/config server.js',
      { 'server.js': APP_JS },
      'server.js',
      ['node', '-r', 'dotenv/config', 'server.js'],
    ],
    [
      'NODE_ENV=production node --enable-source-maps ./src/main.mjs',
      { 'src/main.mjs': "import express from 'express';\nconst app = express();\napp.listen(process.env.PORT);\n" },
      'src/main.mjs',
      ['node', '--enable-source-maps', 'src/main.mjs'],
    ],
    ['nodemon --watch src index.js', { 'index.js': APP_JS }, 'index.js', ['node', 'index.js']],
    ['cross-env PORT=3000 node app.cjs', { 'app.cjs': APP_JS }, 'app.cjs', ['node', 'app.cjs']],
  ])('start script "%s"', (start, files, entry, command) => {
    const facts = detectProject(
      project({ 'package.json': { scripts: { start }, dependencies: express }, ...files }),
      noGit,
    );
    expect([facts.entry, facts.appModule, facts.startCommand]).toEqual([entry, entry, command]);
  });

  it('uses main, then the common names', () => {
    const viaMain = detectProject(
      project({ 'package.json': { main: 'lib/service.js', dependencies: express }, 'lib/service.js': APP_JS }),
      noGit,
    );
    expect([viaMain.entry, viaMain.startCommand]).toEqual(['lib/service.js', ['node', 'lib/service.js']]);
    const common = detectProject(project({ 'package.json': { dependencies: express }, 'src/index.js': APP_JS }), noGit);
    expect([common.entry, common.layout?.dir]).toEqual(['src/index.js', 'src']);
  });

  it('maps a ts-node start script to the compiled entry and finds the app through the imports', () => {
    const dir = project({
      'package.json': { scripts: { start: 'ts-node src/index.ts' }, dependencies: express },
      'tsconfig.json': '{ "compilerOptions": { "outDir": "./build", "module": "NodeNext" }, "include": ["src/**/*"] }',
      'src/index.ts': "import { server } from './http/server.js';\nserver.listen(process.env.PORT);\n",
      'src/http/server.ts':
        "import express from 'express';\nimport { createServer } from 'node:http';\nconst app = express();\nexport const server = createServer(app);\n",
    });
    const facts = detectProject(dir, noGit);
    expect(facts).toMatchObject({
      entry: 'src/index.ts',
      appModule: 'src/http/server.ts',
      startCommand: ['node', 'build/index.js'],
      layout: expect.objectContaining({ runtimeDir: 'build/http' }),
      moduleSystem: 'cjs',
    });
    expect(facts.warnings).toEqual([expect.stringContaining('scripts.start uses ts-node')]);
  });

  it('detects ES module output of a NodeNext TS project with "type": "module"', () => {
    const dir = project({
      'package.json': {
        type: 'module',
        scripts: { build: 'tsc', start: 'node dist/server.js' },
        dependencies: express,
      },
      'tsconfig.json': { compilerOptions: { module: 'NodeNext', outDir: 'dist', rootDir: 'src' } },
      'src/server.ts':
        "import express from 'express';\nconst app = express();\napp.listen(Number(process.env.PORT));\n",
    });
    expect(detectProject(dir, noGit)).toMatchObject({
      moduleSystem: 'esm',
      layout: expect.objectContaining({ ext: 'ts', runtimeDir: 'dist', esm: true }),
      entry: 'src/server.ts',
    });
  });

  it('picks, of two apps in one file, the one the server listens on, and says why', () => {
    const two =
      "const express = require('express');\nconst a = express();\nconst b = express();\na.listen(process.env.PORT);\n";
    const facts = detectProject(project({ 'package.json': { dependencies: express }, 'index.js': two }), noGit);
    expect([facts.appModule, facts.appName, facts.appChoice]).toEqual([
      'index.js',
      'a',
      'the app the server listens on; left alone: b in index.js',
    ]);
  });

  it('finds an app kept in a class field through a tsconfig alias onto baseUrl itself ("@/*": ["*"])', () => {
    const dir = project({
      'package.json': { scripts: { build: 'tsc', start: 'node dist/server.js' }, dependencies: express },
      'tsconfig.json': { compilerOptions: { outDir: 'dist', baseUrl: 'src', paths: { '@/*': ['*'] } } },
      'src/server.ts': "import App from '@/app';\nnew App().listen();\n",
      'src/app.ts':
        "import express from 'express';\nclass App {\n  public app = express();\n  constructor() {\n    this.app = express();\n  }\n  public listen() {\n    this.app.listen(process.env.PORT);\n  }\n}\nexport default App;\n",
    });
    const facts = detectProject(dir, noGit);
    expect([facts.entry, facts.appModule, facts.appName, facts.serverFile]).toEqual([
      'src/server.ts',
      'src/app.ts',
      'this.app',
      'src/app.ts',
    ]);
  });

  it('follows package.json subpath imports ("#*": "./src/*", an exact "#db" with conditions) to the app and its client', () => {
    const dir = project({
      'package.json': {
        type: 'module',
        main: 'src/server.js',
        imports: { '#*': './src/*', '#db': { node: './src/db/index.js' }, '#x*': './nowhere*' },
        dependencies: { ...express, mongoose: '8' },
      },
      'src/server.js':
        "import { app } from '#app.js';\nimport connect from '#db';\nawait connect();\napp.listen(process.env.PORT);\n",
      'src/app.js': "import express from 'express';\nexport const app = express();\n",
      'src/db/index.js':
        "import mongoose from 'mongoose';\nexport default () => mongoose.connect(process.env.MONGODB_URI);\n",
    });
    const facts = detectProject(dir, noGit);
    expect([facts.entry, facts.appModule, facts.appName, facts.serverFile]).toEqual([
      'src/server.js',
      'src/app.js',
      'app',
      'src/server.js',
    ]);
    expect(facts.readinessSites?.map((s) => [s.file, s.client])).toEqual([['src/db/index.js', 'mongoose']]);
  });

  it('follows an exact tsconfig alias ("@databases": ["databases"]) to the module creating the client', () => {
    const dir = project({
      'package.json': {
        scripts: { build: 'tsc', start: 'node dist/server.js' },
        dependencies: { ...express, sequelize: '6', mysql2: '3' },
      },
      'tsconfig.json': {
        compilerOptions: {
          outDir: 'dist',
          baseUrl: 'src',
          paths: { '@databases': ['databases'], '@databasesx/*': ['nowhere/*'] },
        },
      },
      'src/server.ts':
        "import express from 'express';\nimport DB from '@databases';\nconst app = express();\napp.listen(process.env.PORT);\n",
      'src/databases/index.ts':
        "import Sequelize from 'sequelize';\nconst sequelize = new Sequelize.Sequelize('db', 'u', 'p', { dialect: 'mysql' });\nexport default { sequelize };\n",
    });
    const facts = detectProject(dir, noGit);
    expect(facts.readinessSites?.map((s) => [s.file, s.client, s.probe])).toEqual([
      ['src/databases/index.ts', 'sequelize', 'sequelize.authenticate()'],
    ]);
  });

  it("probes a client that is a module's default export through the name its importer binds", () => {
    const dir = project({
      'package.json': {
        scripts: { build: 'tsc', start: 'node dist/server.js' },
        dependencies: { ...express, knex: '2', mysql: '2' },
      },
      'tsconfig.json': { compilerOptions: { outDir: 'dist', rootDir: 'src' } },
      'src/server.ts':
        "import express from 'express';\nimport db from './databases';\nconst app = express();\napp.listen(process.env.PORT);\n",
      'src/databases/index.ts': "import Knex from 'knex';\nexport default Knex({ client: 'mysql' });\n",
    });
    const facts = detectProject(dir, noGit);
    expect(facts.readinessSites?.map((s) => [s.file, s.client, s.binding, s.probe, s.line])).toEqual([
      ['src/server.ts', 'knex', 'db', "db.raw('select 1')", 2],
    ]);
  });

  it('keeps the variables the start script sets (cross-env or a plain prefix) as ENV of the image, which does not run that script', () => {
    const dir = project({
      'package.json': {
        scripts: {
          start:
            'cross-env NODE_ENV=production DOTENV_CONFIG_PATH=./config/.env.production node -r dotenv/config ./index.js',
        },
        dependencies: express,
      },
      'index.js': APP_JS,
    });
    const facts = detectProject(dir, noGit);
    expect([facts.startCommand, facts.startEnv]).toEqual([
      ['node', '-r', 'dotenv/config', 'index.js'],
      [['DOTENV_CONFIG_PATH', './config/.env.production']],
    ]);
    const dockerfile = renderFile(
      { path: 'Dockerfile', kind: 'managed', template: 'docker/Dockerfile.ejs' },
      adoptOutputs(dir).ctx,
    );
    expect(dockerfile).toContain(
      'ENV NODE_ENV=production\n# Set by your start script before it starts node; the image does not run that script.\nENV DOTENV_CONFIG_PATH="./config/.env.production"\n',
    );
    expect(parseStartScript('FOO=1 BAR= node x.js')?.env).toEqual([
      ['FOO', '1'],
      ['BAR', ''],
    ]);
  });

  it('reads outDir from the tsconfig the build script names (tsc --project tsconfig.prod.json), so a local dist/ is never taken for source', () => {
    const files = {
      'package.json': {
        scripts: { build: 'shx rm -rf dist && tsc --project tsconfig.prod.json', start: 'node ./dist/main.js' },
        dependencies: express,
      },
      'tsconfig.json': { compilerOptions: { strict: true }, include: ['src/**/*.ts', 'tests/**/*.ts'] },
      'tsconfig.prod.json': { compilerOptions: { outDir: 'dist' }, include: ['src/**/*.ts'] },
      'src/main.ts': "import app from './server';\napp.listen(process.env.PORT);\n",
      'src/server.ts': "import express from 'express';\nconst app = express();\nexport default app;\n",
    };
    const built = {
      ...files,
      'dist/main.js': "const server_1 = require('./server');\nserver_1.default.listen(process.env.PORT);\n",
      'dist/server.js': "const app = require('express')();\nexports.default = app;\n",
    };
    for (const f of [files, built]) {
      const facts = detectProject(project(f), noGit);
      expect([facts.entry, facts.appModule, facts.tsOutDir, facts.startCommand]).toEqual([
        'src/main.ts',
        'src/server.ts',
        'dist',
        ['node', 'dist/main.js'],
      ]);
    }
  });

  it('reports two apps in one file as ambiguous when neither is started here', () => {
    const two =
      "const express = require('express');\nconst a = express();\nconst b = express();\nmodule.exports = { a, b };\n";
    const facts = detectProject(project({ 'package.json': { dependencies: express }, 'index.js': two }), noGit);
    expect([facts.appModule, facts.appUnrecognised]).toEqual([
      undefined,
      'index.js creates more than one Express app (a, b); which one serves traffic is not clear in index.js or the files it loads',
    ]);
  });

  it('does not read an entry too large to be hand-written (a bundle) and says why, quickly', () => {
    // Just over the limit, and a valid app: were it parsed, it would be recognised.
    const app = "const express = require('express');\nconst app = express();\napp.listen(process.env.PORT);\n";
    const big = app + `// ${'x'.repeat(MAX_SOURCE_CHARS)}\n`;
    const facts = detectProject(
      project({ 'package.json': { dependencies: express, main: 'bundle.js' }, 'bundle.js': big }),
      noGit,
    );
    expect(facts.appModule).toBeUndefined();
    expect(facts.appUnrecognised).toBe(
      'no `const app = express()` found in bundle.js or the files it loads; bundle.js is 1.0 MB: too large to be hand-written code (a bundle or generated file?), so it was not read',
    );
    const small = detectProject(
      project({ 'package.json': { dependencies: express, main: 'bundle.js' }, 'bundle.js': app }),
      noGit,
    );
    expect(small.appModule).toBe('bundle.js');
  });
});

describe('database, cache and migration tool', () => {
  const withDeps = (
    deps: Record<string, string>,
    dev: Record<string, string> = {},
    extra: Record<string, string> = {},
  ): ProjectFacts =>
    detectProject(
      project({
        'package.json': { dependencies: { express: '5', ...deps }, devDependencies: dev },
        'app.js': APP_JS,
        ...extra,
      }),
      noGit,
    );

  it.each([
    [{ pg: '8' }, 'pg'],
    [{ postgres: '3' }, 'postgres'],
    [{ mysql2: '3' }, 'mysql2'],
    [{ mongoose: '8' }, 'mongoose'],
    [{ '@prisma/client': '6' }, 'prisma'],
    [{ knex: '3', pg: '8' }, 'pg'],
    [{ sequelize: '6' }, 'sequelize'],
    [{ typeorm: '0.3' }, 'typeorm'],
  ])('%o → database client %s', (deps, client) => {
    expect(withDeps(deps).databaseClient).toBe(client);
  });
  it('counts clients only in dependencies (devDependencies are not in the image)', () => {
    expect(withDeps({}, { pg: '8', redis: '5' })).toMatchObject({ databaseClient: undefined, cacheClient: undefined });
    expect(withDeps({ ioredis: '5' }).cacheClient).toBe('ioredis');
  });
  it.each([
    [
      'prisma',
      { '@prisma/client': '6' },
      { prisma: '6' },
      {},
      ['node_modules/.bin/prisma', 'migrate', 'deploy'],
      /prisma is a devDependency/,
    ],
    [
      'knex',
      { knex: '3', pg: '8' },
      {},
      { 'knexfile.js': 'module.exports = {};' },
      ['node_modules/.bin/knex', 'migrate:latest'],
      undefined,
    ],
    [
      'sequelize-cli',
      { sequelize: '6', pg: '8' },
      { 'sequelize-cli': '6' },
      {},
      ['node_modules/.bin/sequelize', 'db:migrate'],
      /sequelize-cli is a devDependency/,
    ],
    [
      'node-pg-migrate',
      { pg: '8', 'node-pg-migrate': '8' },
      {},
      {},
      ['node_modules/.bin/node-pg-migrate', 'up'],
      undefined,
    ],
    [
      'typeorm',
      { typeorm: '0.3', pg: '8' },
      {},
      { 'src/data-source.js': '' },
      ['node_modules/.bin/typeorm', 'migration:run', '-d', 'src/data-source.js'],
      undefined,
    ],
  ])('%s: runs its own command', (tool, deps, dev, extra, command, warning) => {
    const facts = withDeps(deps, dev, extra);
    expect([facts.migrationTool, facts.migrateCommand, facts.migrateEntry]).toEqual([tool, command, false]);
    if (warning) expect(facts.warnings?.join('\n')).toMatch(warning);
    else expect(facts.warnings).toEqual([]);
  });
  it('knex without a knexfile is not a migration setup; pg without a tool gets the SQL runner', () => {
    expect(withDeps({ knex: '3', pg: '8' })).toMatchObject({
      migrationTool: undefined,
      migrateEntry: true,
      migrateCommand: ['node', 'migrate.js'],
    });
  });
  it('a non-pg client without a tool gets no migration command, and a warning', () => {
    const facts = withDeps({ mongoose: '8' });
    expect([facts.migrateCommand, facts.migrateEntry]).toEqual([undefined, false]);
    expect(facts.warnings).toEqual([expect.stringContaining('no migration tool detected for mongoose')]);
  });
  it('warns when the app never reads process.env.PORT', () => {
    const dir = project({
      'package.json': { dependencies: { express: '5' } },
      'app.js': "const express = require('express');\nconst app = express();\napp.listen(config.port);\n",
    });
    expect(detectProject(dir, noGit).warnings).toEqual([
      'app.js (and the files it loads) never read process.env.PORT: the task definition sets PORT to the container port; make sure the server listens on it.',
    ]);
  });
  it('makes a literal listen port the container-port default, and says PORT is ignored', () => {
    const dir = project({
      'package.json': { dependencies: { express: '5' } },
      'app.js': "const express = require('express');\nconst app = express();\nconst PORT = 3000;\napp.listen(PORT);\n",
    });
    const facts = detectProject(dir, noGit);
    expect(facts.listenPort).toBe(3000);
    expect(facts.warnings).toEqual([
      expect.stringContaining('app.js listens on port 3000 (a literal): the container port defaults to 3000'),
    ]);
    expect(
      resolveOptions({ flags: EXAMPLE_FLAGS, facts: toDefaultFacts(facts), mode: 'strict' }).options.containerPort,
    ).toBe(3000);
  });
  it('does not warn when a config module the app loads reads PORT', () => {
    const dir = project({
      'package.json': { dependencies: { express: '5' } },
      'app.js':
        "const express = require('express');\nconst config = require('./config');\nconst app = express();\napp.listen(config.port);\n",
      'config.js': 'module.exports = { port: Number(process.env.PORT) || 3000 };\n',
    });
    expect(detectProject(dir, noGit).warnings).toEqual([]);
  });
  // express-generator-typescript 2.8.1's shape: src/common/constants/env.ts builds EnvVars with jet-env, main.ts listens on EnvVars.Port.
  const jetEnvApp = (env: string): string =>
    project({
      'package.json': { dependencies: { express: '5', 'jet-env': '1' }, devDependencies: { typescript: '5' } },
      'tsconfig.json': { compilerOptions: { outDir: 'dist' } },
      'src/main.ts':
        "import EnvVars from './common/constants/env';\nimport server from './server';\nserver.listen(EnvVars.Port, () => undefined);\n",
      'src/server.ts': "import express from 'express';\nconst app = express();\nexport default app;\n",
      'src/common/constants/env.ts': env,
    });
  it('does not warn when the port comes from a config module built with an env-schema helper (jet-env reads Port as PORT)', () => {
    const dir = jetEnvApp(
      "import jetEnv, { num } from 'jet-env';\nconst EnvVars = jetEnv({ NodeEnv: (v) => typeof v === 'string', Port: num });\nexport default EnvVars;\n",
    );
    expect(detectProject(dir, noGit).warnings?.filter((w) => /PORT/.test(w))).toEqual([]);
  });
  it('says it cannot tell, rather than that PORT is never read, when the port is imported from a module it cannot follow', () => {
    const dir = jetEnvApp("import { loadSettings } from 'some-settings-lib';\nexport default loadSettings();\n");
    expect(detectProject(dir, noGit).warnings?.filter((w) => /PORT/.test(w))).toEqual([
      'src/main.ts listens on EnvVars.Port, imported from a module the generator could not trace to process.env.PORT: the task definition sets PORT to the container port; check that EnvVars.Port reads it.',
    ]);
  });
});

describe('warnings about draining and missing entries', () => {
  const deps = { dependencies: { express: '5' } };
  it('warns up front when the server start already handles SIGTERM', () => {
    const server =
      "const app = require('./app');\nconst s = app.listen(process.env.PORT);\nprocess.on('SIGTERM', () => s.close());\n";
    const facts = detectProject(
      project({
        'package.json': { ...deps, main: 'server.js' },
        'server.js': server,
        'app.js': "const express = require('express');\nconst app = express();\nmodule.exports = app;\n",
      }),
      noGit,
    );
    expect([facts.warnings, facts.serverFile]).toEqual([
      [expect.stringContaining('server.js already handles SIGTERM')],
      undefined,
    ]);
    expect(describeFacts(facts)).toContain(`Warning: ${facts.warnings![0]}`);
  });
  it('does not warn about an entry when the app module starts the server itself', () => {
    const app =
      "const express = require('express');\nconst app = express();\nif (require.main === module) app.listen(process.env.PORT);\nmodule.exports = app;\n";
    const facts = detectProject(
      project({ 'package.json': { ...deps, main: 'server.js' }, 'server.js': "require('./app');\n", 'app.js': app }),
      noGit,
    );
    expect([facts.warnings, facts.serverFile]).toEqual([[], 'app.js']);
  });
  it('prints the manual steps when there is no entry at all', () => {
    const lines = describeFacts(detectProject(project({ 'package.json': deps, 'lib/x.js': '' }), noGit));
    expect(lines).toContain('       app.use(healthRouter());');
    expect(lines.join('\n')).toContain('no server entry found');
  });
});

describe('helpers', () => {
  it.each([
    ['https://github.com/acme/api.git', 'acme/api'],
    ['https://github.com/acme/api', 'acme/api'],
    ['https://x-access-token:abc@github.com/acme/my.api.git', 'acme/my.api'],
    ['git@github.com:acme/api.git', 'acme/api'],
    ['ssh://git@github.com/acme/api.git', 'acme/api'],
    ['ssh://git@github.com:22/acme/api', 'acme/api'],
    ['https://gitlab.com/acme/api.git', undefined],
    ['git@bitbucket.org:acme/api.git', undefined],
  ])('githubRepoFromUrl(%s) = %s', (url, repo) => {
    expect(githubRepoFromUrl(url)).toBe(repo);
  });

  it('reads the origin remote with git', () => {
    const dir = project({ 'README.md': '' });
    execFileSync('git', ['init', '-q'], { cwd: dir });
    expect(readGithubRepo(dir)).toBeUndefined();
    execFileSync('git', ['remote', 'add', 'origin', 'git@github.com:acme/billing.git'], { cwd: dir });
    expect(readGithubRepo(dir)).toBe('acme/billing');
  });

  it('finds the repository from a folder inside it (git is only skipped where no .git is above)', () => {
    const dir = project({ 'services/api/README.md': '' });
    execFileSync('git', ['init', '-q'], { cwd: dir });
    execFileSync('git', ['remote', 'add', 'origin', 'https://github.com/acme/mono.git'], { cwd: dir });
    expect(readGithubRepo(join(dir, 'services/api'))).toBe('acme/mono');
  });

  it.each([
    ['node ./bin/www', { runner: 'node', file: './bin/www', nodeArgs: [], args: [] }],
    [
      'npm run build && node dist/index.js --port 80',
      { runner: 'node', file: 'dist/index.js', nodeArgs: [], args: ['--port', '80'] },
    ],
    ['tsx watch src/server.ts', { runner: 'tsx', file: 'src/server.ts', nodeArgs: [], args: [] }],
    [
      'node --import tsx "src/my server.ts"',
      { runner: 'node', file: 'src/my server.ts', nodeArgs: ['--import', 'tsx'], args: [] },
    ],
    ['node server.js | pino-pretty', undefined],
    ['npm run serve', undefined],
  ])('parseStartScript(%s)', (script, parsed) => {
    expect(parseStartScript(script)).toEqual(parsed);
  });

  it('parses tsconfig-style JSON with comments and trailing commas, keeping strings intact', () => {
    expect(parseJsonc('{\n // c\n "a": "http://x/*y*/", /* b */ "b": [1, 2,],\n}')).toEqual({
      a: 'http://x/*y*/',
      b: [1, 2],
    });
  });
});

describe("a pg Pool without an 'error' listener", () => {
  const fixture = join(new URL('.', import.meta.url).pathname, 'fixtures/corpus/ts4-pg-yarn');

  it('is warned about, naming the file, the binding and the listener to add', () => {
    const facts = detectProject(fixture);
    expect(facts.warnings?.join('\n')).toMatch(
      /src\/index\.ts:\d+: the pg pool `pool` has no 'error' listener, .*add pool\.on\('error', …\)/,
    );
  });
});
