/** Finding the file that starts the server (entry) and the file that creates the Express app. */
import { posix } from 'node:path';
import { findAppCreations, parseSource, relativeImports } from './ast.js';
import type { Manifest } from './manifest.js';
import { isFile, readText } from './read.js';
import { normalisePath, parseStartScript, type StartScript } from './start-script.js';
import { sourcePathFor, type TsConfigFacts } from './typescript.js';

/** Common entry names, most specific first (express-generator's bin/www before generic names). */
const STEMS = ['bin/www', 'server', 'app', 'index', 'main', 'src/server', 'src/index', 'src/app', 'src/main'];
const EXTS = ['.js', '.ts', '.mjs', '.cjs', '.mts', '.cts'];
export const COMMON_ENTRIES: readonly string[] = STEMS.flatMap((s) => (s === 'bin/www' ? [s, ...EXTS.map((e) => s + e)] : EXTS.map((e) => s + e)));

/** Entry and app module, or why the app module could not be found. */
export interface EntryFacts {
  readonly entry?: string;
  readonly startScript?: StartScript;
  readonly appModule?: string;
  /** Enclosing function when the app is created inside a factory, e.g. `createApp`. */
  readonly appFactory?: string;
  /** Why no app module was recognised (shown with the manual instructions). */
  readonly unrecognised?: string;
}

/** Resolve a module path the way Node and TypeScript would, to an existing file (root-relative). */
export function resolveFile(dir: string, p: string): string | undefined {
  const base = normalisePath(posix.normalize(p));
  if (base.startsWith('..') || base.includes('node_modules/')) return undefined;
  const tsTwin = base.replace(/\.([cm]?)js$/, '.$1ts');
  const candidates = [base, tsTwin, ...EXTS.map((e) => base + e), ...EXTS.map((e) => `${base}/index${e}`)];
  return candidates.find((c) => isFile(dir, c));
}

/** The entry from scripts.start, then `main`, then common names. */
function findEntry(dir: string, m: Manifest, ts: TsConfigFacts | undefined, tsRoot: string): { entry?: string; start?: StartScript } {
  const start = parseStartScript(m.scripts.start);
  if (start) {
    const file = normalisePath(start.file);
    const fromOutput = ts ? sourcePathFor(file, ts, tsRoot) : undefined;
    const entry = (fromOutput && resolveFile(dir, fromOutput)) ?? resolveFile(dir, file);
    if (entry) return { entry, start };
  }
  const main = m.main ? resolveFile(dir, m.main) : undefined;
  if (main) return { entry: main, start };
  return { entry: COMMON_ENTRIES.find((f) => isFile(dir, f)), start };
}

/** Most files the search parses before giving up (a service's entry graph is small). */
const MAX_FILES = 60;

/** Breadth-first over the entry and the relative modules it loads, then the common entry names. */
function findAppModule(dir: string, entry: string | undefined): Pick<EntryFacts, 'appModule' | 'appFactory' | 'unrecognised'> {
  const queue = entry ? [entry] : [];
  const seen = new Set<string>(queue);
  const ambiguous: string[] = [];
  let i = 0;
  for (const phase of ['graph', 'common'] as const) {
    if (phase === 'common') COMMON_ENTRIES.filter((f) => !seen.has(f) && isFile(dir, f)).forEach((f) => (seen.add(f), queue.push(f)));
    for (; i < queue.length && i < MAX_FILES; i++) {
      const file = queue[i]!;
      const ast = parseSource(readText(dir, file) ?? '', file);
      if (!ast) continue;
      const creations = findAppCreations(ast);
      if (creations.length === 1) return { appModule: file, appFactory: creations[0]!.factory };
      if (creations.length > 1) ambiguous.push(file);
      for (const spec of relativeImports(ast)) {
        const next = resolveFile(dir, posix.join(posix.dirname(file), spec));
        if (next && !seen.has(next)) (seen.add(next), queue.push(next));
      }
    }
  }
  if (ambiguous.length) return { unrecognised: `${ambiguous.join(', ')} creates more than one Express app; which one serves traffic is not clear` };
  return { unrecognised: `no \`const app = express()\` found in ${entry ?? 'the usual entry files'} or the files it loads` };
}

/** Detect entry and app module of the service in `dir`. */
export function detectEntry(dir: string, m: Manifest, ts: TsConfigFacts | undefined, tsRoot: string): EntryFacts {
  const { entry, start } = findEntry(dir, m, ts, tsRoot);
  return { entry, startScript: start, ...findAppModule(dir, entry) };
}
