/**
 * Test support: run a generated app's migrate entrypoint against a real database and judge the result.
 * Checks return verdicts so the negative test (a migration that throws) runs the same check.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { childEnv, run, type RunResult, type ScratchApp } from './app-harness.js';
import type { Verdict } from './app-checks.js';
import { queryRows } from './services.js';

/** One row of schema_migrations. */
export interface AppliedMigration {
  readonly name: string;
  readonly applied_at: Date;
}

/** Run the app's migrate command (ctx.app.migrateCommand) with DATABASE_URL = `databaseUrl`. */
export function runMigrate(app: ScratchApp, databaseUrl: string): Promise<RunResult> {
  const command = app.ctx.app.migrateCommand;
  if (!command) throw new Error('this app has no migrate command (no database)');
  const [cmd, ...args] = command;
  return run(cmd === 'node' ? process.execPath : cmd!, args, {
    cwd: app.dir,
    env: childEnv({ DATABASE_URL: databaseUrl }),
    timeoutMs: 60_000,
  });
}

/** Rows of schema_migrations in name order ([] when the table does not exist yet). */
export async function appliedMigrations(databaseUrl: string): Promise<AppliedMigration[]> {
  const exists = await queryRows<{ t: string | null }>(
    databaseUrl,
    "SELECT to_regclass('schema_migrations')::text AS t",
  );
  if (!exists[0]?.t) return [];
  return queryRows<AppliedMigration>(databaseUrl, 'SELECT name, applied_at FROM schema_migrations ORDER BY name');
}

/** The .sql files of the app's migrations/ folder, in name order. */
export function migrationFiles(app: ScratchApp): string[] {
  return readdirSync(join(app.dir, 'migrations'))
    .filter((f) => f.endsWith('.sql'))
    .sort();
}

const describeRun = (r: RunResult): string => `exit ${r.code ?? r.signal}\n${r.stdout}${r.stderr}`.trim();

/** Migrate runs to exit 0 and every migration file is recorded as applied, exactly once. */
export async function checkMigrationsApply(
  app: ScratchApp,
  databaseUrl: string,
): Promise<Verdict & { result: RunResult }> {
  const result = await runMigrate(app, databaseUrl);
  const problems: string[] = [];
  if (result.code !== 0) problems.push(`migrate failed: ${describeRun(result)}`);
  const applied = (await appliedMigrations(databaseUrl)).map((r) => r.name);
  const expected = migrationFiles(app);
  if (JSON.stringify(applied) !== JSON.stringify(expected)) {
    problems.push(`schema_migrations has ${JSON.stringify(applied)}, expected ${JSON.stringify(expected)}`);
  }
  return { ok: problems.length === 0, problems, result };
}

/** A further run exits 0 and changes nothing (same rows, same applied_at). */
export async function checkMigrationsNoop(
  app: ScratchApp,
  databaseUrl: string,
): Promise<Verdict & { result: RunResult }> {
  const before = JSON.stringify(await appliedMigrations(databaseUrl));
  const result = await runMigrate(app, databaseUrl);
  const after = JSON.stringify(await appliedMigrations(databaseUrl));
  const problems: string[] = [];
  if (result.code !== 0) problems.push(`second migrate run failed: ${describeRun(result)}`);
  if (before !== after) problems.push(`second run changed schema_migrations: ${before} -> ${after}`);
  return { ok: problems.length === 0, problems, result };
}
