/**
 * How an adopted service installs on a clean checkout: which package manager and lockfile (only one
 * git will have counts; several are a warning, never a silent pick of pnpm), what the install needs
 * copied first (.npmrc, patches/, files install scripts run), which root install scripts a production
 * install cannot run, and the Dockerfile/CI commands that follow.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectInstall } from '../src/detect/install.js';
import { parseManifest } from '../src/detect/manifest.js';
import { serviceInstall } from '../src/context/package-manager.js';
import { detectProject } from '../src/detect/index.js';
import { addedCodeLayout } from '../src/detect/facts.js';
import { removeScratchDirs, scratchDir } from './fixtures/adopt/support.js';

afterAll(removeScratchDirs);

function repo(files: Record<string, string | object>, git?: { ignore?: string; commit?: boolean }): string {
  const dir = scratchDir('install-');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  if (git) {
    if (git.ignore) writeFileSync(join(dir, '.gitignore'), git.ignore);
    const run = (...args: string[]): void => void execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
    run('init', '-q');
    if (git.commit) {
      run('add', '-A');
      run('-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'x');
    }
  }
  return dir;
}

const install = (dir: string): ReturnType<typeof detectInstall> =>
  detectInstall(dir, parseManifest(readFileSync(join(dir, 'package.json'), 'utf8')));
const pkg = (extra: object = {}): object => ({ name: 'svc', dependencies: { express: '5' }, ...extra });

describe('package manager and lockfile', () => {
  it('one lockfile decides', () => {
    expect(install(repo({ 'package.json': pkg({ packageManager: 'yarn@1.22.22' }), 'yarn.lock': '' }))).toMatchObject({
      packageManager: 'yarn',
      lockfile: 'yarn.lock',
      warnings: [],
    });
  });

  it('a lockfile git ignores does not count: the install is not frozen, and the warning says why', () => {
    const r = install(
      repo({ 'package.json': pkg(), 'package-lock.json': '{}' }, { ignore: 'package-lock.json\n', commit: true }),
    );
    expect(r.lockfile).toBeUndefined();
    expect(r.warnings).toEqual([
      expect.stringContaining('package-lock.json is ignored by git'),
      expect.stringContaining('no npm lockfile in a clean checkout'),
    ]);
    const pm = serviceInstall({
      mode: 'adopt',
      folderName: 'x',
      packageManager: 'npm',
      scripts: { test: false, lint: false, build: false },
      installFiles: r.installFiles,
      layout: addedCodeLayout('.', 'js', '.', undefined),
    });
    expect([pm.install, pm.prodInstall, pm.manifests]).toEqual([
      'npm install',
      'npm install --omit=dev',
      'package.json',
    ]);
  });

  it('a stale second lockfile never makes it pnpm silently: the one the scripts use wins, with a warning', () => {
    const r = install(
      repo({
        'package.json': pkg({ scripts: { check: 'yarn lint && yarn test' } }),
        'yarn.lock': '',
        'pnpm-lock.yaml': '',
      }),
    );
    expect(r).toMatchObject({ packageManager: 'yarn', lockfile: 'yarn.lock' });
    expect(r.warnings[0]).toMatch(
      /several lockfiles \(yarn\.lock, pnpm-lock\.yaml\): using yarn because the scripts call yarn/,
    );
  });

  it('npm wins over pnpm when nothing else says, and the user is told to delete the stale one', () => {
    const r = install(repo({ 'package.json': pkg(), 'package-lock.json': '{}', 'pnpm-lock.yaml': '' }));
    expect(r).toMatchObject({ packageManager: 'npm', lockfile: 'package-lock.json' });
    expect(r.warnings[0]).toMatch(/several lockfiles .*using npm because nothing says which one is current/);
  });

  it('the packageManager field decides, and the other lockfile is called stale', () => {
    const r = install(
      repo({ 'package.json': pkg({ packageManager: 'pnpm@10.8.1' }), 'package-lock.json': '{}', 'pnpm-lock.yaml': '' }),
    );
    expect(r).toMatchObject({ packageManager: 'pnpm', lockfile: 'pnpm-lock.yaml' });
    expect(r.warnings).toEqual([expect.stringContaining('package-lock.json looks stale')]);
  });

  it('pnpm or yarn without a packageManager field is a warning: corepack would pick its own version', () => {
    expect(install(repo({ 'package.json': pkg(), 'pnpm-lock.yaml': '' })).warnings).toEqual([
      expect.stringContaining('corepack use pnpm@<version>'),
    ]);
  });

  it('copies .npmrc and Yarn releases before the install', () => {
    const r = install(
      repo({
        'package.json': pkg({ packageManager: 'yarn@4.5.0' }),
        'yarn.lock': '__metadata:\n',
        '.yarnrc.yml': 'yarnPath: .yarn/releases/yarn-4.5.0.cjs\n',
        '.yarn/releases/yarn-4.5.0.cjs': '',
        '.npmrc': 'legacy-peer-deps=true\n',
      }),
    );
    expect(r).toMatchObject({
      yarnClassic: false,
      installFiles: ['package.json', 'yarn.lock', '.npmrc', '.yarnrc.yml'],
      installDirs: ['.yarn/releases'],
    });
  });
});

describe('root install scripts', () => {
  it('a prepare script whose tool is a devDependency is dropped from the production install only', () => {
    const dir = repo({
      'package.json': pkg({ scripts: { prepare: 'husky install' }, devDependencies: { husky: '8' } }),
      'package-lock.json': '{}',
    });
    const r = install(dir);
    expect([r.devOnlyScripts, r.warnings]).toEqual([['prepare'], []]);
    const facts = detectProject(dir, { readGithubRepo: () => undefined });
    expect(serviceInstall(facts).prodInstall).toBe('npm pkg delete scripts.prepare && npm ci --omit=dev');
    expect(serviceInstall(facts).install).toBe('npm ci');
  });

  it('patch-package in dependencies runs in the production install, with patches/ copied first', () => {
    const r = install(
      repo({
        'package.json': pkg({
          scripts: { postinstall: 'patch-package' },
          dependencies: { express: '5', 'patch-package': '8' },
        }),
        'package-lock.json': '{}',
        'patches/express+5.0.0.patch': '',
      }),
    );
    expect([r.devOnlyScripts, r.installDirs]).toEqual([[], ['patches']]);
  });

  it('patch-package as a devDependency is dropped and the user is told the patches will not reach the image', () => {
    const r = install(
      repo({
        'package.json': pkg({ scripts: { postinstall: 'patch-package' }, devDependencies: { 'patch-package': '8' } }),
        'package-lock.json': '{}',
        'patches/x.patch': '',
      }),
    );
    expect(r.devOnlyScripts).toEqual(['postinstall']);
    expect(r.warnings).toEqual([expect.stringContaining('its changes to node_modules do not reach the image')]);
  });

  it('a script running a file of the repo gets that file copied before the install', () => {
    const r = install(
      repo({
        'package.json': pkg({ scripts: { postinstall: 'node scripts/setup.js --quiet' } }),
        'package-lock.json': '{}',
        'scripts/setup.js': '',
      }),
    );
    expect([r.devOnlyScripts, r.installFiles]).toEqual([[], ['package.json', 'package-lock.json', 'scripts/setup.js']]);
  });
});
