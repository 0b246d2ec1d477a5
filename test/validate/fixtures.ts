/**
 * Test support: copy a fixture tree to a scratch directory. Files stored as `<name>.fixture` are
 * renamed to `<name>`, so fixture TypeScript stays out of this repository's own tsc run.
 */
import { cpSync, mkdtempSync, readdirSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Root of the planted-defect fixtures. */
export const PLANTED_DIR = new URL('../fixtures/planted/', import.meta.url).pathname;

function unsuffix(dir: string): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) unsuffix(p);
    else if (e.name.endsWith('.fixture')) renameSync(p, p.slice(0, -'.fixture'.length));
  }
}

/** Copy `test/fixtures/planted/<name>` to a fresh temp dir and return its path. */
export function copyFixture(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `planted-${name}-`));
  cpSync(join(PLANTED_DIR, name), dir, { recursive: true });
  unsuffix(dir);
  return dir;
}
