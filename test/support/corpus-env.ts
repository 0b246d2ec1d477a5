/**
 * Test support for the corpus check list: the environment of every command an app's checks run, and
 * the real corepack that provides pnpm and yarn, as it does for the user. The workflow runs `corepack
 * enable` and the Dockerfile `npm install --global corepack@<pinned> && corepack enable`; here both
 * are that corepack from the npm registry, installed into a folder of the check (never the host's),
 * so pnpm and yarn are exactly the versions corepack picks from package.json "packageManager" (or its
 * own default when there is none). This machine reaches only the npm registry: COREPACK_NPM_REGISTRY
 * makes corepack fetch Yarn Berry from npm (@yarnpkg/cli-dist) rather than repo.yarnpkg.com; pnpm and
 * Yarn 1 come from the npm registry either way (see COREPACK_INTEGRITY_KEYS below for its signatures).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { run } from './app-harness.js';

/** Where corepack keeps the pnpm/yarn it downloaded: shared by every check, like the npm cache. */
const COREPACK_HOME = join(PACKAGE_ROOT, '.tmp', 'corepack');

/** Yarn Berry's cache and settings out of $HOME, like the npm cache. */
export const YARN_ENV = {
  YARN_GLOBAL_FOLDER: join(PACKAGE_ROOT, '.tmp', 'yarn-berry'),
  YARN_ENABLE_TELEMETRY: '0',
} as const;

/** Environment of every command: a shared npm cache preferred over revalidation, corepack settings, no test-runner variables. */
export function baseEnv(cache: string): NodeJS.ProcessEnv {
  // Corepack keeps Yarn Berry as a bare yarn.js: under this repo's package.json ("type": "module") Node
  // would load it as ESM and it crashes. A user's ~/.cache/node/corepack has no such parent.
  mkdirSync(COREPACK_HOME, { recursive: true });
  writeFileSync(join(COREPACK_HOME, 'package.json'), '{ "type": "commonjs" }\n');
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!/^(VITEST|NODE_OPTIONS$|NODE_ENV$|npm_|INIT_CWD|COREPACK_)/.test(k)) env[k] = v;
  return {
    ...env,
    npm_config_cache: cache,
    // A package the shared cache holds is not revalidated (each install still runs for real in its own clean folder).
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    COREPACK_HOME,
    COREPACK_NPM_REGISTRY: 'https://registry.npmjs.org',
    COREPACK_ENABLE_DOWNLOAD_PROMPT: '0',
    // The npm registry this machine reaches serves no `dist.signatures` (registry.npmjs.org does), so
    // corepack's signature check of a pnpm/yarn it downloads could never pass here: integrity only.
    COREPACK_INTEGRITY_KEYS: '0',
    ...YARN_ENV,
    CI: 'true',
    HUSKY: '0',
  };
}

/** `env` with `dir` first on PATH. */
export function withPath(env: NodeJS.ProcessEnv, dir: string): NodeJS.ProcessEnv {
  return { ...env, PATH: `${dir}${delimiter}${env.PATH ?? ''}` };
}

async function must(cmd: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<void> {
  const r = await run(cmd, args, { cwd, env, timeoutMs: 300_000 });
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.code}\n${r.stdout}${r.stderr}`.trim());
}

/** `npm install --global corepack@<version>` into `prefix` (its bin/ then holds corepack); returns the bin folder. */
export async function installCorepack(spec: string, prefix: string, env: NodeJS.ProcessEnv): Promise<string> {
  mkdirSync(prefix, { recursive: true });
  // An exact version: the app's `--before` date (its dependencies' resolution) does not apply.
  const { npm_config_before: _before, ...rest } = env;
  await must('npm', ['install', '--global', '--no-audit', '--no-fund', spec], prefix, {
    ...rest,
    npm_config_prefix: prefix,
  });
  const bin = join(prefix, 'bin');
  if (!existsSync(join(bin, 'corepack'))) throw new Error(`${spec} installed no bin/corepack under ${prefix}`);
  return bin;
}
