/**
 * Static checks of the generated app's files per scenario (fast, no services): package.json is valid
 * and depends on pg/redis only when those options are on, scripts match the container commands,
 * clients are imported only when enabled, JS passes `node --check`, and the lifecycle constants keep
 * their audited relations (keep-alive above the ALB idle timeout, hard exit below the stop timeout).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from './support/app-harness.js';
import { renderAppTree } from './support/render-app.js';

const ALB_IDLE_TIMEOUT_MS = 60_000;
const ECS_STOP_TIMEOUT_MS = 30_000;

interface PackageJson {
  type: string;
  engines: { node: string };
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

for (const language of ['ts', 'js'] as const) {
  for (const [database, cache] of [
    ['postgres', 'redis'],
    ['postgres', 'none'],
    ['none', 'redis'],
    ['none', 'none'],
  ] as const) {
    describe(`${language} app, database ${database}, cache ${cache}`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'ccp-static-'));
      dirs.push(dir);
      const { ctx, paths } = renderAppTree(dir, { language, database, cache });
      const read = (p: string): string => readFileSync(join(dir, p), 'utf8');
      const pkg = JSON.parse(read('package.json')) as PackageJson;
      const sources = readdirSync(join(dir, 'src')).map((f) => `src/${f}`);

      it('package.json: ESM, engines from the chosen Node line, dependencies only for enabled options', () => {
        expect(pkg.type).toBe('module');
        expect(pkg.engines.node).toBe(`>=${ctx.nodeVersion}`);
        const deps = ['express', ...(database === 'postgres' ? ['pg'] : []), ...(cache === 'redis' ? ['redis'] : [])];
        expect(Object.keys(pkg.dependencies).sort()).toEqual(deps.sort());
        for (const d of deps) expect(pkg.dependencies[d]).toBe(ctx.appDependencies[d]);
        // tsx runs `npm run dev` for TypeScript (squawk runs in CI through npx: no devDependency).
        const dev =
          language === 'ts'
            ? ['@types/express', '@types/node', 'typescript', 'tsx', ...(database === 'postgres' ? ['@types/pg'] : [])]
            : [];
        for (const d of dev) expect(pkg.devDependencies?.[d], d).toBe(ctx.appDevDependencies[d]);
        expect(Object.keys(pkg.devDependencies ?? {}).sort()).toEqual(dev.sort());
      });

      it('package.json scripts match the container commands', () => {
        expect(pkg.scripts.start).toBe(ctx.app.startCommand.join(' '));
        expect(pkg.scripts.migrate).toBe(ctx.app.migrateCommand?.join(' '));
        expect(pkg.scripts.build).toBe(language === 'ts' ? 'tsc -p tsconfig.json' : undefined);
        expect(pkg.scripts.test).toContain(`node --test ${ctx.app.outDir}/health.test.js`);
        expect(read('.nvmrc')).toBe(`${ctx.nodeVersion}\n`);
      });

      it('plans the migration files only with a database, and imports clients only when enabled', () => {
        expect(paths.includes(`src/migrate.${language}`)).toBe(database === 'postgres');
        expect(paths.includes('migrations/001_example_expand.sql')).toBe(database === 'postgres');
        const all = sources.map(read).join('\n');
        expect(/from 'pg'/.test(all)).toBe(database === 'postgres');
        expect(/from 'redis'/.test(all)).toBe(cache === 'redis');
      });

      it('keeps keep-alive above the ALB idle timeout and the hard exit below the ECS stop timeout', () => {
        const server = read(`src/server.${language}`);
        // Keep-alive and draining live in the health module shared with adopt mode; the server hands itself over.
        const health = read(`src/health.${language}`);
        expect(server).toContain('drainOnSigterm(createServer(app))');
        const num = (re: RegExp): number => Number(re.exec(health)?.[1]?.replace(/_/g, ''));
        const keepAlive = num(/keepAliveTimeout = ([\d_]+)/);
        expect(keepAlive).toBeGreaterThan(ALB_IDLE_TIMEOUT_MS);
        expect(num(/headersTimeout = ([\d_]+)/)).toBeGreaterThan(keepAlive);
        // TypeScript reads process.env['X'] (index signature), the derived JavaScript process.env.X.
        expect(
          num(/positiveMs\(process\.env(?:\['SHUTDOWN_TIMEOUT_MS'\]|\.SHUTDOWN_TIMEOUT_MS), ([\d_]+)\)/),
        ).toBeLessThan(ECS_STOP_TIMEOUT_MS);
        expect(server).toContain(`process.env.PORT || ${ctx.containerPort}`);
        // The health check (shared with adopt mode) treats an empty PORT as unset: `||`.
        const portEnv = language === 'ts' ? "process.env['PORT']" : 'process.env.PORT';
        expect(read(`src/healthcheck.${language}`)).toContain(`${portEnv} || '${ctx.containerPort}'`);
      });

      if (language === 'js') {
        it('every JS file passes node --check', async () => {
          for (const f of sources) {
            const r = await run(process.execPath, ['--check', f], { cwd: dir });
            expect(r.code, `${f}: ${r.stderr}`).toBe(0);
          }
        });
      }
    });
  }
}
