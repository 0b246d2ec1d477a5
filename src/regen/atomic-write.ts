/**
 * Crash-safe file writes: the text goes to a temporary name in the same directory and is renamed
 * over the target, so a reader (or a crash) sees the old file or the new one, never half of one.
 */
import { chmodSync, mkdirSync, readdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { diskChanged } from './fault.js';

/** Temp name beside the target; dot-prefixed so watchers and globs tend to ignore it. */
function tempName(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** The target's permission bits, to keep e.g. an executable script executable after a rewrite. */
function existingMode(file: string): number | undefined {
  try {
    const st = statSync(file);
    return st.isFile() ? st.mode & 0o7777 : undefined;
  } catch {
    return undefined;
  }
}

/** Write `text` to `file` atomically, creating parent directories. On failure no temp file is left. */
export function writeFileAtomic(file: string, text: string | Uint8Array): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = tempName(file);
  try {
    writeFileSync(tmp, text, { flag: 'wx' });
    const mode = existingMode(file);
    if (mode !== undefined) chmodSync(tmp, mode);
    renameSync(tmp, file);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // the temp file was never created
    }
    throw new Error(`Could not write ${file}: ${(e as Error).message}`, { cause: e });
  }
  diskChanged();
}

/**
 * Create `file`, which must not exist yet, in place (no temp file, no rename: a scaffold creates every
 * file this way, and temp + rename was most of its write cost). Only for a run under a journal
 * (journal.ts): a crash mid-write can leave only a prefix of `text`, which recovery recognises as this
 * run's own unfinished file. `madeDirs` remembers the directories this run already made.
 */
export function writeNewFile(file: string, text: string | Uint8Array, madeDirs: Set<string>): void {
  const parent = dirname(file);
  try {
    if (!madeDirs.has(parent)) {
      mkdirSync(parent, { recursive: true });
      madeDirs.add(parent);
    }
    // 'wx': a file that appeared since reconcile is never overwritten; the write fails and the run rolls back.
    writeFileSync(file, text, { flag: 'wx' });
  } catch (e) {
    throw new Error(`Could not write ${file}: ${(e as Error).message}`, { cause: e });
  }
  diskChanged();
}

const TEMP = /^\..+\.([0-9]+)\.[0-9a-f]{8}\.tmp$/;

/**
 * Remove the temp files a killed run left in `dirs` (relative to `root`): only names of the form
 * writeFileAtomic uses, and not this process's own. Call it while holding the target's lock, when no
 * other run can be writing. Returns the removed paths.
 */
export function removeStaleTempFiles(root: string, dirs: Iterable<string>): string[] {
  const removed: string[] = [];
  for (const d of new Set(dirs)) {
    let names: string[];
    try {
      names = readdirSync(join(root, d));
    } catch {
      continue; // not there (yet)
    }
    for (const name of names) {
      const m = TEMP.exec(name);
      if (!m || Number(m[1]) === process.pid) continue;
      unlinkSync(join(root, d, name));
      removed.push(d === '.' ? name : `${d}/${name}`);
    }
  }
  return removed;
}
