/**
 * The Dockerfile agrees with the app (issue 7): replay its stages in scratch folders (no container
 * engine here) with the real build command, then check that the files CMD, the container health
 * check and the migration task run exist in the final stage, that the start command boots (/livez
 * 200), the health check command passes against it, and the migration command works from the image.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnv, run, startApp, type AppProcess, type ScratchApp } from './support/app-harness.js';
import { checkLive } from './support/app-checks.js';
import { isAppFile, renderAppTree } from './support/render-app.js';
import type { RenderContext } from '../src/context/build-context.js';
import { replayDockerfile, type ReplayResult } from './support/dockerfile-sim.js';
import { createDatabase, requireServices, type TestServices } from './support/services.js';

const SCENARIOS = [
  { language: 'ts', database: 'postgres', cache: 'redis' },
  { language: 'js', database: 'none', cache: 'none' },
] as const;

/** What the final stage must hold: the files CMD, the health check and the migration task run; deps; no secrets. */
function imageProblems(ctx: RenderContext, image: ReplayResult): string[] {
  const inImage = (p: string): string => join(image.root, posix.resolve(image.workdir, p));
  const files = [ctx.app.startCommand, ctx.app.healthcheckCommand.slice(1), ctx.app.migrateCommand ?? []]
    .filter((c) => c[0] === 'node')
    .map((c) => c[1]!);
  if (ctx.hasDatabase) files.push('migrations/001_example_expand.sql');
  files.push('node_modules/express/package.json');
  const problems = files.filter((f) => !existsSync(inImage(f))).map((f) => `${f} missing in the image`);
  if (existsSync(inImage('.env'))) problems.push('.env was copied into the image');
  return problems;
}

for (const flags of SCENARIOS) {
  describe(`Dockerfile for the ${flags.language} app (database ${flags.database}, cache ${flags.cache})`, () => {
    let services: TestServices;
    let app: ScratchApp;
    let image: ReplayResult;
    let work: string;
    const running: AppProcess[] = [];
    const cleanups: Array<() => Promise<void>> = [];
    /** A path of the final stage's filesystem, relative to its WORKDIR unless absolute. */
    const inImage = (p: string): string => join(image.root, posix.resolve(image.workdir, p));

    beforeAll(async () => {
      services = await requireServices();
      work = mkdtempSync(join(tmpdir(), `ccp-docker-${flags.language}-`));
      const context = join(work, 'context');
      const { ctx } = renderAppTree(
        context,
        flags,
        (s) => isAppFile(s) || s.path === 'Dockerfile' || s.path === '.dockerignore',
      );
      app = { dir: context, ctx };
      // Stand-ins for what the user's repo holds after `npm install`: a lockfile, plus a local secret
      // and a stale build that must never reach the image.
      writeFileSync(
        join(context, 'package-lock.json'),
        JSON.stringify({ name: ctx.serviceName, lockfileVersion: 3, packages: {} }),
      );
      writeFileSync(join(context, '.env'), 'SECRET=do-not-ship\n');
      image = await replayDockerfile(readFileSync(join(context, 'Dockerfile'), 'utf8'), context, join(work, 'stages'));
    });

    afterAll(async () => {
      await Promise.all(running.map((p) => p.kill()));
      await Promise.all(cleanups.map((c) => c()));
      if (work) rmSync(work, { recursive: true, force: true });
    });

    it('builds from the chosen Node image and runs the build command when the app has one', () => {
      expect(image.baseImages).toEqual([app.ctx.nodeImage]);
      expect(image.log.some((l) => /npm run build -> exit 0/.test(l))).toBe(app.ctx.isTs);
    });

    it('ends with an exec-form CMD equal to the start command, whose files exist in the image', () => {
      expect(image.cmd).toEqual([...app.ctx.app.startCommand]);
      expect(imageProblems(app.ctx, image)).toEqual([]);
    });

    if (flags.language === 'js') {
      it('negative proof: the file check fails for a Dockerfile that never copies the app in', async () => {
        const dockerfile = readFileSync(join(app.dir, 'Dockerfile'), 'utf8');
        const broken = dockerfile.replace(/^COPY (--chown=\S+ )?\. \.$/m, '');
        expect(broken).not.toBe(dockerfile);
        const brokenImage = await replayDockerfile(broken, app.dir, join(work, 'broken-stages'));
        expect(imageProblems(app.ctx, brokenImage).join('\n')).toMatch(/server\.js missing/);
      });
    }

    it('boots with the CMD (/livez 200), and the container health check command passes against it', async () => {
      const env = childEnv({
        ...image.env,
        ...(app.ctx.hasDatabase ? { DATABASE_URL: services.databaseUrl } : {}),
        ...(app.ctx.hasCache ? { REDIS_URL: services.redisUrl } : {}),
      });
      const p = await startApp(app, env, { command: image.cmd ?? [], cwd: inImage('.') });
      running.push(p);
      expect((await checkLive(p)).problems).toEqual([]);
      const [, ...hcArgs] = app.ctx.app.healthcheckCommand.slice(1);
      const hc = await run(process.execPath, hcArgs, { cwd: inImage('.'), env: { ...env, PORT: String(p.port) } });
      expect(hc.code).toBe(0);
    });

    if (flags.database === 'postgres') {
      it('runs the migration command from the image', async () => {
        const db = await createDatabase(services, 'docker');
        cleanups.push(db.drop);
        const [, ...args] = app.ctx.app.migrateCommand!;
        const r = await run(process.execPath, args, {
          cwd: inImage('.'),
          env: childEnv({ ...image.env, DATABASE_URL: db.url }),
        });
        expect(r.code, r.stdout + r.stderr).toBe(0);
      });
    }
  });
}
