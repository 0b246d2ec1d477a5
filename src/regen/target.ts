/**
 * A run's hold on its target folder: the lock, and the recovery of a run that was killed there.
 *
 * The CLI wraps its whole run in withTargetLock(), so the lock is held from before the saved answers
 * are read until the summary is printed, and an interrupted run is completed or rolled back before
 * anything reads the folder. generate() calls enterTarget(): inside withTargetLock it reuses that
 * lock; called by a door that did not lock (or for a folder that did not exist yet) it takes the lock
 * itself and then refuses to go on if the folder is no longer what the caller read.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { existsSync, mkdirSync, realpathSync, statSync } from 'node:fs';
import { UserError } from '../errors.js';
import { acquireLock, type RunLock } from './lock.js';
import { readJournal, recoverJournal, JOURNAL_FILE, type Recovery } from './journal.js';
import { readSavedState, type SavedState } from './state.js';

const held = new AsyncLocalStorage<RunLock>();

/** The folder changed between the caller reading it and this run locking it: exit 1, nothing written. */
export class TargetChangedError extends UserError {
  constructor(why: string) {
    super(`${why} Nothing else was written; re-run to apply this run's options on top.`);
    this.name = 'TargetChangedError';
  }
}

function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** Complete or roll back an interrupted run in `dir` (the caller holds the lock). */
export function recoverInterrupted(dir: string): Recovery | undefined {
  const journal = readJournal(dir);
  return journal ? recoverJournal(dir, journal) : undefined;
}

/**
 * Run `fn` holding the lock of `dir` (when it exists; a new folder is locked by generate() once it
 * creates it). A dry run takes no lock and changes nothing, but says when a journal is waiting.
 */
export async function withTargetLock<T>(
  dir: string,
  opts: { dryRun: boolean; notice: (line: string) => void },
  fn: () => Promise<T>,
): Promise<T> {
  if (!isDirectory(dir)) return fn();
  if (opts.dryRun) {
    if (readJournal(dir))
      opts.notice(
        `an interrupted run left ${JOURNAL_FILE}; the next run without --dry-run completes or rolls back its change first. This preview shows the folder as it is.`,
      );
    return fn();
  }
  const lock = acquireLock(dir);
  try {
    lock.notices.forEach(opts.notice);
    const recovery = recoverInterrupted(dir);
    if (recovery) opts.notice(recovery.message);
    return await held.run(lock, fn);
  } finally {
    lock.release();
  }
}

function currentState(dir: string): SavedState | undefined {
  try {
    return readSavedState(dir);
  } catch (e) {
    throw new TargetChangedError(
      `${(e as Error).message} (it changed while this run was preparing; fix or delete it).`,
    );
  }
}

const sameDir = (a: string, b: string): boolean =>
  existsSync(a) && existsSync(b) && realpathSync.native(a) === realpathSync.native(b);

/** What generate() holds while it writes. */
export interface TargetHold {
  readonly notices: readonly string[];
  release(): void;
}

/**
 * Lock `dir` for writing (creating it if needed). Reuses the lock of an enclosing withTargetLock();
 * otherwise takes it, recovers an interrupted run, and checks the saved state is still `saved`.
 */
export function enterTarget(dir: string, saved: SavedState | undefined): TargetHold {
  const outer = held.getStore();
  if (outer && sameDir(outer.dir, dir)) return { notices: [], release: () => undefined };
  mkdirSync(dir, { recursive: true });
  const lock = acquireLock(dir);
  try {
    const recovery = recoverInterrupted(dir);
    if (recovery) throw new TargetChangedError(`${recovery.message}`);
    if (JSON.stringify(currentState(dir)) !== JSON.stringify(saved)) {
      throw new TargetChangedError(`another run changed ${dir} while this one was preparing.`);
    }
  } catch (e) {
    lock.release();
    throw e;
  }
  return { notices: lock.notices, release: lock.release };
}
