/**
 * The runtime suite of a generated new-repo app, per language: render it, run its own test script,
 * start it against the real PostgreSQL and Redis, and check health, readiness bounds, draining and
 * (reusing the build) migrations;
 * then break it (no readiness timeout, SIGTERM ignored, kept-alive connections left open, exit
 * without draining) and show the same checks fail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addSlowRoute,
  blackHole,
  childEnv,
  copyScratchApp,
  freePort,
  freezableProxy,
  patchFile,
  removeScratchApp,
  run,
  runtimeFile,
  scratchApp,
  startApp,
  type AppProcess,
  type RunResult,
  type ScratchApp,
} from './app-harness.js';
import {
  checkDrillFailure,
  checkGracefulShutdown,
  checkLive,
  checkReadinessBounded,
  checkReady,
  type Verdict,
} from './app-checks.js';
import { defineMigrationTests } from './migration-suite.js';
import { requireServices, type TestServices } from './services.js';

/** The generated default readiness timeout (READINESS_TIMEOUT_MS unset). */
const READINESS_TIMEOUT_MS = 1000;
/** Shutdown settings for the tests: the app's hard exit, and the stop timeout after which ECS would SIGKILL. */
const SHUTDOWN = { env: { SHUTDOWN_TIMEOUT_MS: '3000' }, slowMs: 800, stopTimeoutMs: 3500 };

const SCENARIOS = [
  { database: 'postgres', cache: 'redis' },
  { database: 'postgres', cache: 'none' },
  { database: 'none', cache: 'none' },
] as const;

type Scenario = (typeof SCENARIOS)[number];

/** Environment for the app: the URLs of the enabled dependencies (overridable). */
function appEnv(
  s: Scenario,
  services: TestServices,
  override: { db?: string; redis?: string } = {},
): NodeJS.ProcessEnv {
  return childEnv({
    ...(s.database === 'postgres' ? { DATABASE_URL: override.db ?? services.databaseUrl } : {}),
    ...(s.cache === 'redis' ? { REDIS_URL: override.redis ?? services.redisUrl } : {}),
    ...SHUTDOWN.env,
  });
}

const closedPortUrl = async (scheme: 'postgres' | 'redis'): Promise<string> =>
  scheme === 'postgres'
    ? `postgres://canary_test:canary_test@127.0.0.1:${await freePort()}/canary_test`
    : `redis://127.0.0.1:${await freePort()}`;

const expectOk = (v: Verdict): void => expect(v.problems).toEqual([]);

/** Define the suite for one language. */
export function defineRuntimeSuite(language: 'ts' | 'js'): void {
  for (const scenario of SCENARIOS) defineScenario(language, scenario);
}

function defineScenario(language: 'ts' | 'js', s: Scenario): void {
  describe(`${language} app, database ${s.database}, cache ${s.cache}`, () => {
    let services: TestServices;
    let app: ScratchApp;
    let ownTest: RunResult;
    const scratch: ScratchApp[] = [];
    const running: AppProcess[] = [];
    const closers: Array<() => Promise<void>> = [];
    const start = async (target: ScratchApp, env: NodeJS.ProcessEnv): Promise<AppProcess> => {
      const p = await startApp(target, env);
      running.push(p);
      return p;
    };

    beforeAll(async () => {
      services = await requireServices();
      app = scratchApp({ language, ...s }, `${language}-${s.database}-${s.cache}`);
      scratch.push(app);
      addSlowRoute(app);
      // The app's own test script (ts: builds with tsc --strict first); its build is reused below.
      ownTest = await run('npm', ['test'], { cwd: app.dir, env: childEnv() });
    });

    afterAll(async () => {
      await Promise.all(running.map((p) => p.kill()));
      await Promise.all(closers.map((c) => c()));
      scratch.forEach(removeScratchApp);
    });

    it('passes its own test script (npm test)', () => {
      expect(ownTest.code, ownTest.stdout + ownTest.stderr).toBe(0);
    });

    it('answers /livez 200 and /readyz 200 with its dependencies up; on SIGTERM in-flight requests complete, /livez turns 503, exit 0 before the stop timeout', async () => {
      const p = await start(app, appEnv(s, services));
      expectOk(await checkLive(p));
      expectOk(await checkReady(p));
      expectOk(await checkGracefulShutdown(p, SHUTDOWN));
    });

    it('answers 503 on DRILL_FAIL_PATH (the rollback drill) while /livez stays 200; unset, the path is healthy again', async () => {
      const drilled = await start(app, { ...appEnv(s, services), DRILL_FAIL_PATH: '/readyz' });
      expectOk(await checkDrillFailure(drilled, '/readyz'));
      const ignoredLivez = await start(app, { ...appEnv(s, services), DRILL_FAIL_PATH: '/livez' });
      expectOk(await checkLive(ignoredLivez));
      const healthy = await start(app, appEnv(s, services));
      expect((await checkDrillFailure(healthy, '/readyz')).problems.join()).toContain('should answer 503');
    });

    it('exits 1 at start-up, before it listens, with DRILL_CRASH=1 (the rolling-staging drill); any other value starts normally', async () => {
      const crashed = await start(app, { ...appEnv(s, services), DRILL_CRASH: '1' }).then(
        () => 'became live',
        (e: Error) => e.message,
      );
      expect(crashed).toContain('did not become live');
      expect(crashed).toContain('rollback drill: DRILL_CRASH=1, exiting at start-up');
      const [cmd, ...args] = app.ctx.app.startCommand;
      const exit = await run(cmd === 'node' ? process.execPath : cmd!, args, {
        cwd: app.dir,
        env: { ...appEnv(s, services), DRILL_CRASH: '1', PORT: '0' },
        timeoutMs: 20_000,
      });
      expect(exit.code, exit.stdout + exit.stderr).toBe(1);
      expectOk(await checkLive(await start(app, { ...appEnv(s, services), DRILL_CRASH: '0' })));
    });

    if (s.cache === 'redis') {
      it('answers /readyz 503 within its timeout, without internals, when Redis is down', async () => {
        const p = await start(app, appEnv(s, services, { redis: await closedPortUrl('redis') }));
        expectOk(await checkLive(p));
        expectOk(await checkReadinessBounded(p, READINESS_TIMEOUT_MS));
      });

      it('answers /readyz 503 within its timeout when a connected Redis stops answering', async () => {
        const proxy = await freezableProxy(Number(new URL(services.redisUrl).port));
        closers.push(proxy.close);
        const p = await start(app, appEnv(s, services, { redis: `redis://127.0.0.1:${proxy.port}` }));
        expectOk(await checkReady(p));
        proxy.freeze();
        expectOk(await checkReadinessBounded(p, READINESS_TIMEOUT_MS));
      });
    }

    if (s.database === 'postgres') {
      it('answers /readyz 503 within its timeout, without internals, when PostgreSQL is unreachable', async () => {
        const p = await start(app, appEnv(s, services, { db: await closedPortUrl('postgres') }));
        expectOk(await checkLive(p));
        expectOk(await checkReadinessBounded(p, READINESS_TIMEOUT_MS));
      });

      it('answers /readyz 503 within its timeout when PostgreSQL accepts but never answers', async () => {
        const hole = await blackHole();
        closers.push(hole.close);
        const p = await start(app, appEnv(s, services, { db: `postgres://u:p@127.0.0.1:${hole.port}/db` }));
        expectOk(await checkReadinessBounded(p, READINESS_TIMEOUT_MS));
      });
    }

    if (s.database === 'postgres' && s.cache === 'none')
      defineMigrationTests(
        () => app,
        () => services,
      );

    if (s.database === 'postgres' && s.cache === 'redis') {
      describe('negative proofs: the checks fail when their subject is broken', () => {
        const broken = (label: string, file: string, pattern: RegExp, replacement: string): ScratchApp => {
          const copy = copyScratchApp(app, `${language}-${label}`);
          scratch.push(copy);
          patchFile(copy, runtimeFile(copy, file), pattern, replacement);
          return copy;
        };

        it('a readiness probe without a timeout fails checkReadinessBounded', async () => {
          const copy = broken(
            'no-timeout',
            'health',
            /(export function withTimeout\([^)]*\)[^{]*\{)/,
            '$1\n  return promise;',
          );
          const hole = await blackHole();
          closers.push(hole.close);
          const p = await start(copy, appEnv(s, services, { db: `postgres://u:p@127.0.0.1:${hole.port}/db` }));
          const v = await checkReadinessBounded(p, READINESS_TIMEOUT_MS);
          expect(v.ok).toBe(false);
          expect(v.problems.join('\n')).toMatch(/no answer within/);
        });

        it('a server that ignores SIGTERM fails checkGracefulShutdown', async () => {
          const copy = broken(
            'ignore-sigterm',
            'health',
            /process\.once\('SIGTERM', /,
            "process.once('SIGTERM', () => undefined); void (",
          );
          const v = await checkGracefulShutdown(await start(copy, appEnv(s, services)), SHUTDOWN);
          expect(v.ok).toBe(false);
          expect(v.problems.join('\n')).toMatch(/still running .* after SIGTERM/);
        });

        it('a server that leaves kept-alive connections open while draining fails checkGracefulShutdown', async () => {
          const copy = broken('keep-alive', 'health', /if \(draining\)\s*setImmediate\(closeIdle\);/, '');
          const v = await checkGracefulShutdown(await start(copy, appEnv(s, services)), SHUTDOWN);
          expect(v.ok).toBe(false);
          expect(v.problems.join('\n')).toMatch(/exited with 1/);
        });

        it('a server that exits on SIGTERM without draining fails checkGracefulShutdown', async () => {
          const copy = broken(
            'no-drain',
            'health',
            /process\.once\('SIGTERM', /,
            "process.once('SIGTERM', () => process.exit(0)); void (",
          );
          const v = await checkGracefulShutdown(await start(copy, appEnv(s, services)), SHUTDOWN);
          expect(v.ok).toBe(false);
          expect(v.problems.join('\n')).toMatch(/in-flight request failed/);
        });
      });
    }
  });
}
