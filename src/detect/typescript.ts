/** TypeScript project facts from tsconfig.json: where sources live, where tsc writes, module kind. */
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
    if (!first || !pattern.endsWith('*') || !first.endsWith('*')) continue;
    const target = posix.join(baseUrl, first.slice(0, -1));
    out.push([pattern.slice(0, -1), first.slice(0, -1) === '' ? '' : target.endsWith('/') ? target : `${target}/`]);
  }
  return out;
}

/** Normalise a tsconfig path relative to the file that named it into a root-relative POSIX path. */
function rel(base: string, p: string): string {
  const n = posix.normalize(posix.join(base, p.replace(/\\/g, '/')));
  return n === '' ? '.' : n.replace(/\/$/, '');
}

/** Read tsconfig.json (following one local `extends`), or undefined when there is none. */
export function readTsConfig(dir: string, file = 'tsconfig.json', depth = 0): TsConfigFacts | undefined {
  const raw = asRecord(parseJsonc(readText(dir, file) ?? ''));
  if (!raw) return undefined;
  const base = posix.dirname(file);
  const parentFile = typeof raw.extends === 'string' && raw.extends.startsWith('.') && depth < 3 ? rel(base, raw.extends) : undefined;
  const parent = parentFile ? readTsConfig(dir, parentFile.endsWith('.json') ? parentFile : `${parentFile}.json`, depth + 1) : undefined;
  const co = asRecord(raw.compilerOptions) ?? {};
  const str = (k: string): string | undefined => (typeof co[k] === 'string' ? (co[k] as string) : undefined);
  const include = Array.isArray(raw.include) ? raw.include.filter((i): i is string => typeof i === 'string') : undefined;
  const moduleOpt = str('module')?.toLowerCase();
  return {
    outDir: str('outDir') !== undefined ? rel(base, str('outDir')!) : parent?.outDir,
    rootDir: str('rootDir') !== undefined ? rel(base, str('rootDir')!) : parent?.rootDir,
    module: moduleOpt ?? parent?.module,
    target: str('target')?.toLowerCase() ?? parent?.target,
    esModuleInterop: typeof co.esModuleInterop === 'boolean' ? co.esModuleInterop : (parent?.esModuleInterop ?? /^node(16|18|20|next)$/.test(moduleOpt ?? '')),
    includeRoots: include ? include.map((i) => rel(base, i.replace(/\/?\*\*.*$|\/?\*.*$/, '') || '.')) : (parent?.includeRoots ?? []),
    aliases: asRecord(co.paths) ? pathAliases(base, co) : parent?.aliases,
    noImplicitAny: typeof co.noImplicitAny === 'boolean' ? co.noImplicitAny : co.strict === true ? true : parent?.noImplicitAny,
  };
}

/**
 * The directory tsc treats as the source root: `rootDir`, else the one directory every `include`
 * names, else the common directory of the known sources (what tsc computes when all inputs share it).
 */
export function sourceRoot(ts: TsConfigFacts, knownSources: readonly string[]): string {
  if (ts.rootDir) return ts.rootDir;
  const roots = [...new Set(ts.includeRoots)];
  if (roots.length === 1) return roots[0]!;
  const dirs = knownSources.map((s) => posix.dirname(s));
  return dirs.length && dirs.every((d) => d === dirs[0]) ? dirs[0]! : '.';
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
