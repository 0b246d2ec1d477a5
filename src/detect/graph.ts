/**
 * The service's own module graph: files reachable from the entry and the app module through relative
 * imports (and tsconfig `paths` aliases, package.json subpath imports), test files excluded. Detection of the app and of its
 * clients looks only here, so a seed script or a test that creates its own pool never counts.
 */
import { posix } from 'node:path';
import { moduleSpecifiers, parseSource } from './ast.js';
import type * as t from '@babel/types';
import { isFile, readText } from './read.js';
import { normalisePath } from './start-script.js';

/** Extensions Node and TypeScript resolve a bare module path with. */
export const EXTS = ['.js', '.ts', '.mjs', '.cjs', '.mts', '.cts'];

/** Resolve a module path the way Node and TypeScript would, to an existing file (root-relative). */
export function resolveFile(dir: string, p: string): string | undefined {
  const base = normalisePath(posix.normalize(p));
  if (base.startsWith('..') || base.includes('node_modules/')) return undefined;
  const tsTwin = base.replace(/\.([cm]?)js$/, '.$1ts');
  const candidates = [base, tsTwin, ...EXTS.map((e) => base + e), ...EXTS.map((e) => `${base}/index${e}`)];
  return candidates.find((c) => isFile(dir, c));
}

/**
 * tsconfig `paths` as prefix rewrites, e.g. `@/` → `src/`; an exact alias (`"@config": ["config"]`) has a
 * target without the trailing `/` (`src/config`) and matches only the whole specifier.
 */
export interface PathAliases {
  readonly aliases: readonly (readonly [prefix: string, target: string])[];
}

/** The root-relative path `spec` names through `aliases` (exact aliases first, then the longest prefix), else undefined. */
export function aliasTarget(spec: string, aliases: PathAliases['aliases']): string | undefined {
  const exact = (target: string): boolean => target !== '' && !target.endsWith('/');
  const whole = aliases.find(([prefix, target]) => exact(target) && spec === prefix);
  if (whole) return whole[1];
  const byPrefix = aliases
    .filter(([prefix, target]) => !exact(target) && spec.startsWith(prefix))
    .sort((a, b) => b[0].length - a[0].length)[0];
  return byPrefix ? byPrefix[1] + spec.slice(byPrefix[0].length) : undefined;
}

/** The file a subpath-import target names: a path, or the first of Node's conditions that is one. */
function importTarget(v: unknown): string | undefined {
  if (typeof v === 'string') return v.startsWith('./') ? v.slice(2) : undefined;
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const conditions = v as Record<string, unknown>;
  return ['node', 'import', 'require', 'default'].map((c) => importTarget(conditions[c])).find((t) => t !== undefined);
}

/**
 * package.json subpath imports as aliases: `"#*": "./src/*"` is the prefix `#` → `src/`, `"#db": "./src/db.js"`
 * the exact `#db`. A pattern whose `*` is not a whole path segment in the target is left out (never guess).
 */
export function subpathImportAliases(imports: Readonly<Record<string, unknown>> | undefined): PathAliases['aliases'] {
  const out: (readonly [string, string])[] = [];
  for (const [key, value] of Object.entries(imports ?? {})) {
    const target = importTarget(value);
    if (!key.startsWith('#') || target === undefined) continue;
    const star = key.indexOf('*');
    if (star < 0) out.push([key, target.replace(/\/+$/, '')]);
    else if (
      star === key.length - 1 &&
      target.endsWith('*') &&
      target.indexOf('*') === target.length - 1 &&
      /(^|\/)\*$/.test(target)
    )
      out.push([key.slice(0, -1), target.slice(0, -1)]);
  }
  return out;
}

/** Test and fixture files: never part of the running service. */
export const TEST_FILE = /(^|\/)(__tests__|__mocks__|tests?|spec|e2e)\/|\.(test|spec)\.[cm]?[jt]sx?$/;

/** Most files the graph visits (a service's runtime graph is small; this bounds a pathological repo). */
const MAX_FILES = 400;

/** The project file a specifier in `file` loads (relative, or through an alias), else undefined. */
export function resolveSpecifier(dir: string, file: string, spec: string, paths: PathAliases): string | undefined {
  if (spec.startsWith('.')) return resolveFile(dir, posix.join(posix.dirname(file), spec));
  const target = aliasTarget(spec, paths.aliases);
  return target !== undefined ? resolveFile(dir, target) : undefined;
}

/** Files `file` loads that exist in the project (relative specifiers, then aliases and subpath imports). */
export function localImports(dir: string, file: string, ast: t.File, paths: PathAliases): string[] {
  const specs = moduleSpecifiers(ast);
  return [...specs.filter((s) => s.startsWith('.')), ...specs.filter((s) => !s.startsWith('.'))]
    .map((spec) => resolveSpecifier(dir, file, spec, paths))
    .filter((f): f is string => f !== undefined);
}

/** Breadth-first over `starts` and what they load; each file's AST is parsed once. */
export function sourceGraph(dir: string, starts: readonly string[], paths: PathAliases): Map<string, t.File> {
  const graph = new Map<string, t.File>();
  const queue = [...new Set(starts)];
  const seen = new Set(queue);
  for (let i = 0; i < queue.length && graph.size < MAX_FILES; i++) {
    const file = queue[i]!;
    const ast = parseSource(readText(dir, file) ?? '', file);
    if (!ast) continue;
    graph.set(file, ast);
    for (const next of localImports(dir, file, ast, paths)) {
      if (seen.has(next) || TEST_FILE.test(next)) continue;
      seen.add(next);
      queue.push(next);
    }
  }
  return graph;
}
