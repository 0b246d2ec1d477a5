/**
 * reconcile: decide, per file, what a run does — from the plan, the merge base, the manifest of the
 * last run and the disk. Pure given `readDisk`; applyOutcomes() does the writing.
 *
 * Invariant: a user's edit is never dropped silently. An edited file is merged three ways against a
 * base verified by its recorded hash; when the base cannot be verified every difference is a
 * conflict; `force` writes the new render but keeps the user's version beside it as `<file>.orig`.
 */
import type { FileKind, PlannedFile } from '../plan/file-spec.js';
import type { Manifest, ManifestEntry } from './state.js';
import { hasConflictMarkers, threeWayMerge, twoWayConflict, type MergeResult } from './merge.js';
import { isSafeRelativePath } from './safe-path.js';
import { sha256 } from './text.js';
import { unifiedDiff } from './unified-diff.js';

export interface ReconcileInput {
  /** Target directory (named in messages; reading goes through `readDisk`). */
  readonly dir: string;
  readonly planned: readonly PlannedFile[];
  /** Merge base: texts rendered from the SAVED answers, by path (undefined on a first run or when they can't be rendered). */
  readonly base?: ReadonlyMap<string, string>;
  /** Manifest of the last run; `{}` on a first run. */
  readonly manifest: Manifest;
  /** Resolve conflicts in favour of the new render, keeping the user's file as `<file>.orig`. */
  readonly force: boolean;
  /** Compute each outcome's unified diff (only --dry-run prints them); default true. */
  readonly diffs?: boolean;
}

/** unifiedDiff, or nothing when the run will not print diffs. */
type DiffFn = (path: string, before: string | undefined, after: string | undefined) => string | undefined;

export type Action =
  | 'create'
  | 'update'
  | 'unchanged'
  | 'merged'
  | 'conflict'
  | 'forced'
  | 'delete-orphan'
  | 'keep-orphan'
  | 'keep-seed'
  | 'patch'
  | 'patch-skipped';

/** What happens to one file. */
export interface FileOutcome {
  readonly path: string;
  readonly action: Action;
  readonly kind: FileKind;
  /** What will be written; absent when nothing is written. */
  readonly text?: string;
  /** Human explanation (merge outcome, skip reason, what to do). */
  readonly detail?: string;
  /** Unified diff disk → new, for --dry-run. */
  readonly diff?: string;
  /** The manifest entry to record once the outcome is applied; absent: not recorded. */
  readonly record?: ManifestEntry;
  /** `forced` only: where the user's version is saved, and its text. */
  readonly backup?: { readonly path: string; readonly text: string };
}

type ReadDisk = (path: string) => string | undefined;

interface ManagedCase {
  readonly path: string;
  readonly text: string;
  readonly disk: string | undefined;
  readonly entry: ManifestEntry | undefined;
  readonly base: string | undefined;
  readonly force: boolean;
  readonly diff: DiffFn;
}

const CONFLICT_HELP =
  'edit the file: keep what you want between <<<<<<< and >>>>>>>, delete the marker lines, then re-run';

/** `<path>.orig`, or `.orig.N` when an older, different backup is already there (never overwrite one). */
function backupPath(path: string, disk: string, readDisk: ReadDisk): string {
  for (let n = 0; ; n++) {
    const candidate = n === 0 ? `${path}.orig` : `${path}.orig.${n}`;
    const existing = readDisk(candidate);
    if (existing === undefined || existing === disk) return candidate;
  }
}

/** The user edited a managed file (or it was there before us): merge, or conflict. */
function editedOutcome(c: ManagedCase & { disk: string }, readDisk: ReadDisk): FileOutcome {
  const record: ManifestEntry = { kind: 'managed', sha256: sha256(c.text) };
  const verified = c.entry !== undefined && c.base !== undefined && sha256(c.base) === c.entry.sha256;
  const merge: MergeResult = verified ? threeWayMerge(c.disk, c.base!, c.text) : twoWayConflict(c.disk, c.text);
  const stale = hasConflictMarkers(c.disk);
  const base = { path: c.path, kind: 'managed' as const, record };
  if (merge.conflicts === 0 && !stale) {
    if (merge.text === c.disk) return { ...base, action: 'unchanged', detail: 'your edits kept; nothing new to merge' };
    return {
      ...base,
      action: 'merged',
      text: merge.text,
      detail: 'your edits kept and merged with the new version',
      diff: c.diff(c.path, c.disk, merge.text),
    };
  }
  const why = stale
    ? 'still holds conflict markers from an earlier run'
    : verified
      ? `${merge.conflicts} conflicting section(s): your edits and the new version change the same lines`
      : c.entry === undefined
        ? 'the file was already there and was not written by this generator, so every difference is a conflict'
        : 'cannot verify what was generated last time, so every difference is a conflict';
  if (c.force) {
    const backup = { path: backupPath(c.path, c.disk, readDisk), text: c.disk };
    return {
      ...base,
      action: 'forced',
      text: c.text,
      backup,
      detail: `${why}; --force: new version written, yours saved as ${backup.path}`,
      diff: c.diff(c.path, c.disk, c.text),
    };
  }
  const text = merge.text === c.disk ? undefined : merge.text;
  return {
    ...base,
    action: 'conflict',
    text,
    detail: `${why}; ${CONFLICT_HELP}`,
    diff: text === undefined ? undefined : c.diff(c.path, c.disk, text),
  };
}

function managedOutcome(c: ManagedCase, readDisk: ReadDisk): FileOutcome {
  const record: ManifestEntry = { kind: 'managed', sha256: sha256(c.text) };
  const base = { path: c.path, kind: 'managed' as const, record };
  if (c.disk === undefined) return { ...base, action: 'create', text: c.text, diff: c.diff(c.path, undefined, c.text) };
  if (c.disk === c.text) return { ...base, action: 'unchanged' };
  if (c.entry !== undefined && sha256(c.disk) === c.entry.sha256) {
    return { ...base, action: 'update', text: c.text, diff: c.diff(c.path, c.disk, c.text) };
  }
  return editedOutcome({ ...c, disk: c.disk }, readDisk);
}

/** Seeds are written once; afterwards the file is the user's and is never touched. */
function seedOutcome(
  path: string,
  text: string,
  disk: string | undefined,
  entry: ManifestEntry | undefined,
  diff: DiffFn,
): FileOutcome {
  if (disk === undefined) {
    return {
      path,
      kind: 'seed',
      action: 'create',
      text,
      record: { kind: 'seed', sha256: sha256(text) },
      diff: diff(path, undefined, text),
    };
  }
  // Only a seed we created stays recorded; a file the user already had is not ours.
  const record: ManifestEntry | undefined = entry ? { kind: 'seed', sha256: entry.sha256 } : undefined;
  return { path, kind: 'seed', action: 'keep-seed', ...(record ? { record } : {}) };
}

/** Patches are idempotent: the planned text already includes the edit applied to the disk's text. */
function patchOutcome(
  path: string,
  text: string,
  disk: string | undefined,
  notes: readonly string[],
  diff: DiffFn,
): FileOutcome {
  const record: ManifestEntry = { kind: 'patch', sha256: sha256(text) };
  if (disk === text) return { path, kind: 'patch', action: 'unchanged', record };
  const detail = notes.length ? { detail: notes.join(' ') } : {};
  return { path, kind: 'patch', action: 'patch', text, record, diff: diff(path, disk, text), ...detail };
}

function plannedOutcome(p: PlannedFile, input: ReconcileInput, readDisk: ReadDisk, diff: DiffFn): FileOutcome {
  const { path, kind } = p.spec;
  if (!isSafeRelativePath(path))
    throw new Error(`Planned file "${path}" is not a relative path inside ${input.dir} (a bug in the file plan).`);
  if ('skipReason' in p) return { path, kind, action: 'patch-skipped', detail: p.skipReason };
  const disk = readDisk(path);
  const entry = input.manifest[path];
  if (kind === 'seed') return seedOutcome(path, p.text, disk, entry, diff);
  if (kind === 'patch') return patchOutcome(path, p.text, disk, p.notes ?? [], diff);
  return managedOutcome(
    { path, text: p.text, disk, entry, base: input.base?.get(path), force: input.force, diff },
    readDisk,
  );
}

/**
 * A file recorded last time but no longer planned. Managed: deleted when unedited, kept (and still
 * recorded, so it is reported again) when edited. Seeds and patched files are the user's: forgotten.
 */
function orphanOutcome(path: string, entry: ManifestEntry, readDisk: ReadDisk, diff: DiffFn): FileOutcome | undefined {
  if (!isSafeRelativePath(path)) {
    return {
      path,
      kind: entry.kind,
      action: 'keep-orphan',
      detail: 'recorded path is outside the target directory; not touched and forgotten',
    };
  }
  if (entry.kind !== 'managed') return undefined;
  const disk = readDisk(path);
  if (disk === undefined) return undefined;
  if (sha256(disk) === entry.sha256)
    return {
      path,
      kind: 'managed',
      action: 'delete-orphan',
      detail: 'no longer generated',
      diff: diff(path, disk, undefined),
    };
  return {
    path,
    kind: 'managed',
    action: 'keep-orphan',
    record: entry,
    detail: 'no longer generated, but you edited it, so it was kept: delete it when you no longer need it',
  };
}

/** Decide every file's outcome: planned files in plan order, then orphans in path order. */
export function reconcile(input: ReconcileInput, readDisk: ReadDisk): FileOutcome[] {
  const diff: DiffFn = input.diffs === false ? () => undefined : unifiedDiff;
  const planned = new Set<string>();
  const outcomes: FileOutcome[] = [];
  for (const p of input.planned) {
    if (planned.has(p.spec.path)) throw new Error(`File "${p.spec.path}" is planned twice (a bug in the file plan).`);
    planned.add(p.spec.path);
    outcomes.push(plannedOutcome(p, input, readDisk, diff));
  }
  for (const path of Object.keys(input.manifest).sort()) {
    if (planned.has(path)) continue;
    const o = orphanOutcome(path, input.manifest[path]!, readDisk, diff);
    if (o) outcomes.push(o);
  }
  return outcomes;
}
