/**
 * applyOutcomes: the I/O half of regeneration. Rewrites through temp files + rename (creates new files
 * in place: the run's journal covers them, see writeNewFile), deletes unedited
 * orphans, saves `.orig` backups, and returns the manifest of what is really on disk. The caller
 * writes `.yo-rc.json` (writeSavedState) LAST, so a crash never leaves a manifest that lies.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, realpathSync, rmdirSync, unlinkSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import type { FileOutcome } from './reconcile.js';
import type { Manifest, ManifestEntry } from './state.js';
import { writeFileAtomic, writeNewFile } from './atomic-write.js';
import { isSafeRelativePath } from './safe-path.js';
import { sha256 } from './text.js';
import { diskChanged } from './fault.js';
import { UserError } from '../errors.js';

export { formatOutcomes } from './format.js';

/** What a run did. */
export interface ApplyResult {
  readonly outcomes: readonly FileOutcome[];
  /** Describes only files that are on disk now. */
  readonly manifest: Manifest;
  /** Paths written with conflict markers (non-empty → exit code 2). */
  readonly conflicts: readonly string[];
  readonly wroteAnything: boolean;
}

/** A write failed part-way. `manifest` still describes exactly what is on disk at that point. */
export class ApplyError extends UserError {
  constructor(
    message: string,
    readonly manifest: Manifest,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ApplyError';
  }
}

const WRITES: ReadonlySet<string> = new Set(['create', 'update', 'merged', 'conflict', 'forced', 'patch']);

/** Reader for reconcile(): text of a file under `dir`, or undefined when it does not exist. */
export function diskReader(dir: string): (path: string) => string | undefined {
  return (path) => {
    try {
      return readFileSync(join(dir, path), 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      if (code === 'EISDIR')
        throw new UserError(
          `${join(dir, path)} is a directory, but the generator needs to write a file there. Move it away and re-run.`,
        );
      throw e;
    }
  };
}

/** Realpath of the deepest existing ancestor of `full` (or of `full` itself). */
function existingRealpath(full: string): string {
  let p = full;
  while (!existsSync(p)) p = dirname(p);
  return realpathSync(p);
}

/** Refuse to follow a symlink out of the target directory (checked for every path before any write). */
function assertInside(root: string, dir: string, path: string): void {
  const rel = relative(root, existingRealpath(join(dir, path)));
  if (!isSafeRelativePath(path) || rel === '..' || rel.startsWith(`..${sep}`)) {
    throw new UserError(
      `Refusing to write ${path}: it resolves outside ${dir} (a symbolic link?). Nothing was written.`,
    );
  }
}

/** Remove directories left empty by a deleted orphan, up to (not including) the target directory. */
function pruneEmptyDirs(dir: string, path: string): void {
  for (let d = dirname(path); d !== '.' && d !== ''; d = dirname(d)) {
    const full = join(dir, d);
    if (readdirSync(full).length > 0) return;
    rmdirSync(full);
  }
}

/** Delete an orphan only if it still holds exactly what was recorded (it may have changed since reconcile). */
function deleteOrphan(dir: string, o: FileOutcome, previous: ManifestEntry | undefined): FileOutcome {
  const disk = diskReader(dir)(o.path);
  if (disk === undefined) return o;
  if (!previous || sha256(disk) !== previous.sha256) {
    return {
      path: o.path,
      kind: o.kind,
      action: 'keep-orphan',
      ...(previous ? { record: previous } : {}),
      detail: 'no longer generated, but it changed on disk, so it was kept',
    };
  }
  unlinkSync(join(dir, o.path));
  diskChanged();
  pruneEmptyDirs(dir, o.path);
  return o;
}

/** Apply one outcome; returns the (possibly downgraded) outcome and whether the disk changed. */
function applyOne(
  dir: string,
  o: FileOutcome,
  previous: Manifest,
  madeDirs: Set<string>,
): { outcome: FileOutcome; wrote: boolean } {
  if (WRITES.has(o.action) && o.text !== undefined) {
    // The backup goes first: if writing the new version then fails, the user's text exists twice, never zero times.
    if (o.backup) writeFileAtomic(join(dir, o.backup.path), o.backup.text);
    if (o.action === 'create' && !o.backup) writeNewFile(join(dir, o.path), o.text, madeDirs);
    else writeFileAtomic(join(dir, o.path), o.text);
    return { outcome: o, wrote: true };
  }
  if (o.action === 'delete-orphan') {
    const outcome = deleteOrphan(dir, o, previous[o.path]);
    return { outcome, wrote: outcome.action === 'delete-orphan' };
  }
  return { outcome: o, wrote: false };
}

/**
 * Write the outcomes to `dir`. Throws ApplyError (with the manifest of what is on disk at that point)
 * when a write fails; files already written are complete, the failed one is untouched.
 */
export function applyOutcomes(dir: string, outcomes: readonly FileOutcome[], previous: Manifest): ApplyResult {
  mkdirSync(dir, { recursive: true });
  const root = realpathSync(dir);
  for (const o of outcomes) if (WRITES.has(o.action) || o.action === 'delete-orphan') assertInside(root, dir, o.path);
  const manifest: Record<string, ManifestEntry> = {};
  const done: FileOutcome[] = [];
  let wroteAnything = false;
  const madeDirs = new Set<string>();
  for (const [i, o] of outcomes.entries()) {
    try {
      const { outcome, wrote } = applyOne(dir, o, previous, madeDirs);
      done.push(outcome);
      wroteAnything ||= wrote;
      if (outcome.record) manifest[outcome.path] = outcome.record;
    } catch (e) {
      // Files not reached yet are untouched: their previous entries still describe them.
      for (const rest of outcomes.slice(i)) if (previous[rest.path]) manifest[rest.path] = previous[rest.path]!;
      throw new ApplyError(
        `${(e as Error).message}\nFiles earlier in the plan were written completely; this one was left as it was. Re-running is safe.`,
        manifest,
        { cause: e },
      );
    }
  }
  const conflicts = done.filter((o) => o.action === 'conflict').map((o) => o.path);
  return { outcomes: done, manifest, conflicts, wroteAnything };
}
