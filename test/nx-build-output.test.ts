/**
 * Nx build output mapping (src/detect/build-output.ts): where @nx/esbuild writes what the container
 * runs, per option set, as read in @nx/esbuild 23.2's build-esbuild-options.js and seen in a real
 * `nx build` (the corpus app nx-esbuild-npm runs one end to end: test/adopt-corpus.test.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AdoptFacts } from '../src/detect/facts.js';
import { detectProject } from '../src/detect/index.js';
import { removeScratchDirs, scratchDir } from './fixtures/adopt/support.js';

afterAll(removeScratchDirs);

const MAIN = "import express from 'express';\nconst app = express();\napp.listen(Number(process.env.PORT) || 3000);\n";

/** A root-project Nx workspace whose build target has `options` (merged over the node generator's). */
function nxApp(options: Record<string, unknown>, start = 'nx serve', production?: Record<string, unknown>): AdoptFacts {
  const dir = scratchDir('nx-output-');
  const files: Record<string, unknown> = {
    'package.json': {
      name: 'api',
      scripts: { start, build: 'nx build' },
      dependencies: { express: '5' },
      devDependencies: { nx: '23.2.0', '@nx/esbuild': '23.2.0', typescript: '5.9.3' },
    },
    'package-lock.json': {},
    'project.json': {
      name: 'api',
      sourceRoot: 'src',
      targets: {
        build: {
          executor: '@nx/esbuild:esbuild',
          defaultConfiguration: 'production',
          configurations: { development: {}, ...(production ? { production } : {}) },
          options: {
            platform: 'node',
            outputPath: 'dist/api',
            main: 'src/main.ts',
            tsConfig: 'tsconfig.app.json',
            ...options,
          },
        },
      },
    },
    'tsconfig.json': {
      compilerOptions: { module: 'esnext', target: 'es2015' },
      files: [],
      include: [],
      references: [{ path: './tsconfig.app.json' }],
    },
    'tsconfig.app.json': {
      extends: './tsconfig.json',
      compilerOptions: { outDir: './dist/out-tsc', module: 'commonjs' },
      include: ['src/**/*.ts'],
    },
    'src/main.ts': MAIN,
  };
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return detectProject(dir, { readGithubRepo: () => undefined }) as AdoptFacts;
}

describe('Nx (@nx/esbuild) build output', () => {
  it('bundle: false, CommonJS (the node generator): the loader outputPath/main.js runs, the sources sit at their workspace paths', () => {
    const f = nxApp({ format: ['cjs'], bundle: false, esbuildOptions: { outExtension: { '.js': '.js' } } });
    expect(f.startCommand).toEqual(['node', 'dist/api/main.js']);
    expect(f.layout.runtimeDir).toBe('dist/api/src');
    expect(f.tsOutDir).toBe('dist/api');
    expect(f.moduleSystem).toBe('cjs');
  });
  it('CommonJS without an outExtension: esbuild writes .cjs', () => {
    expect(nxApp({ format: ['cjs'], bundle: false }).startCommand).toEqual(['node', 'dist/api/main.cjs']);
    expect(nxApp({ format: ['cjs'] }).startCommand).toEqual(['node', 'dist/api/main.cjs']);
  });
  it("the default configuration's options replace the target's, esbuildOptions as a whole", () => {
    const f = nxApp(
      { format: ['cjs'], bundle: false, esbuildOptions: { outExtension: { '.js': '.js' } } },
      'nx serve',
      { esbuildOptions: { sourcemap: false } },
    );
    expect(f.startCommand).toEqual(['node', 'dist/api/main.cjs']);
    expect(
      nxApp({ format: ['cjs'], bundle: false }, 'nx serve', { esbuildOptions: { outExtension: { '.js': '.js' } } })
        .startCommand,
    ).toEqual(['node', 'dist/api/main.js']);
  });
  it('bundled (the default): one file named after main, or outputFileName', () => {
    expect(nxApp({ format: ['cjs'], esbuildOptions: { outExtension: { '.js': '.js' } } }).startCommand).toEqual([
      'node',
      'dist/api/main.js',
    ]);
    expect(
      nxApp({ format: ['cjs'], outputFileName: 'server.js', esbuildOptions: { outExtension: { '.js': '.js' } } })
        .startCommand,
    ).toEqual(['node', 'dist/api/server.js']);
  });
  it("ES modules unbundled: plain esbuild under main's directory, .js", () => {
    const f = nxApp({ format: ['esm'], bundle: false });
    expect(f.startCommand).toEqual(['node', 'dist/api/main.js']);
    expect(f.layout.runtimeDir).toBe('dist/api');
    expect(f.moduleSystem).toBe('esm');
  });
  it('a production start script is honoured over the mapping; `nx serve` (a dev server that builds first) is not', () => {
    expect(nxApp({ format: ['cjs'], bundle: false }, 'node dist/api/main.cjs').startCommand).toEqual([
      'node',
      'dist/api/main.cjs',
    ]);
  });
});
