/**
 * Load the package's CommonJS files (dist/cli.cjs, dist/templates.cjs, dist/babel-parser.cjs) through
 * V8's code cache, as Node 22's module.enableCompileCache does for every module: the first run compiles
 * them and, at exit, saves the compiled code (with every function the run compiled on the way); later
 * runs start from that instead of parsing and compiling them again (the CLI bundle alone is about 7 % of a
 * scaffold's instructions). The cache is an optimisation only: a missing, stale, damaged or unwritable
 * cache never changes what a run does.
 *
 * CREATE_CANARY_PIPELINE_CODE_CACHE: unset = `$XDG_CACHE_HOME/create-canary-pipeline` (else
 * `~/.cache/create-canary-pipeline`); `0` or `off` = no cache; anything else = that directory.
 * Bundled by scripts/build.mjs into dist/cli.js (the module every door imports) and into dist/cli.cjs
 * (which loads the templates and the parser through it).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

const SUFFIX = '.v8cache';

/** The cache directory, or undefined when the cache is off. */
export function codeCacheDir(env: NodeJS.ProcessEnv): string | undefined {
  const setting = env.CREATE_CANARY_PIPELINE_CODE_CACHE;
  if (setting === '0' || setting === 'off') return undefined;
  if (setting) return setting;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'create-canary-pipeline');
}

/**
 * The cache file for this source on this Node: V8 itself rejects data from another V8 version or flags,
 * but checks only the source's length, so the name carries a hash of the source.
 */
export function codeCacheFile(dir: string, name: string, source: string): string {
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 20);
  return join(dir, `${name}-${process.version}-${process.arch}-${hash}${SUFFIX}`);
}

function readCache(file: string | undefined): Buffer | undefined {
  if (file === undefined) return undefined;
  try {
    return readFileSync(file);
  } catch {
    return undefined; // none yet, or unreadable: compile as usual
  }
}

/** Save the compiled code (temp + rename: a concurrent run reads the old file or the new one) and drop other builds' of `name`. */
function saveCache(file: string, name: string, data: Buffer): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    const dir = dirname(file);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(tmp, data, { mode: 0o600 });
    renameSync(tmp, file);
    for (const entry of readdirSync(dir)) {
      if (entry.startsWith(`${name}-`) && entry.endsWith(SUFFIX) && join(dir, entry) !== file)
        unlinkSync(join(dir, entry));
    }
  } catch {
    // A read-only home, a full disk, a race with another run: the next run compiles again, and no
    // half-written temp file is left behind for every later run to step over.
    try {
      unlinkSync(tmp);
    } catch {
      // never written
    }
  }
}

/** Run `file` (CommonJS) as Node's loader would, through the code cache kept as `name`; returns its exports. */
export function loadWithCodeCache(
  file: string,
  name: string,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, unknown> {
  const source = readFileSync(file, 'utf8');
  const dir = codeCacheDir(env);
  const cacheFile = dir === undefined ? undefined : codeCacheFile(dir, name, source);
  const cachedData = readCache(cacheFile);
  // Node's own CommonJS wrapper, so the bundle sees exactly what `require` would give it.
  const wrapped = `(function (exports, require, module, __filename, __dirname) { ${source}\n})`;
  const script = new Script(wrapped, { filename: file, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} as Record<string, unknown> };
  (script.runInThisContext() as (...args: unknown[]) => void)(
    module.exports,
    createRequire(file),
    module,
    file,
    dirname(file),
  );
  if (cacheFile !== undefined && (cachedData === undefined || script.cachedDataRejected === true)) {
    // At exit, so the cache also holds every function this run compiled.
    process.once('exit', () => saveCache(cacheFile, name, script.createCachedData()));
  }
  return module.exports;
}
