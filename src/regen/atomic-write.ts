/**
 * Crash-safe file writes: the text goes to a temporary name in the same directory and is renamed
 * over the target, so a reader (or a crash) sees the old file or the new one, never half of one.
 */
import { chmodSync, mkdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

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
export function writeFileAtomic(file: string, text: string): void {
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
}
