/**
 * Finding the file that starts the server (entry) and the file that creates the Express app.
 *
 * Entry, in order: the start script (following `npm run x` steps, pm2 ecosystem files and nodemon's
 * exec), the production start scripts (`start:prod`, `serve`, …), `main`, Nx's build `main`, then the
 * usual file names — preferring, among those, the one that starts a server (so `src/index.ts` that
 * listens wins over `src/server.ts` that only builds the app). A start file that is build output
 * (`node dist/index.js`) is mapped back to its source through the build tool.
 */
import { posix } from 'node:path';
import type * as t from '@babel/types';
import type { BuildOutput } from './build-output.js';
import { findAppCreations, MAX_SOURCE_CHARS, parseSource, unparsedReason, walk, type AppCreation } from './ast.js';
import { EXTS, localImports, resolveFile, sourceGraph, subpathImportAliases, type PathAliases } from './graph.js';

export { resolveFile } from './graph.js';
import type { Manifest } from './manifest.js';
import { asRecord, isFile, parseJsonc, readText } from './read.js';
import { normalisePath, parseStartScript, shellWords, type StartScript } from './start-script.js';
import { sourcePathFor, type TsConfigFacts } from './typescript.js';
import { findServerSites } from './server-site.js';
import { inIgnoredBuildFolder, sourceOfOutput } from './build-folder.js';

/** Common entry names, most specific first (express-generator's bin/www before generic names). */
const STEMS = ['bin/www', 'server', 'app', 'index', 'main', 'src/server', 'src/index', 'src/app', 'src/main'];
export const COMMON_ENTRIES: readonly string[] = STEMS.flatMap((s) =>
  s === 'bin/www' ? [s, ...EXTS.map((e) => s + e)] : EXTS.map((e) => s + e),
);

/** Scripts that start the service in production when `start` does not. */
const PROD_SCRIPTS = ['start', 'start:prod', 'start:production', 'prod', 'production', 'serve'];

/** Entry and app module, or why the app module could not be found. */
export interface EntryFacts {
  readonly entry?: string;
  readonly startScript?: StartScript;
  /** The script the start command came from, e.g. `start:prod`. */
  readonly startScriptName?: string;
  readonly appModule?: string;
  /** The app's variable in the app module (`app`). */
  readonly appName?: string;
  /** Enclosing function when the app is created inside a factory, e.g. `createApp`. */
  readonly appFactory?: string;
  /** Why this app was chosen when the code creates more than one (shown to the user). */
  readonly appChoice?: string;
  /** Why no app module was recognised (shown with the manual instructions). */
  readonly unrecognised?: string;
}

/** The script a `npm run x` / `yarn x` / `pnpm x` step names, else undefined. */
function runTarget(words: readonly string[], m: Manifest): string | undefined {
  const [pm, a, b] = words;
  if (pm === 'npm' && (a === 'run' || a === 'run-script') && b) return b;
  if (pm === 'npm' && a === 'start') return 'start';
  if ((pm === 'yarn' || pm === 'pnpm') && a === 'run' && b) return b;
  if ((pm === 'yarn' || pm === 'pnpm') && a && m.scripts[a]) return a;
  return undefined;
}

/** The start script with `npm run` indirections followed (at most a few hops). */
function followScript(m: Manifest, name: string): string | undefined {
  let script = m.scripts[name];
  for (let hops = 0; script && hops < 5; hops++) {
    const last = script.split('&&').pop()!.trim();
    const target = runTarget(shellWords(last), m);
    if (!target || target === name || !m.scripts[target]) return script;
    script = m.scripts[target];
  }
  return script;
}

/** `pm2 start ecosystem.config.json` / `pm2-runtime start app.json`: the app's script; `pm2 start x.js`: x.js. */
function pm2Script(dir: string, script: string): StartScript | undefined {
  const words = shellWords(script.split('&&').pop()!.trim()).filter((w) => !/^[A-Z_]+=/.test(w) && w !== 'cross-env');
  const i = words.findIndex((w) => w === 'pm2' || w === 'pm2-runtime' || w === 'pm2-docker');
  if (i < 0) return undefined;
  const file = words.slice(i + 1).find((w) => !w.startsWith('-') && w !== 'start');
  if (!file) return undefined;
  if (/\.json$/.test(file)) {
    const apps = asRecord(parseJsonc(readText(dir, file) ?? ''))?.apps;
    const first = Array.isArray(apps) ? asRecord(apps[0]) : undefined;
    return typeof first?.script === 'string'
      ? { runner: 'pm2', nodeArgs: [], file: first.script, args: [] }
      : undefined;
  }
  return /\.[cm]?[jt]s$/.test(file) ? { runner: 'pm2', nodeArgs: [], file, args: [] } : undefined;
}

/** nodemon without a file: nodemon.json (or package.json nodemonConfig) `exec`, parsed as a start script. */
function nodemonScript(dir: string, m: Manifest, script: string): StartScript | undefined {
  if (!/(^|\s)nodemon(\s|$)/.test(script)) return undefined;
  const config = asRecord(parseJsonc(readText(dir, 'nodemon.json') ?? '')) ?? asRecord(m.nodemonConfig);
  return typeof config?.exec === 'string' ? parseStartScript(config.exec) : undefined;
}

/** The parsed start command and the script it came from. */
function startOf(dir: string, m: Manifest): { start?: StartScript; name?: string } {
  for (const name of PROD_SCRIPTS) {
    const script = followScript(m, name);
    if (!script) continue;
    const start = pm2Script(dir, script) ?? parseStartScript(script) ?? nodemonScript(dir, m, script);
    if (start && !(start.runner === 'nodemon' && !start.file)) return { start, name };
  }
  return {};
}

/**
 * Source file for a file named by a start script: itself, tsc's source, or the build tool's source. A
 * file in a git-ignored folder the build writes is output (build-folder.ts): its source, or none.
 */
function sourceFor(
  dir: string,
  m: Manifest,
  file: string,
  ts: TsConfigFacts | undefined,
  tsRoot: string,
  build: BuildOutput,
): string | undefined {
  const direct = resolveFile(dir, file);
  if (direct && !(build.outDir && direct.startsWith(`${build.outDir}/`)))
    return inIgnoredBuildFolder(dir, m, direct) ? sourceOfOutput(dir, m, direct) : direct;
  const viaTsc = ts ? sourcePathFor(file, ts, tsRoot) : undefined;
  if (viaTsc && resolveFile(dir, viaTsc)) return resolveFile(dir, viaTsc);
  // A bundler's output: the source that maps to it, among the usual source folders.
  const rest =
    build.outDir && file.startsWith(`${build.outDir}/`)
      ? file.slice(build.outDir.length + 1)
      : file.split('/').slice(1).join('/');
  for (const base of ['src', '.', ...(build.main ? [posix.dirname(build.main)] : [])]) {
    const candidate = resolveFile(dir, posix.join(base, rest.replace(/\.[cm]?js$/, '')));
    if (candidate && build.toRuntime(candidate) === normalisePath(file)) return candidate;
  }
  return direct;
}

/** Whether `file` starts an HTTP server (`.listen(` or `createServer(`), judged by its syntax. */
function startsServer(dir: string, file: string): boolean {
  const text = readText(dir, file) ?? '';
  return /\.listen\s*\(|createServer\s*\(/.test(text) && parseSource(text, file) !== undefined;
}

/** The entry: start scripts, then `main`, Nx's main, then the usual names (those that listen first). */
function findEntry(
  dir: string,
  m: Manifest,
  ts: TsConfigFacts | undefined,
  tsRoot: string,
  build: BuildOutput,
): { entry?: string; start?: StartScript; name?: string } {
  const { start, name } = startOf(dir, m);
  if (start) {
    const entry = sourceFor(dir, m, normalisePath(start.file), ts, tsRoot, build);
    if (entry) return { entry, start, name };
  }
  const main = m.main ? sourceFor(dir, m, normalisePath(m.main), ts, tsRoot, build) : undefined;
  if (main) return { entry: main, start, name };
  if (build.main && isFile(dir, build.main)) return { entry: build.main, start, name };
  const common = COMMON_ENTRIES.filter((f) => isFile(dir, f));
  return { entry: common.find((f) => startsServer(dir, f)) ?? common[0], start, name };
}

/** A creation with its file, and whether the code starts a server on it. */
interface Candidate {
  readonly file: string;
  readonly creation: AppCreation;
  readonly listened: boolean;
}

/** Every app creation in the graph, marked when it is the one a server listens on (here or in an importer). */
function candidates(dir: string, graph: ReadonlyMap<string, t.File>, paths: PathAliases): Candidate[] {
  const importers = new Map<string, string[]>();
  for (const [file, ast] of graph)
    for (const dep of localImports(dir, file, ast, paths)) importers.set(dep, [...(importers.get(dep) ?? []), file]);
  const out: Candidate[] = [];
  for (const [file, ast] of graph) {
    for (const creation of findAppCreations(ast)) {
      const seed = new Set([
        creation.appName,
        ...(creation.factory && /^[A-Za-z_$][\w$]*$/.test(creation.factory) ? [creation.factory] : []),
      ]);
      const here = findServerSites(ast, seed).length > 0;
      const elsewhere =
        creation.scope !== 'sub' && (importers.get(file) ?? []).some((imp) => importerListens(graph.get(imp)!));
      out.push({ file, creation, listened: here || elsewhere });
    }
  }
  return out;
}

/** Whether an importing file starts a server at all (it listens on what it imported, in practice). */
function importerListens(ast: t.File): boolean {
  let found = false;
  walk(ast.program, (n) => {
    if (n.type !== 'CallExpression') return;
    const c = n.callee;
    if (
      c.type === 'MemberExpression' &&
      c.property.type === 'Identifier' &&
      ['listen', 'createServer'].includes(c.property.name)
    )
      found = true;
    if (c.type === 'Identifier' && c.name === 'createServer') found = true;
  });
  return found;
}

/** Pick the app that serves traffic: the one a server listens on, else the only module-level one, else the only factory. */
function chooseApp(
  all: readonly Candidate[],
): Pick<EntryFacts, 'appModule' | 'appName' | 'appFactory' | 'appChoice' | 'unrecognised'> {
  const subs = all.filter((c) => c.creation.scope === 'sub');
  const pick = (c: Candidate, why: string): ReturnType<typeof chooseApp> => {
    const others = all
      .filter((o) => o !== c)
      .map(
        (o) =>
          `${o.creation.appName} in ${o.file}${o.creation.scope === 'sub' ? ' (a sub-app built in a loop or callback)' : ''}`,
      );
    return {
      appModule: c.file,
      appName: c.creation.appName,
      appFactory: c.creation.factory,
      appChoice: others.length ? `${why}; left alone: ${[...new Set(others)].join(', ')}` : undefined,
    };
  };
  for (const [list, why] of [
    [all.filter((c) => c.listened), 'the app the server listens on'],
    [all.filter((c) => c.creation.scope === 'top'), 'the only app created at module level'],
    [all.filter((c) => c.creation.scope === 'factory'), 'the only app built by a factory function'],
  ] as const) {
    if (list.length === 1) return pick(list[0]!, why);
    if (list.length > 1) {
      const files = [...new Set(list.map((c) => c.file))];
      return {
        unrecognised: `${files.join(', ')} create${files.length === 1 ? 's' : ''} more than one Express app (${list.map((c) => c.creation.appName).join(', ')}); which one serves traffic is not clear`,
      };
    }
  }
  return {
    unrecognised: subs.length
      ? `only sub-apps (express() inside loops or callbacks) were found in ${[...new Set(subs.map((c) => c.file))].join(', ')}`
      : 'no `const app = express()` found',
  };
}

/** Detect entry and app module of the service in `dir`. */
export function detectEntry(
  dir: string,
  m: Manifest,
  ts: TsConfigFacts | undefined,
  tsRoot: string,
  build: BuildOutput,
): EntryFacts {
  const { entry, start, name } = findEntry(dir, m, ts, tsRoot, build);
  const paths: PathAliases = { aliases: [...(ts?.aliases ?? []), ...subpathImportAliases(m.imports)] };
  const starts = entry ? [entry] : COMMON_ENTRIES.filter((f) => isFile(dir, f));
  const graph = sourceGraph(dir, starts, paths);
  const chosen = chooseApp(candidates(dir, graph, paths));
  const unread = starts
    .filter((f) => !graph.has(f))
    .map((f) => ({ f, text: readText(dir, f) ?? '' }))
    .filter((s) => s.text.length > MAX_SOURCE_CHARS);
  const why = unread.map((s) => `; ${s.f} ${unparsedReason(s.text)}`).join('');
  const unrecognised = chosen.unrecognised
    ? `${chosen.unrecognised} in ${entry ?? 'the usual entry files'} or the files it loads${why}`
    : undefined;
  return { entry, startScript: start, startScriptName: name, ...chosen, unrecognised };
}
