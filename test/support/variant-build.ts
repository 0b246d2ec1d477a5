/**
 * Test support: a second real build of the package — a temp copy of this checkout with edited
 * templates and a higher version, built with its own build script — to test generator upgrades.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitLines } from '../../src/regen/text.js';
import { tempDir } from './cli.js';
import { ROOT } from './fuzz-regen-support.js';

/** Files of the checkout a build needs (tests, build output, VCS and dependencies stay out; node_modules is linked). */
const SKIP = new Set(['node_modules', 'dist', '.git', 'test', '.tmp', 'example', 'coverage']);

/** The next minor version: 0.1.0 → 0.2.0. */
export function nextMinor(version: string): string {
  const [major, minor] = version.split('.').map(Number);
  return `${major}.${minor! + 1}.0`;
}

/**
 * Change one template: its first plain comment line (no EJS in it) is reworded, and a new comment
 * line is added after the one in the middle. Comments keep every format valid whatever the template holds.
 */
export function editTemplate(text: string, comment: string, tag: string): string {
  const lines = splitLines(text);
  const plain = (i: number): boolean => lines[i]!.startsWith(`${comment} `) && !lines[i]!.includes('<%');
  const first = lines.findIndex((_, i) => plain(i));
  if (first === -1) throw new Error(`no plain "${comment}" comment line to change`);
  lines[first] = `${comment} ${tag}: ${lines[first]!.slice(comment.length + 1)}`;
  const middle = [...lines.keys()].filter(plain).at(-1)!;
  lines.splice(middle + 1, 0, `${comment} ${tag}: a line the new version adds\n`);
  return lines.join('');
}

/** Build a variant of the package with `templates` edited; returns its root (with a working bin). */
export function buildVariant(
  templates: Readonly<Record<string, string>>,
  tag: string,
): { root: string; version: string } {
  const root = join(tempDir('ccp-variant-'), 'pkg');
  cpSync(ROOT, root, { recursive: true, filter: (src) => !SKIP.has(src.slice(ROOT.length).split('/')[0]!) });
  symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'));
  const pkgFile = join(root, 'package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { version: string };
  const version = nextMinor(pkg.version);
  writeFileSync(pkgFile, `${JSON.stringify({ ...pkg, version }, null, 2)}\n`);
  for (const [template, comment] of Object.entries(templates)) {
    const file = join(root, 'templates', template);
    writeFileSync(file, editTemplate(readFileSync(file, 'utf8'), comment, tag));
  }
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  return { root, version };
}
