/**
 * The generated repo as a product (issue 14), run as a user would: `npm run dev:migrate` and
 * `npm run dev` against the real PostgreSQL and Redis through the .env the dev scripts read (built
 * from .env.example, pointed at the shared test services), including the restart on a file change;
 * the start-up check naming every missing variable at once (and a broken check failing the same test).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  childEnv,
  copyScratchApp,
  freePort,
  patchFile,
  removeScratchApp,
  run,
  scratchApp,
  type RunResult,
  type ScratchApp,
} from './support/app-harness.js';
import { createDatabase, queryRows, requireServices, type TestServices } from './support/services.js';

/** .env.example as ordered [name, value] pairs. */
function envExample(app: ScratchApp): Array<[string, string]> {
  return readFileSync(join(app.dir, '.env.example'), 'utf8')
    .split('\n')
    .filter((l) => /^[A-Z][A-Z0-9_]*=/.test(l))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]);
}

/** Write .env: .env.example with `values` replacing its entries (the user's `cp .env.example .env` + edits). */
function writeDotEnv(app: ScratchApp, values: Readonly<Record<string, string>>): void {
  const lines = envExample(app).map(([k, v]) => `${k}=${values[k] ?? v}`);
  writeFileSync(join(app.dir, '.env'), `${lines.join('\n')}\n`);
}

/** The environment npm scripts run with here: no DATABASE_URL/REDIS_URL/PORT of our own, so only .env can supply them. */
function bareEnv(): NodeJS.ProcessEnv {
  const env = childEnv();
  for (const k of ['DATABASE_URL', 'REDIS_URL', 'PORT', 'MIGRATION_DATABASE_URL']) delete env[k];
  return env;
}

/** `npm run dev` in its own process group, so the test can end npm, node --watch and the server by one id. */
function startDev(app: ScratchApp): { output: () => string; stop: () => Promise<void> } {
  const child = spawn('npm', ['run', 'dev'], {
    cwd: app.dir,
    env: bareEnv(),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    output: () => out,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
      await exited;
    },
  };
}

/** Poll `url` until `accept(status, body)` holds or `ms` pass; returns the last response. */
async function waitFor(
  url: string,
  accept: (status: number, body: string) => boolean,
  ms = 30_000,
): Promise<{ status: number; body: string }> {
  const until = Date.now() + ms;
  let last = { status: 0, body: '' };
  while (Date.now() < until) {
    last = await fetch(url, { signal: AbortSignal.timeout(1000) }).then(
      async (r) => ({ status: r.status, body: await r.text() }),
      () => last,
    );
    if (accept(last.status, last.body)) return last;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return last;
}

/** The start-up check's verdict on one run of the server: exit 1, one error line naming exactly `missing`. */
function missingEnvProblems(r: RunResult, missing: readonly string[]): string[] {
  const problems: string[] = [];
  if (r.code !== 1) problems.push(`exit ${r.code ?? r.signal}, expected 1`);
  const lines = r.stderr.split('\n').filter((l) => l.includes('"level":"error"'));
  if (lines.length !== 1) problems.push(`expected one error line, got ${lines.length}: ${r.stderr}`);
  const entry = lines[0] ? (JSON.parse(lines[0]) as { msg?: string; missing?: string[] }) : {};
  if (JSON.stringify(entry.missing) !== JSON.stringify(missing))
    problems.push(`missing ${JSON.stringify(entry.missing)}, expected ${JSON.stringify(missing)}`);
  for (const name of missing)
    if (!entry.msg?.includes(name)) problems.push(`message does not name ${name}: ${entry.msg}`);
  if (/"listening"/.test(r.stdout)) problems.push('the server started listening anyway');
  return problems;
}

describe.each(['ts', 'js'] as const)('%s app with PostgreSQL and Redis', (language) => {
  let services: TestServices;
  let app: ScratchApp;
  let db: { url: string; drop: () => Promise<void> };
  let port = 0;
  const x = language;
  const runtime = (name: string): string => `${language === 'ts' ? 'dist' : 'src'}/${name}.js`;

  beforeAll(async () => {
    services = await requireServices();
    app = scratchApp({ language, database: 'postgres', cache: 'redis' }, `dev-${language}`);
    db = await createDatabase(services, 'dev');
    port = await freePort();
    writeDotEnv(app, { DATABASE_URL: db.url, REDIS_URL: services.redisUrl, PORT: String(port) });
    if (language === 'ts') {
      const build = await run('npm', ['run', 'build'], { cwd: app.dir, env: bareEnv() });
      if (build.code !== 0) throw new Error(`build failed: ${build.stdout}${build.stderr}`);
    }
  });

  afterAll(async () => {
    await db?.drop();
    removeScratchApp(app);
  });

  it('.env.example holds PORT and exactly the variables the service requires', () => {
    expect(envExample(app).map(([k]) => k)).toEqual(['PORT', ...app.ctx.local.requiredEnv]);
    expect(app.ctx.local.requiredEnv).toEqual(['DATABASE_URL', 'REDIS_URL']);
  });

  it('npm run dev:migrate applies migrations/ to the database in .env', async () => {
    const r = await run('npm', ['run', 'dev:migrate'], { cwd: app.dir, env: bareEnv(), timeoutMs: 60_000 });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const rows = await queryRows<{ name: string }>(db.url, 'SELECT name FROM schema_migrations');
    expect(rows.map((row) => row.name)).toEqual(['001_example_expand.sql']);
    expect(await queryRows(db.url, "SELECT to_regclass('example_notes')::text AS t")).toEqual([{ t: 'example_notes' }]);
  });

  it('npm run dev serves on the PORT in .env, ready against PostgreSQL and Redis, and restarts on a source change', async () => {
    const dev = startDev(app);
    try {
      const base = `http://127.0.0.1:${port}`;
      const ready = await waitFor(`${base}/readyz`, (s) => s === 200);
      expect(ready, dev.output()).toEqual({ status: 200, body: '{"status":"ready"}' });
      // The README promises exactly this answer.
      expect(readFileSync(join(app.dir, 'README.md'), 'utf8')).toContain('answers `{"status":"ready"}`');
      expect((await waitFor(`${base}/`, (s) => s === 200)).body).toContain('"message":"hello"');
      patchFile(app, `src/app.${x}`, /message: 'hello'/, "message: 'edited'");
      const edited = await waitFor(`${base}/`, (s, body) => s === 200 && body.includes('"message":"edited"'));
      expect(edited.body, dev.output()).toContain('"message":"edited"');
    } finally {
      await dev.stop();
    }
  });

  it('refuses to start without its variables, naming all of them at once (exit 1, one error line)', async () => {
    const none = await run(process.execPath, [runtime('server')], { cwd: app.dir, env: bareEnv(), timeoutMs: 20_000 });
    expect(missingEnvProblems(none, ['DATABASE_URL', 'REDIS_URL'])).toEqual([]);
    const one = await run(process.execPath, [runtime('server')], {
      cwd: app.dir,
      env: { ...bareEnv(), DATABASE_URL: db.url, REDIS_URL: '' },
      timeoutMs: 20_000,
    });
    expect(missingEnvProblems(one, ['REDIS_URL'])).toEqual([]);
  });

  it('the same check fails on a start-up check that reports only the first missing variable', async () => {
    const broken = copyScratchApp(app, `dev-broken-${language}`);
    try {
      patchFile(
        broken,
        runtime('env'),
        /return names\.filter\(\(name\) => !env\[name\]\);/,
        'return names.filter((name) => !env[name]).slice(0, 1);',
      );
      const r = await run(process.execPath, [runtime('server')], {
        cwd: broken.dir,
        env: bareEnv(),
        timeoutMs: 20_000,
      });
      expect(missingEnvProblems(r, ['DATABASE_URL', 'REDIS_URL'])).not.toEqual([]);
    } finally {
      removeScratchApp(broken);
    }
  });
});

describe('js app without database or cache', () => {
  let app: ScratchApp;
  afterAll(() => removeScratchApp(app));

  it('has no compose.yaml, no env check, and npm run dev serves with only PORT in .env', async () => {
    app = scratchApp({ language: 'js', database: 'none', cache: 'none' }, 'dev-lean');
    expect(envExample(app).map(([k]) => k)).toEqual(['PORT']);
    expect(existsSync(join(app.dir, 'compose.yaml'))).toBe(false);
    expect(existsSync(join(app.dir, 'src/env.js'))).toBe(false);
    expect(readFileSync(join(app.dir, 'src/server.js'), 'utf8')).not.toContain("import './env.js'");
    const port = await freePort();
    writeDotEnv(app, { PORT: String(port) });
    const dev = startDev(app);
    try {
      const ready = await waitFor(`http://127.0.0.1:${port}/readyz`, (s) => s === 200);
      expect(ready, dev.output()).toEqual({ status: 200, body: '{"status":"ready"}' });
    } finally {
      await dev.stop();
    }
  });
});
