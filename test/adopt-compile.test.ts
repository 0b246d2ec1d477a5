/**
 * The generated adopt files compile in every flavour: TypeScript (CommonJS and NodeNext ES module
 * output) under the strictest common compiler options, JavaScript (CommonJS, ES modules, .mjs, .cjs)
 * loads in Node; with every combination of built-in checks and TODOs.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addedCodeLayout, type AdoptFacts } from '../src/detect/facts.js';
import { PACKAGE_ROOT } from '../src/paths.js';
import { adoptOutputs, fixtureApp, removeScratchDirs, scratchDir } from './fixtures/adopt/support.js';
import { adoptFiles } from '../src/plan/adopt-files.js';
import { renderFile } from '../src/plan/render.js';

afterAll(removeScratchDirs);

const STRICT = {
  strict: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  noImplicitReturns: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  noPropertyAccessFromIndexSignature: true,
  isolatedModules: true,
  skipLibCheck: true,
  noEmit: true,
};

/** Render the adopt files (not the patches) for `facts` overrides and flags into a fresh project. */
function renderProject(
  over: Partial<AdoptFacts>,
  flags: Record<string, string>,
  packageJson: object,
  tsconfig?: object,
): string {
  const base = adoptOutputs(fixtureApp('typescript'), flags);
  const facts: AdoptFacts = { ...base.facts, ...over };
  const dir = scratchDir('adopt-compile-');
  symlinkSync(join(PACKAGE_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify(packageJson));
  if (tsconfig) writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
  for (const spec of adoptFiles(base.ctx, facts)) {
    if (spec.kind === 'patch') continue;
    mkdirSync(join(dir, facts.layout.dir), { recursive: true });
    writeFileSync(join(dir, spec.path), renderFile(spec, base.ctx));
  }
  return dir;
}

const tsc = (dir: string): string => {
  try {
    execFileSync(process.execPath, [join(PACKAGE_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], {
      cwd: dir,
      stdio: 'pipe',
    });
    return '';
  } catch (e) {
    return String((e as { stdout?: Buffer }).stdout ?? e);
  }
};

const CLIENTS: [string, Partial<AdoptFacts>, Record<string, string>][] = [
  [
    'pg + redis checks',
    { databaseClient: 'pg', cacheClient: 'redis', migrateEntry: true, migrationTool: undefined },
    { database: 'postgres', cache: 'redis' },
  ],
  [
    'TODOs for mongoose + ioredis',
    { databaseClient: 'mongoose', cacheClient: 'ioredis' },
    { database: 'postgres', cache: 'redis' },
  ],
  ['no checks', { databaseClient: undefined, cacheClient: undefined }, { database: 'none', cache: 'none' }],
];

describe('TypeScript adopt files', () => {
  it.each(CLIENTS)('%s compile to CommonJS and to NodeNext ES modules under strict options', (_label, over, flags) => {
    const ts = { ...over, typescript: true };
    const cjs = renderProject(
      { ...ts, moduleSystem: 'cjs', layout: addedCodeLayout('src', 'ts', 'dist', 'cjs') },
      flags,
      { name: 'x' },
      {
        compilerOptions: { ...STRICT, module: 'commonjs', target: 'ES2022', esModuleInterop: false, types: ['node'] },
        include: ['src'],
      },
    );
    expect(tsc(cjs)).toBe('');
    const esm = renderProject(
      { ...ts, moduleSystem: 'esm', layout: addedCodeLayout('src', 'ts', 'dist', 'esm') },
      flags,
      { name: 'x', type: 'module' },
      {
        compilerOptions: {
          ...STRICT,
          module: 'NodeNext',
          target: 'ES2022',
          verbatimModuleSyntax: true,
          types: ['node'],
        },
        include: ['src'],
      },
    );
    expect(tsc(esm)).toBe('');
  });
});

describe('JavaScript adopt files', () => {
  const flavours: [string, 'js' | 'mjs' | 'cjs', 'esm' | 'cjs', object][] = [
    ['CommonJS .js', 'js', 'cjs', { name: 'x' }],
    ['ES module .js', 'js', 'esm', { name: 'x', type: 'module' }],
    ['.mjs in a CommonJS package', 'mjs', 'esm', { name: 'x' }],
    ['.cjs in an ES module package', 'cjs', 'cjs', { name: 'x', type: 'module' }],
  ];
  it.each(
    flavours.flatMap(([label, ext, moduleSystem, pkg]) =>
      CLIENTS.map(([c, over, flags]) => [`${label}, ${c}`, ext, { ...over, moduleSystem }, pkg, flags] as const),
    ),
  )('%s: every file loads and exports the health API', (_label, ext, over, pkg, flags) => {
    const dir = renderProject(
      { ...over, layout: addedCodeLayout('lib', ext, 'lib', over.moduleSystem), typescript: false },
      flags,
      pkg,
    );
    const probe =
      `import(${JSON.stringify(join(dir, `lib/health-routes.${ext}`))}).then((m) => { const h = m.default ?? m; ` +
      "console.log(['healthRouter', 'drainOnSigterm', 'registerReadinessCheck', 'onShutdown', 'isDraining'].map((k) => typeof (m[k] ?? h[k])).join())})";
    expect(execFileSync(process.execPath, ['-e', probe], { cwd: dir, encoding: 'utf8' }).trim()).toBe(
      'function,function,function,function,function',
    );
    for (const f of ['healthcheck', ...(flags.database === 'postgres' && over.migrateEntry ? ['migrate'] : [])]) {
      execFileSync(process.execPath, ['--check', join(dir, `lib/${f}.${ext}`)], { cwd: dir });
    }
  });
});
