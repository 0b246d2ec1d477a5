/**
 * No real code makes adoption crash (issue 10: "no input from the corpus, or any Express app"). The
 * inputs are every package installed in node_modules: code by hundreds of authors in every shape
 * (CommonJS, ES modules, TypeScript and its declarations, bundles, minified files, odd entry points).
 * Each is made an "Express service" by adding express to its dependencies (a hard-linked copy under
 * .tmp, so the files are the real ones) and adopted with `--yes --example --dry-run`: the run must end
 * with a plan (0) or a clear one-line refusal (1), never a crash (70) or a stack trace, and a dry run
 * writes nothing.
 */
import { linkSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../src/paths.js';
import { cli } from './support/cli.js';

const NODE_MODULES = join(PACKAGE_ROOT, 'node_modules');
const WORK = join(PACKAGE_ROOT, '.tmp', 'adopt-sweep');

/** Every top-level package folder (scoped ones too) that has a package.json. */
function installedPackages(): string[] {
  const names: string[] = [];
  for (const n of readdirSync(NODE_MODULES)) {
    if (n.startsWith('.')) continue;
    if (n.startsWith('@')) for (const m of readdirSync(join(NODE_MODULES, n))) names.push(`${n}/${m}`);
    else names.push(n);
  }
  return names.filter((n) => existsSync(join(NODE_MODULES, n, 'package.json'))).sort();
}

/** Hard-link the package's files (not its nested node_modules) into `to`; returns the relative paths. */
function linkTree(from: string, to: string, base = from, out: string[] = []): string[] {
  mkdirSync(to, { recursive: true });
  for (const e of readdirSync(from, { withFileTypes: true })) {
    if (e.name === 'node_modules') continue;
    const src = join(from, e.name);
    if (e.isDirectory()) linkTree(src, join(to, e.name), base, out);
    else if (e.isFile()) {
      linkSync(src, join(to, e.name));
      out.push(relative(base, src));
    }
  }
  return out;
}

const packages = installedPackages();
rmSync(WORK, { recursive: true, force: true });
afterAll(() => rmSync(WORK, { recursive: true, force: true }));

describe('adopting every installed package as if it were an Express service', () => {
  it('has real input to sweep', () => {
    expect(packages.length).toBeGreaterThan(300);
  });

  it.each(packages)('%s: a plan or a clear refusal, never a crash', async (name) => {
    const dir = join(WORK, name.replace('/', '+'));
    const files = linkTree(join(NODE_MODULES, name), dir);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    rmSync(join(dir, 'package.json'));
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ ...manifest, dependencies: { ...manifest.dependencies, express: '^4.21.0' } }),
    );
    const before = files.map((f) => statSync(join(dir, f)).mtimeMs);
    const r = await cli([dir, '--yes', '--example', '--dry-run'], PACKAGE_ROOT);
    const shown = `exit ${r.code}\n${r.stderr.slice(0, 2000)}`;
    expect([0, 1], shown).toContain(r.code);
    expect(r.stderr, shown).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    if (r.code === 1) expect(r.stderr.trim().split('\n')[0], shown).toMatch(/^create-canary-pipeline: /);
    expect(readdirSync(dir).sort(), 'a dry run creates nothing').toEqual(
      [...new Set(files.map((f) => f.split('/')[0]!))].sort(),
    );
    expect(files.map((f) => statSync(join(dir, f)).mtimeMs)).toEqual(before);
    rmSync(dir, { recursive: true, force: true });
  });
});
