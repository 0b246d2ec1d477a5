/**
 * Test support: the real-world adopt corpus (issue 10). Each app is published on the npm registry by
 * people outside this project; test/fixtures/real-corpus.json pins it by name, exact version and the
 * registry's sha512 integrity. `npm pack` downloads the tarball into a cache under .tmp (re-used while
 * its integrity matches), the integrity is checked, and the app is extracted (or written by the
 * package's own generator CLI) into a scratch folder, never into the repository. No fetched code is
 * committed: only the manifest. A registry that cannot be reached makes the caller fail, not skip.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { run } from './app-harness.js';
import { YARN_ENV } from './corpus-env.js';
import type { Dependency } from './corpus.js';

/** One app of the manifest. */
export interface RealApp {
  readonly name: string;
  readonly package: string;
  readonly version: string;
  /** `dist.integrity` of the registry (sha512). */
  readonly integrity: string;
  readonly license: string;
  /** The licence file inside the tarball (checked present). */
  readonly licenseFile: string;
  /** The folder of the extracted package that is the app; or, with `generate`, where the CLI lives. */
  readonly subfolder?: string;
  /** The package's own generator: its bin (relative to the package) and arguments; the app is written to `<out>`. */
  readonly generate?: { readonly bin: string; readonly args: readonly string[] };
  /**
   * The package's own generator as a function its module exports (for a CLI that only asks questions on a
   * terminal): called with `args` (JSON) in the scratch folder, it writes the app to `<dest>/source`.
   */
  readonly generateCall?: { readonly module: string; readonly export: string; readonly args: readonly unknown[] };
  /** Files the package's own generator renames when it copies the template (from → to). */
  readonly rename?: Readonly<Record<string, string>>;
  readonly shape: string;
  readonly dependency: Dependency | 'none';
  /** The app's own variable names for its dependency: 'url' (the whole URL) or a URL part. */
  readonly env?: Readonly<Record<string, 'url' | 'host' | 'port' | 'user' | 'password' | 'database'>>;
  /** Extra fixed variables the app's own config requires (its documented settings). */
  readonly fixedEnv?: Readonly<Record<string, string>>;
  /** Why the app needs `fixedEnv` (what the user does after the generator's warning). */
  readonly fixedEnvWhy?: string;
  readonly ownRoute: string;
  /** For an app that cannot run here: what detection must find (ProjectFacts fields), checked instead. */
  readonly detects?: Readonly<Record<string, string>>;
  /** Why `ownRoute` is not the app's main route, when it is not. */
  readonly ownRouteWhy?: string;
  /** `npm install --before`: caret ranges resolve as on this date (reproducible installs). */
  readonly before: string;
  /** A lockfile of another package manager, made at materialise time by that manager itself. */
  readonly lockfile?: LockfileSpec;
}

/**
 * How the app gets its pnpm or yarn lockfile: npm resolves the tree as on `before` (a v2 package-lock,
 * which `yarn import` reads), then the package manager from the npm registry converts it (`pnpm import`,
 * `yarn import`; Yarn Berry migrates the Yarn 1 lockfile with `yarn install --mode=update-lockfile`).
 */
export interface LockfileSpec {
  /** The npm package and version that writes the lockfile: `pnpm@x`, `yarn@1.x` or `@yarnpkg/cli-dist@x` (Berry). */
  readonly tool: string;
  /** Whether package.json gets `"packageManager": "<pnpm|yarn>@<version>"`, as `corepack use` writes it. */
  readonly packageManager: boolean;
  /** Berry: the .yarnrc.yml the app commits. */
  readonly yarnrc?: string;
}

export interface RealManifest {
  readonly apps: readonly RealApp[];
}

/** Run a command to exit 0 or throw with its output; async, so the app checked alongside keeps running. */
async function sh(
  cmd: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const r = await run(cmd, args, { cwd, env, timeoutMs: 300_000 });
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.code}\n${r.stdout}${r.stderr}`);
}

export function loadManifest(file: string): RealManifest {
  return JSON.parse(readFileSync(file, 'utf8')) as RealManifest;
}

/** sha512 Subresource-Integrity string of a file, the form npm's `dist.integrity` uses. */
export function integrityOf(file: string): string {
  return `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`;
}

/** The tarball of `app` in `cache`, downloaded with `npm pack` unless a copy with the right integrity is there. */
export function packedTarball(app: RealApp, cache: string, npmCache: string): Promise<string> {
  // One download per tarball even when two variants of the same package are materialised at once.
  const key = `${cache}\0${app.package}@${app.version}`;
  const pending = packing.get(key) ?? pack(app, cache, npmCache);
  packing.set(key, pending);
  return pending;
}

const packing = new Map<string, Promise<string>>();

async function pack(app: RealApp, cache: string, npmCache: string): Promise<string> {
  mkdirSync(cache, { recursive: true });
  const file = join(cache, `${app.package.replace(/^@/, '').replace('/', '-')}-${app.version}.tgz`);
  if (existsSync(file) && integrityOf(file) === app.integrity) return file;
  rmSync(file, { force: true });
  await sh('npm', ['pack', `${app.package}@${app.version}`, '--pack-destination', cache], cache, {
    ...process.env,
    npm_config_cache: npmCache,
    npm_config_prefer_offline: 'true',
  });
  if (!existsSync(file)) throw new Error(`npm pack ${app.package}@${app.version} wrote no ${file}`);
  const got = integrityOf(file);
  if (got !== app.integrity)
    throw new Error(`${app.package}@${app.version}: integrity ${got} is not the pinned ${app.integrity}`);
  return file;
}

/** Extract `app` into `dest` (a fresh folder) and return the folder of the app itself. */
export async function materialise(app: RealApp, tarball: string, dest: string, npmCache: string): Promise<string> {
  rmSync(dest, { recursive: true, force: true });
  const unpacked = join(dest, 'package-src');
  mkdirSync(unpacked, { recursive: true });
  await sh('tar', ['xzf', tarball, '-C', unpacked, '--strip-components=1'], dest);
  if (!existsSync(join(unpacked, app.licenseFile)))
    throw new Error(`${app.package}@${app.version}: no licence file ${app.licenseFile} in the tarball`);
  const out = join(dest, 'source');
  if (app.generate) {
    // The generator's own dependencies, resolved as on the pinned date, then its CLI writes the app.
    const env = {
      ...process.env,
      npm_config_cache: npmCache,
      npm_config_before: app.before,
      npm_config_prefer_offline: 'true',
    };
    await sh('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--ignore-scripts'], unpacked, env);
    await sh(process.execPath, [join(unpacked, app.generate.bin), ...app.generate.args, out], dest, env);
  } else if (app.generateCall) {
    const { module, export: name, args } = app.generateCall;
    const script = `const m = await import(${JSON.stringify(pathToFileURL(join(unpacked, module)).href)}); await m[${JSON.stringify(name)}](...${JSON.stringify(args)});`;
    await sh(process.execPath, ['--input-type=module', '-e', script], dest);
  } else {
    cpSync(join(unpacked, app.subfolder ?? '.'), out, { recursive: true });
  }
  for (const [from, to] of Object.entries(app.rename ?? {}))
    if (existsSync(join(out, from))) renameSync(join(out, from), join(out, to));
  if (!existsSync(join(out, 'package.json'))) throw new Error(`${app.name}: no package.json in ${out}`);
  if (app.lockfile)
    await makeLockfile(app.lockfile, out, {
      ...process.env,
      npm_config_cache: npmCache,
      npm_config_before: app.before,
      npm_config_prefer_offline: 'true',
      ...YARN_ENV,
    });
  return out;
}

async function makeLockfile(lock: LockfileSpec, out: string, env: NodeJS.ProcessEnv): Promise<void> {
  const [, pkg = '', version = ''] = /^(pnpm|yarn|@yarnpkg\/cli-dist)@(\d+\.\d+\.\d+)$/.exec(lock.tool) ?? [];
  if (!pkg) throw new Error(`lockfile tool ${lock.tool}: expected pnpm@x.y.z, yarn@x.y.z or @yarnpkg/cli-dist@x.y.z`);
  const pm = pkg === 'pnpm' ? 'pnpm' : 'yarn';
  // The tool is named by exact version: the --before date pins the app's dependency ranges, not it.
  const { npm_config_before: _before, ...toolEnv } = env;
  const tool = (spec: string, ...args: string[]): Promise<void> =>
    sh('npx', ['--yes', '--package', spec, '--', pm, ...args], out, toolEnv);
  await sh('npm', ['install', '--package-lock-only', '--ignore-scripts', '--lockfile-version=2'], out, env);
  if (pkg === 'pnpm') await tool(lock.tool, 'import');
  else await tool(pkg === 'yarn' ? lock.tool : 'yarn@1.22.22', 'import');
  // Only what a clean checkout has: the conversion's package-lock.json and node_modules (yarn import
  // leaves a .yarn-integrity there that makes a later `yarn install` a no-op) are not committed.
  rmSync(join(out, 'package-lock.json'));
  rmSync(join(out, 'node_modules'), { recursive: true, force: true });
  // After the import: Yarn 1 refuses to run in a project whose field names Berry.
  if (lock.packageManager) await sh('npm', ['pkg', 'set', `packageManager=${pm}@${version}`], out, env);
  if (pkg !== '@yarnpkg/cli-dist') return;
  writeFileSync(join(out, '.yarnrc.yml'), lock.yarnrc ?? '');
  await tool(lock.tool, 'install', '--mode=update-lockfile');
  // Berry's install state is not committed either.
  rmSync(join(out, '.yarn'), { recursive: true, force: true });
  rmSync(join(out, 'node_modules'), { recursive: true, force: true });
  if (!/^__metadata:/m.test(readFileSync(join(out, 'yarn.lock'), 'utf8')))
    throw new Error(`${lock.tool} did not migrate yarn.lock`);
}

/** The app's own environment for its dependency URL, from the manifest's mapping. */
export function appEnvFor(app: RealApp): (url: string) => Record<string, string> {
  return (url) => {
    const env: Record<string, string> = { ...app.fixedEnv };
    if (!url) return env;
    const u = new URL(url);
    const part = {
      url,
      host: u.hostname,
      port: u.port,
      user: decodeURIComponent(u.username),
      password: decodeURIComponent(u.password),
      database: u.pathname.slice(1),
    };
    for (const [name, which] of Object.entries(app.env ?? {})) env[name] = part[which];
    return env;
  };
}

/**
 * Start `task` for every item, at most `limit` at a time, in the items' order; one promise per item.
 * `task` must not reject (a rejection nobody awaits yet would be reported as unhandled).
 */
export function inPool<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R>[] {
  let active = 0;
  const waiting: (() => void)[] = [];
  const acquire = (): Promise<void> =>
    new Promise((resolve) => {
      if (active < limit) {
        active++;
        resolve();
      } else waiting.push(resolve);
    });
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else active--;
  };
  return items.map(async (item) => {
    await acquire();
    try {
      return await task(item);
    } finally {
      release();
    }
  });
}

/** `rm -rf` in a child process: removing an app's node_modules copies must not block the app checked alongside. */
export async function removeTree(dir: string): Promise<void> {
  await sh('rm', ['-rf', '--', dir], '/');
}

/**
 * Where the apps' scratch folders go: memory (/dev/shm) when it has room for two apps' installs and
 * image stages, else the temp folder. Each app writes and deletes ~1 GB of node_modules copies; on a
 * disk shared with other jobs that costs more than the installs themselves.
 */
export function scratchRoot(minFreeBytes = 6 * 1024 ** 3): string {
  try {
    const fs = statfsSync('/dev/shm');
    // Native addons (swc, bcrypt) are loaded from node_modules: a noexec mount cannot hold them.
    const noexec = /^\S+ \/dev\/shm \S+ \S*\bnoexec\b/m.test(readFileSync('/proc/mounts', 'utf8'));
    if (!noexec && fs.bavail * fs.bsize >= minFreeBytes) return '/dev/shm';
  } catch {
    // no /dev/shm (not Linux): the temp folder
  }
  return tmpdir();
}
