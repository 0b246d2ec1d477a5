/**
 * List the files of a generated tree, relative to its root, skipping installed or built output.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const SKIP_DIRS = new Set(['node_modules', 'dist', '.git', '.terraform']);

/** Every file under `dir` (POSIX-style relative paths, sorted), without node_modules/dist/.git/.terraform. */
export function listTreeFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const entry of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) walk(path);
      } else if (entry.isFile()) {
        out.push(path);
      }
    }
  };
  walk('');
  return out.sort();
}
