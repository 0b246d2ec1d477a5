/**
 * The generated migrate entrypoint against a real PostgreSQL (issue 7): applies the example expand
 * migration, is a no-op on the next run, serialises parallel runs, and fails (non-zero, naming the
 * file, no secrets) on a broken migration or a lock it cannot get within lock_timeout.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnv, copyScratchApp, removeScratchApp, run, scratchApp, type ScratchApp } from './support/app-harness.js';
import { appliedMigrations, checkMigrationsApply, checkMigrationsNoop, runMigrate } from './support/migration-checks.js';
import { createDatabase, queryRows, requireServices, type TestServices } from './support/services.js';

for (const language of ['ts', 'js'] as const) {
  describe(`${language} app: migrations`, () => {
    let services: TestServices;
    let app: ScratchApp;
    const scratch: ScratchApp[] = [];
    const drops: Array<() => Promise<void>> = [];
    const freshDb = async (): Promise<string> => {
      const db = await createDatabase(services, language);
      drops.push(db.drop);
      return db.url;
    };
    const withMigration = (name: string, sql: string): ScratchApp => {
      const copy = copyScratchApp(app, `${language}-mig`);
      scratch.push(copy);
      writeFileSync(join(copy.dir, 'migrations', name), sql);
      return copy;
    };

    beforeAll(async () => {
      services = await requireServices();
      app = scratchApp({ language, database: 'postgres', cache: 'none' }, `${language}-migrations`);
      scratch.push(app);
      if (app.ctx.isTs) {
        const build = await run('npm', ['run', 'build'], { cwd: app.dir, env: childEnv() });
        expect(build.code, build.stdout + build.stderr).toBe(0);
      }
    });

    afterAll(async () => {
      await Promise.all(drops.map((d) => d()));
      scratch.forEach(removeScratchApp);
    });

    it('applies the example expand migration to a fresh database, then is a no-op', async () => {
      const url = await freshDb();
      const first = await checkMigrationsApply(app, url);
      expect(first.problems).toEqual([]);
      const table = /CREATE TABLE IF NOT EXISTS (\w+)/.exec(readFileSync(join(app.dir, 'migrations/001_example_expand.sql'), 'utf8'))?.[1];
      expect(table).toBeTruthy();
      expect(await queryRows(url, `SELECT to_regclass('${table}')::text AS t`)).toEqual([{ t: table }]);
      const second = await checkMigrationsNoop(app, url);
      expect(second.problems).toEqual([]);
      expect(second.result.stdout).toMatch(/nothing to apply/);
    });

    it('serialises parallel runs: both exit 0 and each file is applied once', async () => {
      const url = await freshDb();
      const results = await Promise.all([runMigrate(app, url), runMigrate(app, url)]);
      expect(results.map((r) => r.code), results.map((r) => r.stderr).join('\n')).toEqual([0, 0]);
      expect((await appliedMigrations(url)).map((r) => r.name)).toEqual(['001_example_expand.sql']);
    });

    it('negative proof: a migration that throws exits non-zero, names the file, leaks no secret, records nothing', async () => {
      const broken = withMigration('002_broken.sql', "DO $$ BEGIN RAISE EXCEPTION 'boom'; END $$;\n");
      writeFileSync(join(broken.dir, 'migrations', '003_after.sql'), 'CREATE TABLE after_broken (id int);\n');
      const url = await freshDb();
      const verdict = await checkMigrationsApply(broken, url);
      expect(verdict.ok).toBe(false);
      expect(verdict.result.code).not.toBe(0);
      expect(verdict.result.stderr).toMatch(/002_broken\.sql/);
      const password = new URL(url).password;
      expect(verdict.result.stdout + verdict.result.stderr).not.toContain(password);
      // 001 committed in its own transaction; 002 rolled back; 003 never ran.
      expect((await appliedMigrations(url)).map((r) => r.name)).toEqual(['001_example_expand.sql']);
      expect(await queryRows(url, "SELECT to_regclass('after_broken')::text AS t")).toEqual([{ t: null }]);
    });

    it('gives up on a lock it cannot get (lock_timeout) instead of waiting behind it', async () => {
      const url = await freshDb();
      expect((await runMigrate(app, url)).code).toBe(0);
      const locked = withMigration('002_add_column.sql', 'ALTER TABLE example_notes ADD COLUMN IF NOT EXISTS note text;\n');
      const holder = new pg.Client({ connectionString: url });
      await holder.connect();
      try {
        await holder.query('BEGIN');
        await holder.query('LOCK TABLE example_notes IN ACCESS SHARE MODE');
        const result = await runMigrate(locked, url);
        expect(result.code).not.toBe(0);
        expect(result.stderr).toMatch(/002_add_column\.sql.*lock timeout/);
      } finally {
        await holder.end();
      }
    });
  });
}
