/**
 * Migration tests of a generated app (issue 7), run inside the runtime suite so they reuse its build:
 * the migrate entrypoint applies the example expand migration to a fresh PostgreSQL database, is a
 * no-op on the next run, serialises parallel runs, and fails (non-zero, naming the file, no secrets)
 * on a migration that throws or a lock it cannot get within lock_timeout.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { copyScratchApp, removeScratchApp, type ScratchApp } from './app-harness.js';
import { appliedMigrations, checkMigrationsApply, checkMigrationsNoop, runMigrate } from './migration-checks.js';
import { createDatabase, queryRows, type TestServices } from './services.js';

/**
 * Define the migration tests for a built app with a database. The getters are called inside the
 * tests, after the enclosing suite's beforeAll prepared the app and found the services.
 */
export function defineMigrationTests(getApp: () => ScratchApp, getServices: () => TestServices): void {
  describe('migrations', () => {
    const scratch: ScratchApp[] = [];
    const drops: Array<() => Promise<void>> = [];
    const freshDb = async (): Promise<string> => {
      const db = await createDatabase(getServices(), getApp().ctx.ext);
      drops.push(db.drop);
      return db.url;
    };
    const withMigration = (name: string, sql: string): ScratchApp => {
      const copy = copyScratchApp(getApp(), `${getApp().ctx.ext}-mig`);
      scratch.push(copy);
      writeFileSync(join(copy.dir, 'migrations', name), sql);
      return copy;
    };

    afterAll(async () => {
      await Promise.all(drops.map((d) => d()));
      scratch.forEach(removeScratchApp);
    });

    it('applies the example expand migration to a fresh database, then is a no-op', async () => {
      const app = getApp();
      const url = await freshDb();
      const first = await checkMigrationsApply(app, url);
      expect(first.problems).toEqual([]);
      const table = /CREATE TABLE IF NOT EXISTS (\w+)/.exec(
        readFileSync(join(app.dir, 'migrations/001_example_expand.sql'), 'utf8'),
      )?.[1];
      expect(table).toBeTruthy();
      expect(await queryRows(url, `SELECT to_regclass('${table}')::text AS t`)).toEqual([{ t: table }]);
      const second = await checkMigrationsNoop(app, url);
      expect(second.problems).toEqual([]);
      expect(second.result.stdout).toMatch(/nothing to apply/);
    });

    it('serialises parallel runs: both exit 0 and each file is applied once', async () => {
      const url = await freshDb();
      const results = await Promise.all([runMigrate(getApp(), url), runMigrate(getApp(), url)]);
      expect(
        results.map((r) => r.code),
        results.map((r) => r.stderr).join('\n'),
      ).toEqual([0, 0]);
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
      expect((await runMigrate(getApp(), url)).code).toBe(0);
      const locked = withMigration(
        '002_add_column.sql',
        'ALTER TABLE example_notes ADD COLUMN IF NOT EXISTS note text;\n',
      );
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
