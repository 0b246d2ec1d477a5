/**
 * A start file inside a git-ignored folder the build writes (`node dist/server.js` after
 * `babel src -d dist`, a tsc or bundler build without a tsconfig outDir) is build output, not source:
 * sources are never git-ignored. Detection then looks for the source the build compiles it from, and
 * never patches the output (the next build would overwrite the patch, and the image builds its own).
 */
import { posix } from 'node:path';
import { gitFileStatus } from './git.js';
import { resolveFile } from './graph.js';
import type { Manifest } from './manifest.js';
import { isDirectory, readText } from './read.js';
import { shellWords } from './start-script.js';

/** Whether `.gitignore` at the root names `folder` (`dist`, `/dist`, `dist/`): the answer outside a git work tree. */
function gitignoreNames(dir: string, folder: string): boolean {
  return (readText(dir, '.gitignore') ?? '')
    .split('\n')
    .some((l) => l.trim().replace(/^\//, '').replace(/\/$/, '') === folder);
}

/** Whether `file` lies in a git-ignored top-level folder while the project has a build script. */
export function inIgnoredBuildFolder(dir: string, m: Manifest, file: string): boolean {
  const folder = file.split('/')[0]!;
  if (!m.scripts.build || folder === file) return false;
  const status = gitFileStatus(dir, [folder]);
  return status ? status.ignored.has(folder) || status.ignored.has(`${folder}/`) : gitignoreNames(dir, folder);
}

/**
 * The source a build-output file is compiled from: the same path under a folder the build script
 * names (`babel src -d dist`), else under src/, else at the root.
 */
export function sourceOfOutput(dir: string, m: Manifest, file: string): string | undefined {
  const [folder, ...rest] = file.split('/');
  const named = shellWords(m.scripts.build ?? '')
    .map((w) => w.replace(/^\.\//, '').replace(/\/$/, ''))
    .filter((w) => w && w !== folder && !w.startsWith('-') && !w.includes('node_modules') && isDirectory(dir, w));
  for (const base of [...new Set([...named, 'src', '.'])]) {
    const found = resolveFile(dir, posix.join(base, rest.join('/').replace(/\.[cm]?js$/, '')));
    if (found && found.split('/')[0] !== folder) return found;
  }
  return undefined;
}
