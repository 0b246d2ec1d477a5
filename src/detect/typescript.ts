/** TypeScript project facts from tsconfig.json: where sources live, where tsc writes, module kind. */
import { readdirSync } from 'node:fs';
import { posix } from 'node:path';
import { asRecord, parseJsonc, readText } from './read.js';

/** The compiler options detection needs (paths relative to the project root, POSIX, no `./`). */
export interface TsConfigFacts {
  readonly outDir?: string;
  readonly rootDir?: string;
  /** `module` option lower-cased, e.g. `commonjs`, `nodenext`, `esnext`. */
  readonly module?: string;
  /** `target` option lower-cased (decides the default `module`). */
  readonly target?: string;
  readonly esModuleInterop: boolean;
  /** Directories named by `include` (e.g. `src` for `["src/**\/*"]`). */
  readonly includeRoots: readonly string[];
  /** `allowJs`: JavaScript files are inputs too (and count for the computed root). */
  readonly allowJs?: boolean;
  /** Directories named by `exclude`. */
  readonly excludeRoots?: readonly string[];
  /** `files`, when the tsconfig lists its inputs. */
  readonly files?: readonly string[];
  /** `noImplicitAny` (or `strict` without it): an untyped `let x;` read in a closure is then an error. */
  readonly noImplicitAny?: boolean;
  /** `paths` aliases of the form `"@/*": ["src/*"]` as [prefix, root-relative target prefix]. */
  readonly aliases?: readonly (readonly [string, string])[];
}

/** `compilerOptions.paths` wildcard aliases, resolved against `baseUrl` (itself relative to the tsconfig). */
function pathAliases(base: string, co: Record<string, unknown>): [string, string][] {
  const paths = asRecord(co.paths);
  if (!paths) return [];
  const baseUrl = rel(base, typeof co.baseUrl === 'string' ? co.baseUrl : '.');
  const out: [string, string][] = [];
  for (const [pattern, targets] of Object.entries(paths)) {
    const first = Array.isArray(targets) && typeof targets[0] === 'string' ? targets[0] : undefined;
    if (first && !pattern.includes('*') && !first.includes('*')) {
      // An exact alias (`"@config": ["config"]`): its target has no trailing `/` (see PathAliases).
      const exact = posix.join(baseUrl, first).replace(/\/$/, '');
      if (exact !== '.') out.push([pattern, exact]);
      continue;
    }
    if (!first || !pattern.endsWith('*') || !first.endsWith('*')) continue;
    // `"@/*": ["*"]` maps to baseUrl itself (`src/` with `baseUrl: "src"`), the project root only when baseUrl is `.`.
    const target = posix.join(baseUrl, first.slice(0, -1));
    out.push([
      pattern.slice(0, -1),
      target === '.' || target === './' ? '' : target.endsWith('/') ? target : `${target}/`,
    ]);
  }
  return out;
}

/** Normalise a tsconfig path relative to the file that named it into a root-relative POSIX path. */
function rel(base: string, p: string): string {
  const n = posix.normalize(posix.join(base, p.replace(/\\/g, '/')));
  return n === '' ? '.' : n.replace(/\/$/, '');
}

/**
 * The tsconfig the build compiles with: the one `tsc -p|--project <file>` names in scripts.build (many
 * services keep outDir in a tsconfig.build.json or tsconfig.prod.json), else tsconfig.json.
 */
export function buildTsConfigFile(dir: string, buildScript: string | undefined): string {
  const m = /(?:^|&&|\s)tsc\b[^&]*?\s(?:-p|--project)[\s=]+([^\s&]+)/.exec(buildScript ?? '');
  if (!m) return 'tsconfig.json';
  const named = posix.normalize(m[1]!.replace(/^["']|["']$/g, ''));
  const file = named.endsWith('.json') ? named : posix.join(named, 'tsconfig.json');
  return readText(dir, file) !== undefined ? file : 'tsconfig.json';
}

/** Read tsconfig.json (following one local `extends`), or undefined when there is none. */
export function readTsConfig(dir: string, file = 'tsconfig.json', depth = 0): TsConfigFacts | undefined {
  const raw = asRecord(parseJsonc(readText(dir, file) ?? ''));
  if (!raw) return undefined;
  const base = posix.dirname(file);
  const parentFile =
    typeof raw.extends === 'string' && raw.extends.startsWith('.') && depth < 3 ? rel(base, raw.extends) : undefined;
  const parent = parentFile
    ? readTsConfig(dir, parentFile.endsWith('.json') ? parentFile : `${parentFile}.json`, depth + 1)
    : undefined;
  const co = asRecord(raw.compilerOptions) ?? {};
  const str = (k: string): string | undefined => (typeof co[k] === 'string' ? (co[k] as string) : undefined);
  const include = Array.isArray(raw.include)
    ? raw.include.filter((i): i is string => typeof i === 'string')
    : undefined;
  const moduleOpt = str('module')?.toLowerCase();
  return {
    outDir: str('outDir') !== undefined ? rel(base, str('outDir')!) : parent?.outDir,
    rootDir: str('rootDir') !== undefined ? rel(base, str('rootDir')!) : parent?.rootDir,
    module: moduleOpt ?? parent?.module,
    target: str('target')?.toLowerCase() ?? parent?.target,
    esModuleInterop:
      typeof co.esModuleInterop === 'boolean'
        ? co.esModuleInterop
        : (parent?.esModuleInterop ?? /^node(16|18|20|next)$/.test(moduleOpt ?? '')),
    includeRoots: include
      ? include.map((i) => rel(base, i.replace(/\/?\*\*.*$|\/?\*.*$/, '') || '.'))
      : (parent?.includeRoots ?? []),
    aliases: asRecord(co.paths) ? pathAliases(base, co) : parent?.aliases,
    allowJs: typeof co.allowJs === 'boolean' ? co.allowJs : parent?.allowJs,
    excludeRoots: Array.isArray(raw.exclude)
      ? raw.exclude
          .filter((i): i is string => typeof i === 'string')
          .map((i) => rel(base, i.replace(/\/?\*\*.*$|\/?\*.*$/, '') || '.'))
      : parent?.excludeRoots,
    files: Array.isArray(raw.files)
      ? raw.files.filter((i): i is string => typeof i === 'string').map((i) => rel(base, i))
      : parent?.files,
    noImplicitAny:
      typeof co.noImplicitAny === 'boolean' ? co.noImplicitAny : co.strict === true ? true : parent?.noImplicitAny,
  };
}

/** Most files the root computation looks at. */
const MAX_INPUTS = 5000;

/** The files tsc compiles (approximately: `files`, else every source under `include`, minus `exclude`, outDir, node_modules). */
function tscInputs(dir: string, ts: TsConfigFacts): string[] {
  if (ts.files?.length && !ts.includeRoots.length) return ts.files.filter((f) => !/\.d\.[cm]?ts$/.test(f));
  const ext = ts.allowJs ? /\.([cm]?[jt]sx?)$/ : /\.([cm]?tsx?)$/;
  const skip = new Set(['node_modules', ...(ts.outDir ? [ts.outDir] : []), ...(ts.excludeRoots ?? [])]);
  const out: string[] = [...(ts.files ?? [])];
  const walkDir = (rel: string): void => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(posix.join(dir, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (out.length >= MAX_INPUTS) return;
      const p = rel === '.' ? e.name : `${rel}/${e.name}`;
      if (e.name.startsWith('.') || skip.has(p) || skip.has(e.name)) continue;
      if (e.isDirectory()) walkDir(p);
      else if (ext.test(e.name) && !/\.d\.[cm]?ts$/.test(e.name)) out.push(p);
    }
  };
  for (const root of ts.includeRoots.length ? [...new Set(ts.includeRoots)] : ['.']) walkDir(root);
  return out;
}

/**
 * The directory tsc treats as the source root: `rootDir`, else the longest common directory of the
 * files it compiles (what tsc computes), else of the known sources.
 */
export function sourceRoot(ts: TsConfigFacts, knownSources: readonly string[], dir?: string): string {
  if (ts.rootDir) return ts.rootDir;
  const inputs = dir ? tscInputs(dir, ts) : [];
  const files = inputs.length ? inputs : knownSources;
  const dirs = files.map((s) => posix.dirname(s).split('/'));
  if (!dirs.length) return [...new Set(ts.includeRoots)].length === 1 ? ts.includeRoots[0]! : '.';
  const first = dirs[0]!;
  let n = 0;
  while (n < first.length && dirs.every((d) => d[n] === first[n])) n++;
  return first.slice(0, n).join('/') || '.';
}

/** Where a source file's compiled JavaScript lands: `src/app.ts` → `dist/app.js`. */
export function compiledPath(source: string, ts: TsConfigFacts, root: string): string {
  const js = source.replace(/\.([cm]?)tsx?$/, (_m, k: string) => `.${k}js`);
  if (!ts.outDir) return js;
  const inside = root === '.' ? js : js.startsWith(`${root}/`) ? js.slice(root.length + 1) : js;
  return ts.outDir === '.' ? inside : `${ts.outDir}/${inside}`;
}

/** The inverse of compiledPath for a `node dist/x.js` start script: the source file, if the mapping applies. */
export function sourcePathFor(compiled: string, ts: TsConfigFacts, root: string): string | undefined {
  if (!ts.outDir || !compiled.startsWith(`${ts.outDir}/`)) return undefined;
  const inside = compiled.slice(ts.outDir.length + 1).replace(/\.([cm]?)js$/, (_m, k: string) => `.${k}ts`);
  return root === '.' ? inside : `${root}/${inside}`;
}

/** Whether compiled output of this project is CommonJS (decides import style of generated TS). */
export function tsEmitsCommonJs(ts: TsConfigFacts, packageType: string | undefined): boolean {
  // tsc's default `module` is CommonJS for ES3/ES5 targets (the default target) and ES2015 otherwise.
  const m = ts.module ?? (['es3', 'es5', undefined].includes(ts.target) ? 'commonjs' : 'es2015');
  if (/^node(16|18|20|next)$/.test(m)) return packageType !== 'module';
  return m === 'commonjs' || m === 'umd' || m === 'amd';
}
