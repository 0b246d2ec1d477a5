/**
 * The run journal: before a run changes the first file it records every change it is about to make
 * (each file's bytes before and after, the answers and manifest included as `.yo-rc.json`'s new text),
 * and removes the journal when the last change is on disk. A run killed in between leaves the journal;
 * the next run finds it and either completes the change (every file is still as it was before or
 * already as it should be after) or rolls it back (something changed since: the files this run did
 * change get their old bytes back, the changed ones are left alone and named). A file the run creates
 * is written in place (atomic-write.ts writeNewFile), so a crash can leave a prefix of its new bytes:
 * recovery takes such a prefix for the run's own unfinished write, not for somebody's change.
 */
import { closeSync, fsyncSync, openSync, readFileSync, rmdirSync, readdirSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isUtf8 } from 'node:buffer';
import { gunzipSync } from 'node:zlib';
import { UserError } from '../errors.js';
import { writeFileAtomic } from './atomic-write.js';
import { diskChanged } from './fault.js';
import { isSafeRelativePath } from './safe-path.js';
import { STATE_DIR } from './state.js';

/** The journal's name inside the target directory. */
export const JOURNAL_FILE = `${STATE_DIR}.journal`;
/** 2: plain JSON, texts as UTF-8 strings. 1 (still read): gzip-compressed, every side base64. */
const FORMAT = 2;
/** Far above any real journal (a full stack is well under 1 MB): a bigger one is not ours. */
const MAX_JOURNAL_BYTES = 64 * 1024 * 1024;

/** One file change: bytes before and after; null = the file is absent. */
export interface JournalEntry {
  readonly path: string;
  readonly before: Buffer | null;
  readonly after: Buffer | null;
}

/** Everything an interrupted run was about to do. */
export interface Journal {
  readonly pid: number;
  readonly startedAt: string;
  readonly generatorVersion: string;
  readonly entries: readonly JournalEntry[];
}

/** What the recovery of an interrupted run did. */
export interface Recovery {
  readonly action: 'completed' | 'rolled-back';
  /** One line for the user. */
  readonly message: string;
  readonly changed: readonly string[];
}

/** One side of an entry on disk: absent, a text (almost every file), or base64 for other bytes. */
type Side = null | { readonly text: string } | { readonly base64: string };
const encode = (b: Buffer | null): Side =>
  b === null ? null : isUtf8(b) ? { text: b.toString('utf8') } : { base64: b.toString('base64') };

function decodeSide(s: unknown, format: number): Buffer | null | undefined {
  if (s === null) return null;
  if (format === 1) return typeof s === 'string' ? Buffer.from(s, 'base64') : undefined;
  if (typeof s !== 'object') return undefined;
  const { text, base64 } = s as Record<string, unknown>;
  return typeof text === 'string'
    ? Buffer.from(text, 'utf8')
    : typeof base64 === 'string'
      ? Buffer.from(base64, 'base64')
      : undefined;
}

/** Write the journal durably (temp file + rename, then fsync) before the first change. */
export function writeJournal(dir: string, journal: Journal): void {
  const json = JSON.stringify({
    format: FORMAT,
    ...journal,
    entries: journal.entries.map((e) => ({ path: e.path, before: encode(e.before), after: encode(e.after) })),
  });
  const file = join(dir, JOURNAL_FILE);
  // Not compressed: it lives for one run only, is written on the path of every change, and holds texts.
  writeFileAtomic(file, json);
  const fd = openSync(file, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Remove the journal: the run's changes are all on disk. */
export function removeJournal(dir: string): void {
  try {
    unlinkSync(join(dir, JOURNAL_FILE));
    diskChanged();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

function toEntry(e: unknown, format: number): JournalEntry | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const { path, before, after } = e as Record<string, unknown>;
  const b = decodeSide(before, format);
  const a = decodeSide(after, format);
  return typeof path === 'string' && isSafeRelativePath(path) && b !== undefined && a !== undefined
    ? { path, before: b, after: a }
    : undefined;
}

/** The journal file's JSON text (format 1 journals are gzip-compressed). */
function journalText(bytes: Buffer): string {
  const gzip = bytes.length > 1 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  return (gzip ? gunzipSync(bytes, { maxOutputLength: MAX_JOURNAL_BYTES }) : bytes).toString('utf8');
}

/** Read the journal of an interrupted run; undefined when there is none. Refuses one it cannot trust. */
export function readJournal(dir: string): Journal | undefined {
  const file = join(dir, JOURNAL_FILE);
  let raw: Record<string, unknown>;
  try {
    const bytes = readFileSync(file);
    if (bytes.length > MAX_JOURNAL_BYTES) throw new Error(`larger than ${MAX_JOURNAL_BYTES} bytes`);
    raw = JSON.parse(journalText(bytes)) as Record<string, unknown>;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UserError(
      `cannot read ${file} (the journal of an interrupted run): ${(e as Error).message.split('\n')[0]}. Delete it and re-run; nothing was written.`,
      { cause: e },
    );
  }
  const format = raw.format === 1 || raw.format === FORMAT ? raw.format : undefined;
  const entries =
    format !== undefined && Array.isArray(raw.entries) ? raw.entries.map((e) => toEntry(e, format)) : undefined;
  if (
    typeof raw.pid !== 'number' ||
    typeof raw.startedAt !== 'string' ||
    entries === undefined ||
    entries.some((e) => e === undefined)
  ) {
    throw new UserError(
      `${file} is not a journal this generator wrote (unknown format, or a path outside the folder). Delete it and re-run; nothing was written.`,
    );
  }
  return {
    pid: raw.pid,
    startedAt: raw.startedAt,
    generatorVersion: String(raw.generatorVersion),
    entries: entries as JournalEntry[],
  };
}

/** Bytes of a file; null when absent; undefined when something else (a directory) is there. */
function readBytes(dir: string, path: string): Buffer | null | undefined {
  try {
    return readFileSync(join(dir, path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? null : undefined;
  }
}

const same = (a: Buffer | null | undefined, b: Buffer | null): boolean =>
  a === null || b === null ? a === b : a?.equals(b) === true;

/**
 * The file is as it was before the run: unchanged, or (for a file the run was creating) a proper prefix
 * of the new bytes, which is all a crash in the middle of writeNewFile can leave.
 */
function untouched(disk: Buffer | null | undefined, e: JournalEntry): boolean {
  if (same(disk, e.before)) return true;
  return (
    e.before === null &&
    e.after !== null &&
    disk != null &&
    disk.length < e.after.length &&
    e.after.subarray(0, disk.length).equals(disk)
  );
}

/** Remove directories a rolled-back creation leaves empty (never the target itself). */
function pruneEmpty(dir: string, path: string): void {
  for (let d = dirname(path); d !== '.' && d !== ''; d = dirname(d)) {
    const full = join(dir, d);
    if (readdirSync(full).length > 0) return;
    rmdirSync(full);
  }
}

/** Put `bytes` at `path` (null: remove it). */
export function putBytes(dir: string, path: string, bytes: Buffer | null): void {
  const full = join(dir, path);
  if (bytes !== null) {
    writeFileAtomic(full, bytes);
    return;
  }
  try {
    unlinkSync(full);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  diskChanged();
  pruneEmpty(dir, path);
}

function describe(j: Journal): string {
  return `an earlier run (pid ${j.pid}, started ${j.startedAt}) was interrupted`;
}

/** Undo what of the journal's change is on disk (files in their `after` state get their `before` back). */
export function rollBack(dir: string, j: Journal): string[] {
  const restored: string[] = [];
  // Reverse order: the state files (last in the journal) return to the old answers first.
  for (const e of [...j.entries].reverse()) {
    const disk = readBytes(dir, e.path);
    if ((same(disk, e.after) || untouched(disk, e)) && !same(disk, e.before)) {
      putBytes(dir, e.path, e.before);
      restored.push(e.path);
    }
  }
  removeJournal(dir);
  return restored;
}

/**
 * Finish or undo the journal's change, then remove the journal. Safe to interrupt again: the journal
 * goes last, and a second recovery judges the files afresh.
 */
export function recoverJournal(dir: string, j: Journal): Recovery {
  const state = j.entries.map((e) => {
    const disk = readBytes(dir, e.path);
    return { e, done: same(disk, e.after), untouched: untouched(disk, e) };
  });
  const foreign = state.filter((s) => !s.done && !s.untouched).map((s) => s.e.path);
  if (foreign.length === 0) {
    const changed: string[] = [];
    for (const s of state) {
      if (s.done) continue;
      putBytes(dir, s.e.path, s.e.after);
      changed.push(s.e.path);
    }
    removeJournal(dir);
    return {
      action: 'completed',
      changed,
      message: `${describe(j)}; completed its change (${changed.length} file(s) written now, ${j.entries.length - changed.length} already done).`,
    };
  }
  const changed = rollBack(dir, j);
  const those = foreign.length === 1 ? 'that file as it is' : 'those files as they are';
  return {
    action: 'rolled-back',
    changed,
    message: `${describe(j)}, and ${foreign.join(', ')} changed since; rolled its change back (${changed.length} file(s) restored), leaving ${those}.`,
  };
}
