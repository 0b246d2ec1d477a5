/** Locations inside the installed package; works from src/ (tests) and dist/src/ (the bin). */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (
      existsSync(pkg) &&
      (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'create-canary-pipeline'
    )
      return dir;
    if (dirname(dir) === dir) throw new Error('create-canary-pipeline: package root not found');
  }
}

/** Root of the create-canary-pipeline package. */
export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));
export const RESOURCES_DIR = join(PACKAGE_ROOT, 'resources');
export const TEMPLATES_DIR = join(PACKAGE_ROOT, 'templates');

/** The package's own version (recorded in .yo-rc.json). */
export const GENERATOR_VERSION = (
  JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;
