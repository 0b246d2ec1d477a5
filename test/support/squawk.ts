/**
 * Test support: the real squawk, as the generated test job gets it (`npx --yes squawk-cli@<exact>`).
 * Installed once from the npm registry into .tmp/squawk (npm install, which fetches only the binary
 * package of this platform), reused while its version is the pinned one.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { loadVersions } from '../../src/versions.js';

export interface SquawkInstall {
  readonly version: string;
  /** node_modules holding squawk-cli (link a repository's node_modules here and npx finds it). */
  readonly nodeModules: string;
  /** The squawk-cli launcher. */
  readonly bin: string;
}

/** Install (or reuse) the pinned squawk-cli. */
export function installSquawk(): SquawkInstall {
  const version = loadVersions().appDevDependencies['squawk-cli']!;
  const dir = join(PACKAGE_ROOT, '.tmp', 'squawk');
  const nodeModules = join(dir, 'node_modules');
  const bin = join(nodeModules, '.bin', 'squawk');
  const installed = join(nodeModules, 'squawk-cli', 'package.json');
  if (
    !existsSync(installed) ||
    (JSON.parse(readFileSync(installed, 'utf8')) as { version: string }).version !== version
  ) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'package.json'),
      `${JSON.stringify({ name: 'squawk-for-tests', private: true, dependencies: { 'squawk-cli': version } }, null, 2)}\n`,
    );
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }
  return { version, nodeModules, bin };
}
