/**
 * How the service installs its dependencies on a clean checkout (CI and the image): the package
 * manager and its lockfile (only a lockfile git will actually have counts), the config files the
 * install reads, the root install scripts and what they need, and the warnings when a clean checkout
 * cannot reproduce the install.
 */
import { posix } from 'node:path';
import type { PackageManager } from './facts.js';
import { gitFileStatus } from './git.js';
import type { Manifest } from './manifest.js';
import { isDirectory as isDir, isFile, readText } from './read.js';
import { shellWords } from './start-script.js';
import { existsSync } from 'node:fs';

/** Install facts of an adopted service. */
export interface InstallFacts {
  readonly packageManager: PackageManager;
  readonly yarnClassic?: boolean;
  /** The lockfile a clean checkout has; undefined: the install cannot be frozen. */
  readonly lockfile?: string;
  /** Files copied before the install (package.json, lockfile, package-manager config, files scripts run). */
  readonly installFiles: readonly string[];
  /** Directories copied before the install (patch-package patches, Yarn releases and plugins, …). */
  readonly installDirs: readonly string[];
  /** Root install scripts the production install cannot run (their tools are devDependencies). */
  readonly devOnlyScripts: readonly string[];
  readonly warnings: readonly string[];
}

const LOCKFILES: readonly [string, PackageManager][] = [
  ['package-lock.json', 'npm'],
  ['npm-shrinkwrap.json', 'npm'],
  ['yarn.lock', 'yarn'],
  ['pnpm-lock.yaml', 'pnpm'],
];
/** Config files each install reads when present. */
const CONFIG_FILES = ['.npmrc', '.yarnrc', '.yarnrc.yml', '.pnpmfile.cjs', 'pnpm-workspace.yaml'];
const CONFIG_DIRS = ['.yarn/releases', '.yarn/plugins', '.yarn/patches', '.yarn/sdks'];
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare'];
/** Commands that need nothing from node_modules. */
const SHELL = new Set(['node', 'echo', 'true', 'exit', 'test', '[', 'cd', 'cp', 'mkdir', 'rm', 'sh', 'bash']);

/**
 * The package manager of a service this generator created (its re-runs skip code detection): the
 * "packageManager" field, else the lockfile it wrote, else npm. No git: that service has one lockfile.
 */
export function ownServicePackageManager(
  dir: string,
  packageManagerField?: string,
): { pm: PackageManager; yarnClassic?: boolean; version?: string } {
  const named = /^(npm|pnpm|yarn|bun)@([^\s+]*)/.exec(packageManagerField ?? '');
  // bun: its version pins the image's bun too (corepack pins pnpm/yarn from the field itself).
  if (named?.[1] === 'bun' || (!named && isFile(dir, 'bun.lock')))
    return { pm: 'bun', ...(named?.[2] ? { version: named[2] } : {}) };
  const pm = (named?.[1] as PackageManager | undefined) ?? LOCKFILES.find(([file]) => isFile(dir, file))?.[1] ?? 'npm';
  return pm === 'yarn' ? { pm, yarnClassic: isYarnClassic(dir, packageManagerField) } : { pm };
}

/** Yarn 1 ("classic") rather than Berry; a `packageManager` field decides first. */
export function isYarnClassic(dir: string, packageManagerField?: string): boolean {
  const field = /^yarn@(\d+)/.exec(packageManagerField ?? '');
  if (field) return field[1] === '1';
  return !isFile(dir, '.yarnrc.yml') && !/^__metadata:/m.test(readText(dir, 'yarn.lock') ?? '');
}

/** Package managers the scripts call (`pnpm lint && …`), as a hint when the lockfiles do not decide. */
function scriptHints(m: Manifest): Set<PackageManager> {
  const out = new Set<PackageManager>();
  for (const s of Object.values(m.scripts)) for (const w of shellWords(s)) if (w === 'pnpm' || w === 'yarn') out.add(w);
  return out;
}

/** The lockfiles a clean checkout has: tracked by git (or, outside git, present and not ignored). */
function usableLockfiles(dir: string): { usable: string[]; ignored: string[] } {
  const present = LOCKFILES.map(([f]) => f).filter((f) => isFile(dir, f));
  const git = gitFileStatus(dir, present);
  if (!git) return { usable: present, ignored: [] };
  const ignored = present.filter((f) => git.ignored.has(f) && !git.tracked.has(f));
  return { usable: present.filter((f) => !ignored.includes(f)), ignored };
}

/** Pick the package manager and lockfile, saying why when it is not obvious. */
function choose(dir: string, m: Manifest): { pm: PackageManager; lockfile?: string; warnings: string[] } {
  const field = /^(npm|pnpm|yarn)@/.exec(m.packageManager ?? '')?.[1] as PackageManager | undefined;
  const { usable, ignored } = usableLockfiles(dir);
  const warnings = ignored.map(
    (f) =>
      `${f} is ignored by git, so a clean checkout (CI, the image build) does not have it: commit it, or the install is not reproducible.`,
  );
  const of = (pm: PackageManager): string | undefined =>
    usable.find((f) => LOCKFILES.find(([l]) => l === f)?.[1] === pm);
  if (field) {
    const lockfile = of(field);
    const stale = usable.filter((f) => f !== lockfile);
    if (stale.length)
      warnings.push(
        `package.json says "packageManager": "${m.packageManager}", so ${field} is used; ${stale.join(', ')} ${stale.length > 1 ? 'look' : 'looks'} stale: delete ${stale.length > 1 ? 'them' : 'it'}.`,
      );
    return { pm: field, lockfile, warnings };
  }
  const managers = [...new Set(usable.map((f) => LOCKFILES.find(([l]) => l === f)![1]))];
  if (managers.length === 1) return { pm: managers[0]!, lockfile: usable[0], warnings };
  if (managers.length > 1) {
    const hints = scriptHints(m);
    const hinted = managers.filter((pm) => hints.has(pm as 'pnpm' | 'yarn'));
    const pm = hinted.length === 1 ? hinted[0]! : managers.includes('npm') ? 'npm' : managers[0]!;
    const why = hinted.length === 1 ? `the scripts call ${pm}` : 'nothing says which one is current';
    warnings.push(
      `several lockfiles (${usable.join(', ')}): using ${pm} because ${why}. Delete the stale lockfile, or set "packageManager" in package.json (corepack use <pm>@<version>).`,
    );
    return { pm, lockfile: of(pm), warnings };
  }
  const hinted = [...scriptHints(m)];
  return { pm: hinted.length === 1 ? hinted[0]! : 'npm', warnings };
}

/** The first word of each command of a script, with env assignments and runners (`npx`, `cross-env`) skipped. */
function commandWords(script: string): string[][] {
  return script
    .split(/&&|\|\||;/)
    .map((c) => {
      const w = shellWords(c.trim());
      while (
        w.length &&
        (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w[0]!) || ['npx', 'cross-env', 'env', 'exec', '--no-install'].includes(w[0]!))
      )
        w.shift();
      return w;
    })
    .filter((w) => w.length > 0);
}

/** Whether a root script can run in a production install, and the repo paths it names. */
function scriptNeeds(dir: string, m: Manifest, name: string, depth = 0): { runnable: boolean; paths: string[] } {
  const paths: string[] = [];
  let runnable = true;
  for (const words of commandWords(m.scripts[name] ?? '')) {
    const [cmd, ...args] = words;
    const run =
      (cmd === 'npm' && args[0] === 'run') || cmd === 'yarn' || cmd === 'pnpm'
        ? args[0] === 'run'
          ? args[1]
          : args[0]
        : undefined;
    if (run && m.scripts[run] && depth < 3) {
      const inner = scriptNeeds(dir, m, run, depth + 1);
      runnable &&= inner.runnable;
      paths.push(...inner.paths);
      continue;
    }
    if (!SHELL.has(cmd!) && !(cmd! in m.dependencies)) runnable = false;
    for (const a of args)
      if (!a.startsWith('-') && /[/.]/.test(a) && existsSync(posix.join(dir, a))) paths.push(posix.normalize(a));
    if (cmd === 'patch-package' && isDir(dir, 'patches')) paths.push('patches');
  }
  return { runnable, paths };
}

/** Install facts for the service in `dir`. */
export function detectInstall(dir: string, m: Manifest): InstallFacts {
  const { pm, lockfile, warnings } = choose(dir, m);
  const yarnClassic = pm === 'yarn' ? isYarnClassic(dir, m.packageManager) : undefined;
  const files = ['package.json', ...(lockfile ? [lockfile] : []), ...CONFIG_FILES.filter((f) => isFile(dir, f))];
  const dirs = CONFIG_DIRS.filter((d) => isDir(dir, d));
  const devOnly: string[] = [];
  for (const name of INSTALL_SCRIPTS.filter((s) => m.scripts[s])) {
    const needs = scriptNeeds(dir, m, name);
    for (const p of needs.paths) (isDir(dir, p) ? dirs : files).push(p);
    if (needs.runnable) continue;
    devOnly.push(name);
    if (/patch-package|prisma|node-gyp|husky/.test(m.scripts[name]!) && !/husky/.test(m.scripts[name]!)) {
      warnings.push(
        `scripts.${name} (${m.scripts[name]}) needs devDependencies, so the production install in the image skips it: its changes to node_modules do not reach the image; move its tool to "dependencies".`,
      );
    }
  }
  if (!lockfile)
    warnings.push(
      `no ${pm} lockfile in a clean checkout: CI and the image install whatever versions resolve that day (not a frozen install); commit one.`,
    );
  if (pm !== 'npm' && !m.packageManager)
    warnings.push(
      `package.json has no "packageManager" field: corepack then picks its own ${pm} version for CI and the image, which may not read your lockfile; pin yours with \`corepack use ${pm}@<version>\` and commit package.json.`,
    );
  return {
    packageManager: pm,
    yarnClassic,
    lockfile,
    installFiles: [...new Set(files)],
    installDirs: [...new Set(dirs)],
    devOnlyScripts: devOnly,
    warnings,
  };
}
