/**
 * commit: write a reconciled run as one recoverable change. The journal (every file's bytes before
 * and after, the new `.yo-rc.json` and upgrade base included) goes to disk first; then the files,
 * the upgrade base, and `.yo-rc.json` last; then the journal is removed. A failed write rolls the
 * change back at once; a killed process leaves the journal for the next run (see journal.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyOutcomes, ApplyError, type ApplyResult } from './apply.js';
import { BASE_STORE, nextStoreBytes, type BaseStore, type StoreRead } from './base-store.js';
import { rollBack, removeJournal, writeJournal, type Journal, type JournalEntry } from './journal.js';
import type { FileOutcome } from './reconcile.js';
import { savedStateText, STATE_FILE, type Manifest, type ManifestEntry, type SavedState } from './state.js';
import { writeFileAtomic } from './atomic-write.js';

export interface CommitInput {
  readonly dir: string;
  readonly outcomes: readonly FileOutcome[];
  /** Manifest of the last run. */
  readonly previous: Manifest;
  /** The state to save; its manifest is what this run puts on disk. */
  readonly state: Omit<SavedState, 'manifest'>;
  /** The render of every planned managed file (what the next upgrade merges against). */
  readonly renders: ReadonlyMap<string, string>;
  /** Verified texts of the previous upgrade base (kept for edited orphans that are still recorded). */
  readonly previousBase: ReadonlyMap<string, string>;
  readonly previousStore: StoreRead;
}

const WRITES: ReadonlySet<string> = new Set(['create', 'update', 'merged', 'conflict', 'forced', 'patch']);

function bytesAt(dir: string, path: string): Buffer | null {
  try {
    return readFileSync(join(dir, path));
  } catch {
    return null;
  }
}

/** The manifest a run records when every outcome applies as planned (apply.ts records the same way). */
function plannedManifest(outcomes: readonly FileOutcome[]): Manifest {
  const out: Record<string, ManifestEntry> = {};
  for (const o of outcomes) if (o.record) out[o.path] = o.record;
  return out;
}

/** The upgrade base for `manifest`: each managed file's render (or, for a kept orphan, its old base). */
function storeFor(
  manifest: Manifest,
  renders: ReadonlyMap<string, string>,
  previousBase: ReadonlyMap<string, string>,
): BaseStore {
  const files = new Map<string, string>();
  for (const [path, entry] of Object.entries(manifest)) {
    const text = entry.kind === 'managed' ? (renders.get(path) ?? previousBase.get(path)) : undefined;
    if (text !== undefined) files.set(path, text);
  }
  return { files };
}

function fileEntries(dir: string, outcomes: readonly FileOutcome[]): JournalEntry[] {
  const entries: JournalEntry[] = [];
  for (const o of outcomes) {
    if (WRITES.has(o.action) && o.text !== undefined) {
      if (o.backup)
        entries.push({ path: o.backup.path, before: bytesAt(dir, o.backup.path), after: Buffer.from(o.backup.text) });
      entries.push({ path: o.path, before: bytesAt(dir, o.path), after: Buffer.from(o.text) });
    } else if (o.action === 'delete-orphan') {
      entries.push({ path: o.path, before: bytesAt(dir, o.path), after: null });
    }
  }
  return entries;
}

/** Every change of the run, state files last; no-op entries left out. */
function journalEntries(input: CommitInput): JournalEntry[] {
  const manifest = plannedManifest(input.outcomes);
  const storeBytes = nextStoreBytes(input.previousStore, storeFor(manifest, input.renders, input.previousBase));
  const stateText = savedStateText(input.dir, { ...input.state, manifest });
  const entries = fileEntries(input.dir, input.outcomes);
  if (storeBytes) entries.push({ path: BASE_STORE, before: input.previousStore.bytes ?? null, after: storeBytes });
  if (stateText !== undefined)
    entries.push({ path: STATE_FILE, before: bytesAt(input.dir, STATE_FILE), after: Buffer.from(stateText) });
  return entries.filter((e) => !(e.before === null ? e.after === null : e.after !== null && e.before.equals(e.after)));
}

/** The files, then the upgrade base, then `.yo-rc.json`, for what apply really put on disk. */
function writeAll(input: CommitInput): ApplyResult {
  const applied = applyOutcomes(input.dir, input.outcomes, input.previous);
  const storeBytes = nextStoreBytes(input.previousStore, storeFor(applied.manifest, input.renders, input.previousBase));
  if (storeBytes) writeFileAtomic(join(input.dir, BASE_STORE), storeBytes);
  const stateText = savedStateText(input.dir, { ...input.state, manifest: applied.manifest });
  if (stateText !== undefined) writeFileAtomic(join(input.dir, STATE_FILE), stateText);
  return applied;
}

/** Apply the run as one change (journal first); a failure rolls back what was written. */
export function commit(input: CommitInput): ApplyResult {
  const entries = journalEntries(input);
  if (entries.length === 0) return applyOutcomes(input.dir, input.outcomes, input.previous);
  const journal: Journal = {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    generatorVersion: input.state.generatorVersion,
    entries,
  };
  writeJournal(input.dir, journal);
  let applied: ApplyResult;
  try {
    applied = writeAll(input);
  } catch (e) {
    let undo: string;
    try {
      undo = `Rolled back: ${rollBack(input.dir, journal).length} file(s) restored, so nothing was changed.`;
    } catch (again) {
      undo = `Rolling back failed too (${(again as Error).message}); the next run completes or rolls back the change from its journal.`;
    }
    const why = e instanceof ApplyError && e.cause instanceof Error ? e.cause.message : (e as Error).message;
    throw new ApplyError(`${why}\n${undo}`, input.previous, { cause: e });
  }
  removeJournal(input.dir);
  return applied;
}
