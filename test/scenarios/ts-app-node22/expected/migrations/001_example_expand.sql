-- Example expand-only migration: replace it with your own, keep the numbering (002_..., 003_...).
--
-- src/migrate.ts applies each file once, in name order, in its own transaction with
-- lock_timeout = 5s. The pipeline runs it before any traffic reaches the new version, and during
-- the canary (and the rollback window after it) the previous version runs against the same schema.
-- So every migration must work with both the old and the new code:
--
--   expand   (ships with the release that needs it): new tables, new NULLable columns, new indexes.
--   contract (a later release, once the previous version is past its rollback window and can no
--            longer be rolled back to): drop or rename columns, SET NOT NULL, tighten constraints.
--
-- Never in one deploy: add NOT NULL without a default, rename, drop, or change a column type.
--
-- Making an existing column NOT NULL safely (contract, PostgreSQL >= 12; each step its own file):
--   1. ALTER TABLE orders ALTER COLUMN delivery_notes SET DEFAULT '';
--   2. Backfill the NULLs in short batches, committing each batch. This runner wraps a file in one
--      transaction, so run a large backfill as a one-off task rather than as a migration file.
--   3. ALTER TABLE orders ADD CONSTRAINT orders_delivery_notes_not_null
--        CHECK (delivery_notes IS NOT NULL) NOT VALID;           -- brief lock, no table scan
--   4. ALTER TABLE orders VALIDATE CONSTRAINT orders_delivery_notes_not_null;  -- scan, weaker lock
--   5. ALTER TABLE orders ALTER COLUMN delivery_notes SET NOT NULL;  -- no scan: the CHECK proves it
--   6. ALTER TABLE orders DROP CONSTRAINT orders_delivery_notes_not_null;
-- (`SET NOT NULL DEFAULT ''` in one action is a syntax error, and SET NOT NULL fails while NULLs exist.)
-- Details: docs/DEPLOYMENT.md and https://www.postgresql.org/docs/current/sql-altertable.html

CREATE TABLE IF NOT EXISTS example_notes (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  body text,
  created_at timestamptz NOT NULL DEFAULT now()
);
