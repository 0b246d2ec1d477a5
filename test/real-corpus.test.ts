/**
 * The real-world adopt corpus (issue 10): Express services published on the npm registry by people
 * outside this project (test/fixtures/real-corpus.json pins each by version and integrity). Each is
 * downloaded with `npm pack` (cached under .tmp, integrity checked), extracted or written by its own
 * generator CLI into a scratch folder, and run through the full adopt check list of
 * test/support/corpus.ts with installs resolved as on the app's pinned date. The registry is needed:
 * when it cannot be reached the test fails, it never skips. The apps run two at a time (see CONCURRENCY).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectProject } from '../src/detect/index.js';
import { PACKAGE_ROOT } from '../src/paths.js';
import {
  ALWAYS_RUN_CHECKS,
  formatResults,
  runCorpusChecks,
  type CheckName,
  type CheckResult,
  type CorpusApp,
} from './support/corpus.js';
import {
  appEnvFor,
  inPool,
  loadManifest,
  materialise,
  packedTarball,
  removeTree,
  scratchRoot,
  type RealApp,
} from './support/real-corpus.js';
import { requireServicesWithMysql } from './support/services.js';

const manifest = loadManifest(join(PACKAGE_ROOT, 'test/fixtures/real-corpus.json'));
const NPM_CACHE = join(PACKAGE_ROOT, '.tmp', 'npm-cache');
const TARBALLS = join(PACKAGE_ROOT, '.tmp', 'real-corpus');

/** Checks an app cannot pass for reasons of its own (each with why); never a gap of ours. */
const EXPECT_SKIP: Readonly<Record<string, Partial<Record<CheckName, string>>>> = {
  'tes-prisma': {
    install:
      "Prisma downloads its engines from its own host at install and at `prisma generate` (not the npm registry, the one registry this machine reaches), so the app's client cannot be generated and the app neither builds nor starts here",
    image: 'the image build runs the same install and `prisma generate` (see install)',
  },
};

const work = mkdtempSync(join(scratchRoot(), 'ccp-real-corpus-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const only = process.env.CORPUS_ONLY?.split(',');
const apps = manifest.apps.filter((a) => !only || only.includes(a.name));
/**
 * Two apps are checked at a time: vitest gives this file the machine's one worker (2 cores, workers =
 * cores - 1), and an install or an app start leaves a core idle while it waits on the disk or a timer.
 */
const CONCURRENCY = Math.max(1, Math.floor(Number(process.env.CORPUS_CONCURRENCY ?? 2)) || 2);
/** What must have run: the whole list, or for an app that cannot run here the generator checks and the skips. */
function requiredChecks(name: string): CheckName[] {
  const skips = EXPECT_SKIP[name];
  return skips
    ? ['detect', 'generate', 'workflow-lint', 'second-run', ...(Object.keys(skips) as CheckName[])]
    : [...ALWAYS_RUN_CHECKS];
}

function corpusApp(app: RealApp, source: string): CorpusApp {
  return {
    name: app.name,
    source,
    ownRoute: app.ownRoute,
    npmBefore: app.before,
    ...(app.dependency === 'none' ? {} : { dependency: app.dependency }),
    env: appEnvFor(app),
    ...(EXPECT_SKIP[app.name] ? { skip: EXPECT_SKIP[app.name] } : {}),
  };
}

describe.sequential('real-world corpus', () => {
  it('pins every app by exact version, sha512 integrity, licence and install date', () => {
    expect(manifest.apps.length).toBeGreaterThanOrEqual(8);
    for (const a of manifest.apps) {
      expect(a.version, a.name).toMatch(/^\d+\.\d+\.\d+$/);
      expect(a.integrity, a.name).toMatch(/^sha512-[A-Za-z0-9+/]{86}==$/);
      expect(Number.isNaN(Date.parse(a.before)), a.name).toBe(false);
      expect(a.license, a.name).toMatch(/^(MIT|ISC|Apache-2\.0|BSD-[23]-Clause)$/);
      // Variables set by hand stand for what a user puts in the task definition: each set says why.
      expect(a.fixedEnv === undefined || (a.fixedEnvWhy ?? '').length > 20, a.name).toBe(true);
    }
    expect(new Set(manifest.apps.map((a) => a.name)).size).toBe(manifest.apps.length);
  });

  let pending: readonly Promise<CheckResult[]>[] = [];
  beforeAll(() => {
    pending = inPool(apps, CONCURRENCY, checkApp);
  });

  apps.forEach((app, i) => {
    it(`${app.name} (${app.package}@${app.version}) passes the whole adopt check list`, {
      timeout: 900_000,
    }, async () => {
      const results = await pending[i]!;
      const summary = formatResults(app.name, results);
      console.log(summary);
      const failed = results.filter((r) => r.status === 'fail').map((r) => `${r.check}: ${r.detail}`);
      expect(failed, summary).toEqual([]);
      expect(
        results.filter((r) => r.status === 'skip').map((r) => r.check),
        summary,
      ).toEqual(Object.keys(EXPECT_SKIP[app.name] ?? {}));
      expect(
        results.map((r) => r.check),
        summary,
      ).toEqual(expect.arrayContaining(requiredChecks(app.name)));
    });
  });
});

/** Download, materialise and check one app; its scratch folder is removed after (a failure is a result, never a rejection). */
/** An app that cannot run here is still checked for what detection finds in it (`detects` in the manifest). */
function detectedAsPinned(app: RealApp, source: string): CheckResult | undefined {
  if (!app.detects) return undefined;
  const facts = detectProject(source, { readGithubRepo: () => undefined }) as unknown as Record<string, unknown>;
  const wrong = Object.entries(app.detects).filter(([k, v]) => facts[k] !== v);
  const detail = wrong.length
    ? wrong.map(([k, v]) => `${k}: ${String(facts[k])}, expected ${v}`).join('; ')
    : JSON.stringify(app.detects);
  return { check: 'detect', status: wrong.length ? 'fail' : 'pass', detail };
}

async function checkApp(app: RealApp): Promise<CheckResult[]> {
  const started = Date.now();
  try {
    const services = await requireServicesWithMysql();
    const source = await materialise(
      app,
      await packedTarball(app, TARBALLS, NPM_CACHE),
      join(work, `${app.name}-src`),
      NPM_CACHE,
    );
    const prepared = Date.now();
    const detected = detectedAsPinned(app, source);
    const results = await runCorpusChecks(corpusApp(app, source), services, join(work, app.name), NPM_CACHE);
    return [
      { check: 'materialise', status: 'pass', detail: 'npm pack, integrity, extract', ms: prepared - started },
      ...(detected ? [detected] : []),
      ...results,
    ];
  } catch (e) {
    return [
      { check: 'materialise', status: 'fail', detail: (e as Error).stack ?? String(e), ms: Date.now() - started },
    ];
  } finally {
    await removeTree(join(work, app.name));
    await removeTree(join(work, `${app.name}-src`));
  }
}
