/**
 * The built bundle (dist/, from scripts/build.mjs; `npm test` builds first) run through the bin, as
 * `npm create` runs it. Its templates were precompiled at build time, so the golden scenarios and the
 * adopt goldens (made in-process from templates/) must come out byte for byte the same. The bundle
 * loads @babel/parser (a file of its own) only when it adopts an existing service.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { STATE_DIR } from '../src/regen/state.js';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ejs from 'ejs';
import { afterAll, describe, expect, it } from 'vitest';
import { templateSource } from '../src/plan/templates.js';
import { ACCOUNT_ARGS, listFiles, tempDir } from './support/cli.js';
import { scenarioGolden, scenarioNames } from './support/goldens.js';
import { readScenario } from './support/scenario-run.js';
import { adoptGolden } from './support/adopt-goldens.js';
import { contextFor } from './support/render-tree.js';
import { TWINS, twinLocals } from './support/twins.js';
import { copyFixture, FIXTURE_NAMES, removeScratchDirs } from './fixtures/adopt/support.js';

afterAll(removeScratchDirs);

const root = new URL('..', import.meta.url).pathname;
const bin = join(root, 'bin/create-canary-pipeline.js');
const SCENARIOS = join(root, 'test/scenarios');

/** Run the built bin; the dependency install of a new service is pack.test.ts's (it needs the registry). */
function runBin(args: readonly string[], cwd: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args, '--skip-install'], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the bundle reproduces every golden scenario', () => {
  it.each(scenarioNames())('%s', (name) => {
    const scenario = readScenario(name);
    const out = join(tempDir(`ccp-bundle-${name}-`), 'repo');
    mkdirSync(out);
    if (existsSync(join(SCENARIOS, name, 'before'))) cpSync(join(SCENARIOS, name, 'before'), out, { recursive: true });
    const r = runBin(scenario.args, out);
    expect(r.stderr.replace(/^warning: .*\n/gm, '')).toBe('');
    expect(r.code).toBe(scenario.expectedExit ?? 0);
    // The upgrade base (.create-canary-pipeline/) is binary, not a golden: scenarios.test.ts checks it.
    const expected = scenarioGolden(name);
    expect(listFiles(out).filter((f) => !f.startsWith(`${STATE_DIR}/`))).toEqual([...expected.keys()]);
    for (const [f, text] of expected) expect(readFileSync(join(out, f), 'utf8'), f).toBe(text);
  });
});

describe('the bundle adopts the fixture apps as the goldens say', () => {
  it.each(FIXTURE_NAMES.filter((n) => n !== 'express-generator'))('%s', (name) => {
    const dir = copyFixture(name);
    const r = runBin(['.', '--yes', '--service-name', 'api', ...ACCOUNT_ARGS], dir);
    expect(r.code, r.stderr).toBe(0);
    for (const [f, text] of adoptGolden(name))
      if (f !== '_report.txt') expect(readFileSync(join(dir, f), 'utf8'), f).toBe(text);
  });
});

/**
 * The package files a run loaded: every dist/*.cjs goes through the code cache (src/code-cache.ts), which
 * saves one cache file per file it compiled, named after it, into a fresh cache folder.
 */
function loadedFiles(args: readonly string[], cwd: string): string[] {
  const cache = tempDir('ccp-lazy-cache-');
  const r = spawnSync(process.execPath, [bin, ...args, '--skip-install'], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', CREATE_CANARY_PIPELINE_CODE_CACHE: cache },
  });
  expect(r.status, r.stderr).toBe(0);
  return readdirSync(cache)
    .map((f) => f.replace(/-v\d+\..*$/, ''))
    .sort();
}

describe('@babel/parser is loaded only to adopt an existing service', () => {
  it('a new repository and a re-run of it never load the parser', () => {
    const dir = tempDir('ccp-lazy-');
    expect(loadedFiles(['--yes', '--example'], dir)).toEqual(['cli', 'templates']);
    expect(loadedFiles(['--yes', '--example'], dir)).toEqual(['cli', 'templates']);
  });

  it('adopting an Express service loads it from dist/babel-parser.cjs', () => {
    const dir = copyFixture('esm-inline');
    expect(loadedFiles(['--yes', '--example'], dir)).toEqual(['babel-parser', 'cli', 'templates']);
  });
});

/**
 * A template as the bundle runs it (scripts/build.mjs's loader, minus includes): its code from
 * dist/templates.cjs with the texts from dist/templates.json, or both from templates.json where the
 * build writes no templates.cjs.
 */
function shipped(rel: string): (data: Record<string, unknown>) => string {
  const json = JSON.parse(readFileSync(join(root, 'dist/templates.json'), 'utf8')) as Record<string, unknown>;
  if (!Object.hasOwn(json, rel)) throw new Error(`dist/templates.json has no ${rel}: run npm run build`);
  type Fn = (...a: unknown[]) => string;
  const cjs = join(root, 'dist/templates.cjs');
  const entry = json[rel] as { code: string; texts: string[] } | string[];
  const [fn, texts] = existsSync(cjs)
    ? [(createRequire(import.meta.url)(cjs) as Record<string, Fn>)[rel]!, entry as string[]]
    : [
        new Function('locals, escapeFn, include, rethrow, __t', (entry as { code: string }).code) as Fn,
        (entry as { texts: string[] }).texts,
      ];
  return (data) => fn(data, undefined, undefined, undefined, texts);
}

describe('the bundle ships the JavaScript templates derived from the TypeScript ones', () => {
  for (const esm of [true, false]) {
    it.each(TWINS.map(([, js]) => js))(`${esm ? 'ES module' : 'CommonJS'}: %s`, (js) => {
      const data = { ...contextFor({ language: 'js' }), ...twinLocals(esm) };
      expect(shipped(js)(data)).toBe(ejs.render(templateSource(js), data, { strict: false, async: false }));
    });
  }
});
