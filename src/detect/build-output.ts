/**
 * Where the app's build writes the code the container runs, per build tool: tsc (`outDir` under the
 * root tsc computes), tsup (its `entry`/`outDir`/`format`, from package.json or tsup.config.*), Nx
 * (`project.json` build target: `outputPath` + `main`), or no build (sources run as they are).
 * Maps a source file to its output and back; the tests verify the mapping by running real builds.
 */
import { posix } from 'node:path';
import type * as t from '@babel/types';
import { parseSource } from './ast.js';
import type { Manifest } from './manifest.js';
import { asRecord, isFile, parseJsonc, readText } from './read.js';
import { shellWords } from './start-script.js';
import { compiledPath, type TsConfigFacts } from './typescript.js';

/** A build tool's mapping between sources and the files that run. */
export interface BuildOutput {
  readonly tool: 'tsc' | 'tsup' | 'nx' | 'none';
  /** The file that runs for `source`, or undefined when the build does not emit it. */
  readonly toRuntime: (source: string) => string | undefined;
  /** Directory the build writes (for the image's .dockerignore and the docs), if known. */
  readonly outDir?: string;
  /** Nx: the build target's `main`, the entry the bundle starts from. */
  readonly main?: string;
  /** Module format a bundler writes (tsup, Nx), which decides how added files import. */
  readonly format?: 'cjs' | 'esm';
}

const toJs = (file: string, ext = '.js'): string => file.replace(/\.[cm]?[jt]sx?$/, ext);
const commonDir = (files: readonly string[]): string => {
  const dirs = files.map((f) => posix.dirname(f).split('/'));
  const first = dirs[0] ?? ['.'];
  let n = 0;
  while (n < first.length && dirs.every((d) => d[n] === first[n])) n++;
  return first.slice(0, n).join('/') || '.';
};

/** A static object literal's string/array-of-string properties (enough for build configs). */
function staticObject(node: t.Node | null | undefined): Record<string, unknown> | undefined {
  if (node?.type !== 'ObjectExpression') return undefined;
  const out: Record<string, unknown> = {};
  for (const p of node.properties) {
    if (p.type !== 'ObjectProperty' || (p.key.type !== 'Identifier' && p.key.type !== 'StringLiteral')) continue;
    const key = p.key.type === 'Identifier' ? p.key.name : p.key.value;
    const v = p.value;
    if (v.type === 'StringLiteral') out[key] = v.value;
    else if (v.type === 'BooleanLiteral') out[key] = v.value;
    else if (v.type === 'ArrayExpression')
      out[key] = v.elements.flatMap((e) => (e?.type === 'StringLiteral' ? [e.value] : []));
    else if (v.type === 'ObjectExpression') out[key] = staticObject(v);
  }
  return out;
}

/** tsup's options: package.json "tsup", tsup.config.json, or the object a tsup.config.{ts,js} exports. */
function tsupOptions(dir: string, m: Manifest): Record<string, unknown> {
  const inline = asRecord(m.tsup);
  if (inline) return inline;
  const json = asRecord(parseJsonc(readText(dir, 'tsup.config.json') ?? ''));
  if (json) return json;
  for (const f of ['tsup.config.ts', 'tsup.config.mts', 'tsup.config.js', 'tsup.config.mjs', 'tsup.config.cjs']) {
    const ast = parseSource(readText(dir, f) ?? '', f);
    const exported = ast?.program.body.find(
      (s): s is t.ExportDefaultDeclaration => s.type === 'ExportDefaultDeclaration',
    )?.declaration;
    const arg = exported?.type === 'CallExpression' ? exported.arguments[0] : exported;
    const opts = staticObject(arg as t.Node | undefined);
    if (opts) return opts;
  }
  return {};
}

function tsupOutput(dir: string, m: Manifest): BuildOutput {
  const o = tsupOptions(dir, m);
  const entries = (
    Array.isArray(o.entry) ? o.entry : typeof o.entry === 'string' ? [o.entry] : Object.values(asRecord(o.entry) ?? {})
  ).filter((e): e is string => typeof e === 'string' && !e.startsWith('!'));
  const outDir = typeof o.outDir === 'string' ? posix.normalize(o.outDir) : 'dist';
  // A directory entry means every file under it; esbuild writes outputs relative to the entries' common directory.
  const roots = entries.map((e) =>
    /\.[cm]?[jt]sx?$/.test(e) ? e : `${e.replace(/\/\*.*$/, '').replace(/\/$/, '')}/x.ts`,
  );
  const base = roots.length ? commonDir(roots) : 'src';
  const formats = Array.isArray(o.format) ? o.format : typeof o.format === 'string' ? [o.format] : ['cjs'];
  const esm = formats[0] === 'esm';
  const ext = m.type === 'module' ? (esm ? '.js' : '.cjs') : esm ? '.mjs' : '.js';
  return {
    tool: 'tsup',
    outDir,
    format: esm ? 'esm' : 'cjs',
    toRuntime: (source) => {
      const inside = base === '.' ? source : source.startsWith(`${base}/`) ? source.slice(base.length + 1) : undefined;
      return inside === undefined ? undefined : posix.join(outDir, toJs(inside, ext));
    },
  };
}

/**
 * The extension @nx/esbuild writes: `.cjs` for CommonJS and `.js` for ES modules, unless
 * `esbuildOptions.outExtension` asks for `.js` (CJS) or `.mjs` (ESM), as its node generator does.
 */
function nxExtension(format: 'cjs' | 'esm', options: Record<string, unknown>): string {
  const asked = asRecord(asRecord(options.esbuildOptions)?.outExtension)?.['.js'];
  if (format === 'cjs') return asked === '.js' ? '.js' : '.cjs';
  return asked === '.mjs' ? '.mjs' : '.js';
}

/**
 * Nx: the `build` target of the root project.json (the single-project workspace layout), as @nx/esbuild
 * (Nx 23) writes it, checked by a real `nx build` in the corpus (nx-esbuild-npm):
 * - bundled (the default): one file, outputPath/<outputFileName or main's name>;
 * - `bundle: false`, platform node, CommonJS: every source at its workspace path under outputPath, and
 *   outputPath/<main's name> a loader that registers the path mappings and requires the real main;
 * - `bundle: false` otherwise: plain esbuild with outdir, the tree under the entries' common directory
 *   (main's directory: the node generator keeps the sources under src/).
 * Each proven with nx 23.2.0 and @nx/esbuild 23.2.0 on the node generator's workspace (test/nx-build-output.test.ts).
 */
function nxOutput(dir: string): BuildOutput | undefined {
  const project = asRecord(parseJsonc(readText(dir, 'project.json') ?? ''));
  const build = asRecord(asRecord(project?.targets)?.build);
  // `nx build` runs the default configuration, whose options replace the target's one by one (esbuildOptions whole).
  const configuration =
    typeof build?.defaultConfiguration === 'string'
      ? asRecord(asRecord(build.configurations)?.[build.defaultConfiguration])
      : undefined;
  const options = asRecord(build?.options) && { ...asRecord(build?.options), ...configuration };
  const outputPath = typeof options?.outputPath === 'string' ? posix.normalize(options.outputPath) : undefined;
  const main = typeof options?.main === 'string' ? posix.normalize(options.main) : undefined;
  if (!options || !outputPath || !main) return undefined;
  const format = Array.isArray(options.format) && options.format[0] === 'esm' ? 'esm' : 'cjs';
  const ext = nxExtension(format, options);
  const named = typeof options.outputFileName === 'string' ? options.outputFileName : main;
  const mainOut = posix.join(outputPath, toJs(posix.basename(named), ext));
  const loader = options.bundle === false && (options.platform ?? 'node') === 'node' && format === 'cjs';
  const base = posix.dirname(main);
  const toRuntime = (source: string): string | undefined => {
    if (options.bundle !== false) return source === main ? mainOut : undefined;
    if (loader) return source === main ? mainOut : posix.join(outputPath, toJs(source, ext));
    const inside = base === '.' ? source : source.startsWith(`${base}/`) ? source.slice(base.length + 1) : undefined;
    return inside === undefined ? undefined : posix.join(outputPath, toJs(inside, ext));
  };
  return { tool: 'nx', outDir: outputPath, main, format, toRuntime };
}

/** The build tool the build script (and its `npm run` steps) runs. */
function buildTool(m: Manifest, dir: string): 'tsup' | 'nx' | 'tsc' | undefined {
  const seen = new Set<string>();
  const words: string[] = [];
  const visit = (name: string): void => {
    const script = m.scripts[name];
    if (!script || seen.has(name)) return;
    seen.add(name);
    const w = shellWords(script);
    words.push(...w);
    w.forEach((x, i) => {
      if (['run', 'run-s', 'run-p'].includes(w[i - 1] ?? '') || (w[i - 1] === 'yarn' && m.scripts[x])) visit(x);
    });
  };
  visit('build');
  if (words.includes('tsup')) return 'tsup';
  if (words.includes('nx') && isFile(dir, 'project.json')) return 'nx';
  if (words.includes('tsc')) return 'tsc';
  return undefined;
}

/** How the build maps sources to runtime files (`tsRoot`: the directory tsc treats as the source root). */
export function detectBuildOutput(
  dir: string,
  m: Manifest,
  ts: TsConfigFacts | undefined,
  tsRoot: string,
): BuildOutput {
  const tool = buildTool(m, dir);
  if (tool === 'tsup') return tsupOutput(dir, m);
  if (tool === 'nx') {
    const nx = nxOutput(dir);
    if (nx) return nx;
  }
  if (ts) return { tool: 'tsc', outDir: ts.outDir, toRuntime: (source) => compiledPath(source, ts, tsRoot) };
  return { tool: 'none', toRuntime: (source) => source };
}
