/**
 * End to end: npm pack → install the tarball into an empty folder, offline, with a fresh npm cache →
 * run the installed bin without a TTY. The package must stand alone: one package installed (no runtime
 * dependencies), small, the bundle and its resources shipped, nothing fetched.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
  return readdirSync(nm)
    .filter((n) => !n.startsWith('.'))
    .flatMap((name) => {
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
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', work], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  ) as Array<{ filename: string; files: Array<{ path: string }> }>;
  packedFiles = packed[0]!.files.map((f) => f.path).sort();
  const tarball = join(work, packed[0]!.filename);
  app = join(work, 'consumer');
  execFileSync('mkdir', ['-p', app]);
  writeFileSync(join(app, 'package.json'), '{ "name": "consumer", "private": true }\n');
  const cache = join(work, 'empty-npm-cache');
  execFileSync('npm', ['install', tarball, '--offline', '--cache', cache, '--no-audit', '--no-fund'], {
    cwd: app,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  bin = join(app, 'node_modules/.bin/create-canary-pipeline');
}, 300_000);

const run = (cmd: string, args: string[], cwd: string): { status: number | null; out: string } => {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CI: '' },
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
};

describe('the packed package', () => {
  it('ships the bundle, the parser, the Yeoman generator and the version manifests, and no sources or templates', () => {
    expect(packedFiles).toEqual(
      expect.arrayContaining([
        'bin/create-canary-pipeline.js',
        'dist/cli.cjs',
        'dist/cli.js',
        'dist/templates.cjs',
        'dist/templates.json',
        'dist/babel-parser.cjs',
        'dist/generators/app/index.js',
        'resources/terraform/versions.tf',
        'package.json',
        'LICENSE',
      ]),
    );
    expect(packedFiles.filter((f) => /^(src|templates|test|generators)\//.test(f) || f.endsWith('.ts'))).toEqual([]);
  });

  it('installs offline as one package of at most 2 MB, with no runtime dependencies', () => {
    const nm = join(app, 'node_modules');
    expect(packagesIn(nm).map((d) => d.slice(nm.length + 1))).toEqual(['create-canary-pipeline']);
    expect(bytesIn(nm)).toBeLessThan(2e6);
    const manifest = JSON.parse(readFileSync(join(nm, 'create-canary-pipeline/package.json'), 'utf8'));
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(manifest.peerDependenciesMeta).toEqual({
      'yeoman-environment': { optional: true },
      'yeoman-generator': { optional: true },
    });
  });

  it('installs a bin that scaffolds non-interactively, installing the new service (npm, as invoked)', () => {
    const r = spawnSync(bin, ['out', '--yes', ...ACCOUNT_ARGS], {
      cwd: work,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // The only stderr is npm's own (e.g. EBADENGINE: the service asks for a newer Node than this machine's).
    expect(r.stderr.split('\n').filter((l) => l && !l.startsWith('npm warn'))).toEqual([]);
    expect(r.status, r.stdout).toBe(0);
    expect(r.stdout).toContain('Installing dependencies with npm install');
    const files = listFiles(join(work, 'out'));
    expect(files).toEqual(
      expect.arrayContaining([
        '.yo-rc.json',
        '.github/workflows/deploy.yml',
        'terraform/main.tf',
        'Dockerfile',
        'package-lock.json',
        '.gitignore',
      ]),
    );
    expect(
      JSON.parse(readFileSync(join(work, 'out/.yo-rc.json'), 'utf8'))['create-canary-pipeline'].answers.githubRepo,
    ).toBe('acme/api');
    expect(r.stdout).not.toMatch(/npm install — creates package-lock\.json/);
  }, 300_000);

  it('the new service goes through npm ci, build and test from its own lockfile, and git ignores what it must', () => {
    const out = join(work, 'out');
    rmSync(join(out, 'node_modules'), { recursive: true, force: true });
    for (const [cmd, args] of [
      ['npm', ['ci', '--no-audit', '--no-fund']],
      ['npm', ['run', 'build']],
      ['npm', ['test']],
    ] as const) {
      const r = run(cmd, [...args], out);
      expect(r.status, `${cmd} ${args.join(' ')}\n${r.out}`).toBe(0);
    }
    expect(existsSync(join(out, 'dist/server.js'))).toBe(true);
    // .gitignore, read by git itself: node_modules, dist and local Terraform state stay out, the lockfile and .terraform.lock.hcl in.
    expect(run('git', ['init', '-q'], out).status).toBe(0);
    mkdirSync(join(out, 'terraform/.terraform'), { recursive: true });
    for (const f of [
      'terraform/terraform.tfstate',
      'terraform/terraform.tfstate.backup',
      'terraform/tfplan',
      'terraform/.terraform/x',
      '.env',
      '.env.local',
      'terraform/.terraform.lock.hcl',
      '.env.example',
    ])
      writeFileSync(join(out, f), 'x');
    const status = run('git', ['status', '--porcelain', '--untracked-files=all'], out)
      .out.split('\n')
      .map((l) => l.slice(3))
      .filter(Boolean);
    expect(status).toEqual(
      expect.arrayContaining([
        'package-lock.json',
        'package.json',
        '.gitignore',
        'terraform/.terraform.lock.hcl',
        '.env.example',
        '.yo-rc.json',
      ]),
    );
    for (const p of status)
      expect(p).not.toMatch(/^(node_modules|dist)\/|tfstate|tfplan|\.terraform\/|^\.env(\.local)?$/);
  }, 300_000);

  it('adopts an existing Express service (the parser loads from the installed package)', () => {
    const dir = copyFixture('esm-inline');
    const r = spawnSync(bin, ['.', '--yes', '--example'], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('Detected: Express');
    expect(readFileSync(join(dir, 'server.js'), 'utf8')).toContain('health-routes');
  });

  it('without a TTY and with values missing exits non-zero and writes nothing', () => {
    const r = spawnSync(bin, ['empty'], {
      cwd: work,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CI: '' },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('--vpc-id: missing');
    expect(existsSync(join(work, 'empty'))).toBe(false);
  });
});
