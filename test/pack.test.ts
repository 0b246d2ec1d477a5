/**
 * End to end: npm pack → install the tarball into an empty folder, offline, with a fresh npm cache →
 * run the installed bin without a TTY. The package must stand alone: one package installed (no runtime
 * dependencies), small, the bundle and its resources shipped, nothing fetched.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_ARGS, listFiles, tempDir } from './support/cli.js';
import { copyFixture, removeScratchDirs } from './fixtures/adopt/support.js';

afterAll(removeScratchDirs);

const root = new URL('..', import.meta.url).pathname;
let bin = '';
let work = '';
let app = '';
let packedFiles: string[] = [];

/** Folders with a package.json under node_modules (scoped and nested too). */
function packagesIn(nm: string): string[] {
  return readdirSync(nm).filter((n) => !n.startsWith('.')).flatMap((name) => {
    const dirs = name.startsWith('@') ? readdirSync(join(nm, name)).map((s) => join(nm, name, s)) : [join(nm, name)];
    return dirs.flatMap((d) => [
      ...(existsSync(join(d, 'package.json')) ? [d] : []),
      ...(existsSync(join(d, 'node_modules')) ? packagesIn(join(d, 'node_modules')) : []),
    ]);
  });
}

function bytesIn(dir: string): number {
  return readdirSync(dir).reduce((sum, name) => {
    const st = statSync(join(dir, name));
    return sum + (st.isDirectory() ? bytesIn(join(dir, name)) : st.size);
  }, 0);
}

beforeAll(() => {
  work = tempDir('ccp-pack-');
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) as Array<{ filename: string; files: Array<{ path: string }> }>;
  packedFiles = packed[0]!.files.map((f) => f.path).sort();
  const tarball = join(work, packed[0]!.filename);
  app = join(work, 'consumer');
  execFileSync('mkdir', ['-p', app]);
  writeFileSync(join(app, 'package.json'), '{ "name": "consumer", "private": true }\n');
  const cache = join(work, 'empty-npm-cache');
  execFileSync('npm', ['install', tarball, '--offline', '--cache', cache, '--no-audit', '--no-fund'], { cwd: app, stdio: ['ignore', 'pipe', 'pipe'] });
  bin = join(app, 'node_modules/.bin/create-canary-pipeline');
}, 300_000);

describe('the packed package', () => {
  it('ships the bundle, the parser, the Yeoman generator and the version manifests, and no sources or templates', () => {
    expect(packedFiles).toEqual(expect.arrayContaining(['bin/create-canary-pipeline.js', 'dist/cli.js', 'dist/templates.json', 'dist/babel-parser.cjs', 'dist/generators/app/index.js', 'resources/terraform/versions.tf', 'package.json']));
    expect(packedFiles.filter((f) => /^(src|templates|test|generators)\//.test(f) || f.endsWith('.ts'))).toEqual([]);
  });

  it('installs offline as one package of at most 2 MB, with no runtime dependencies', () => {
    const nm = join(app, 'node_modules');
    expect(packagesIn(nm).map((d) => d.slice(nm.length + 1))).toEqual(['create-canary-pipeline']);
    expect(bytesIn(nm)).toBeLessThan(2e6);
    const manifest = JSON.parse(readFileSync(join(nm, 'create-canary-pipeline/package.json'), 'utf8'));
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(manifest.peerDependenciesMeta).toEqual({ 'yeoman-environment': { optional: true }, 'yeoman-generator': { optional: true } });
  });

  it('installs a bin that scaffolds non-interactively', () => {
    const r = spawnSync(bin, ['out', '--yes', ...ACCOUNT_ARGS], { cwd: work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const files = listFiles(join(work, 'out'));
    expect(files).toEqual(expect.arrayContaining(['.yo-rc.json', '.github/workflows/deploy.yml', 'terraform/main.tf', 'Dockerfile']));
    expect(JSON.parse(readFileSync(join(work, 'out/.yo-rc.json'), 'utf8'))['create-canary-pipeline'].answers.githubRepo).toBe('acme/api');
  });

  it('adopts an existing Express service (the parser loads from the installed package)', () => {
    const dir = copyFixture('esm-inline');
    const r = spawnSync(bin, ['.', '--yes', '--example'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('Detected: Express');
    expect(readFileSync(join(dir, 'server.js'), 'utf8')).toContain('health-routes');
  });

  it('without a TTY and with values missing exits non-zero and writes nothing', () => {
    const r = spawnSync(bin, ['empty'], { cwd: work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: '' } });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('--vpc-id: missing');
    expect(existsSync(join(work, 'empty'))).toBe(false);
  });
});
