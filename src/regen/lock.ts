/**
 * One run at a time per target: an exclusive lock file created with O_EXCL, naming the pid, host and
 * start time of its holder, removed when the run ends. A lock whose process is gone (kill -9, power
 * loss) is taken over with a notice; a live one makes the next run wait briefly, then give up.
 */
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../errors.js';
import { STATE_DIR } from './state.js';

/** The lock file's name inside the target directory. */
export const LOCK_FILE = `${STATE_DIR}.lock`;
/** How long a run waits for another one to finish before giving up. */
export const LOCK_WAIT_MS = 5000;
/** A lock file that is still empty or unreadable after this long was left by a run killed while creating it. */
const UNREADABLE_STALE_MS = 10_000;

/** What the lock file says about its holder. */
export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
}

/** A held lock. `notices` say whether a stale lock was taken over. */
export interface RunLock {
  readonly dir: string;
  readonly file: string;
  readonly notices: readonly string[];
  /** Remove the lock file (idempotent; only a lock this process still owns is removed). */
  release(): void;
}

/** Another run holds the lock: exit 1, nothing written. */
export class LockBusyError extends UserError {
  constructor(file: string, owner: LockOwner | undefined) {
    const who = owner ? ` (pid ${owner.pid} on ${owner.host}, started ${owner.startedAt})` : '';
    super(
      `another run is in progress in this folder${who}; nothing was written. Wait for it to finish and re-run; if no such run exists, delete ${file}.`,
    );
    this.name = 'LockBusyError';
  }
}

/** Block the thread for `ms` (the run is synchronous between reading the disk and writing it). */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function readOwner(file: string): LockOwner | undefined {
  try {
    const o = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockOwner>;
    return typeof o.pid === 'number' && typeof o.host === 'string' && typeof o.startedAt === 'string'
      ? (o as LockOwner)
      : undefined;
  } catch {
    return undefined;
  }
}

/** True when the process named by the lock certainly no longer runs (only decidable on this host). */
function isDead(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Create the lock file; false when it already exists. */
function tryCreate(file: string, owner: LockOwner): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    const why = (e as NodeJS.ErrnoException).code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new UserError(
      `cannot write into ${dirname(file)} (${why}: creating its lock file ${basename(file)}); nothing was written.`,
      { cause: e },
    );
  }
  try {
    writeSync(fd, `${JSON.stringify(owner)}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Remove a stale lock, unless it changed since it was judged stale. Two runs may judge the same lock
 * stale; the takeover file (itself O_EXCL) lets only one remove it, so neither deletes the other's new lock.
 */
function removeStale(file: string, seen: string): boolean {
  const takeover = `${file}.takeover`;
  try {
    if (Date.now() - statSync(takeover).mtimeMs > UNREADABLE_STALE_MS) unlinkSync(takeover);
  } catch {
    // no takeover in progress
  }
  if (!tryCreate(takeover, { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() })) return false;
  try {
    if (readFileSync(file, 'utf8') !== seen) return false;
    unlinkSync(file);
    return true;
  } catch {
    return false;
  } finally {
    unlinkSync(takeover);
  }
}

/** Stale: the holder is dead, or the file has stayed unreadable (killed between create and write). */
function staleReason(file: string): { text: string; why: string } | undefined {
  let text: string;
  let age: number;
  try {
    text = readFileSync(file, 'utf8');
    age = Date.now() - statSync(file).mtimeMs;
  } catch {
    return undefined; // gone meanwhile: the next attempt creates it
  }
  const owner = readOwner(file);
  if (owner && isDead(owner)) return { text, why: `pid ${owner.pid}, started ${owner.startedAt}, no longer runs` };
  if (!owner && age > UNREADABLE_STALE_MS) return { text, why: 'it is unreadable and older than 10 s' };
  return undefined;
}

/** Take the lock of `dir` (which must exist), waiting up to `waitMs` for another run to finish. */
export function acquireLock(dir: string, opts: { waitMs?: number; pollMs?: number } = {}): RunLock {
  const file = join(dir, LOCK_FILE);
  // The token tells this acquisition's file from any other, also one of the same process.
  const owner = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
    token: randomBytes(6).toString('hex'),
  };
  const notices: string[] = [];
  const deadline = Date.now() + (opts.waitMs ?? LOCK_WAIT_MS);
  for (;;) {
    if (tryCreate(file, owner)) break;
    const stale = staleReason(file);
    if (stale) {
      if (removeStale(file, stale.text)) notices.push(`took over a stale lock (${stale.why}): ${LOCK_FILE}`);
      continue;
    }
    if (Date.now() >= deadline) throw new LockBusyError(file, readOwner(file));
    sleep(opts.pollMs ?? 100);
  }
  const mine = `${JSON.stringify(owner)}\n`;
  let held = true;
  const release = (): void => {
    if (!held) return;
    held = false;
    process.removeListener('exit', release);
    try {
      if (readFileSync(file, 'utf8') === mine) unlinkSync(file);
    } catch {
      // already gone
    }
  };
  process.on('exit', release); // an early process.exit still frees the folder
  return { dir, file, notices, release };
}
