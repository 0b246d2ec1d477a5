/** The exec-form command the container runs for an adopted service. */
import type { EntryFacts } from './entry.js';
import { normalisePath } from './start-script.js';

/** Node flags that only make sense in development or load a TS runtime the image does not need. */
const DEV_FLAG = /^(--watch|--watch-path|--inspect|--inspect-brk|--enable-source-maps=false)/;
const TS_LOADER = /^(ts-node|tsx|@swc-node|esbuild-register|@esbuild-kit)/;

/** Start command plus anything the user should know about how it was derived. */
export interface StartCommand {
  readonly command?: readonly string[];
  readonly warnings: readonly string[];
}

/** Keep node flags that matter at runtime; drop watch/inspect and TS loaders (the image runs compiled JS). */
function runtimeNodeArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const takesValue = ['-r', '--require', '--import', '--loader', '--experimental-loader'].includes(a);
    const value = takesValue ? args[i + 1] : undefined;
    if (takesValue) i++;
    if (DEV_FLAG.test(a) || (value !== undefined && TS_LOADER.test(value))) continue;
    out.push(...(value !== undefined ? [a, value] : [a]));
  }
  return out;
}

/**
 * `node <flags> <file> <args>` from scripts.start when it runs plain node on JavaScript; otherwise
 * `node <compiled entry>` (TS runners and dev runners like nodemon are not used in the image).
 */
export function startCommand(found: EntryFacts, runtimePath: (source: string) => string): StartCommand {
  const s = found.startScript;
  if (!found.entry) {
    return { warnings: ['no server entry found (scripts.start, main or a usual file name): set the container command in the task definition yourself.'] };
  }
  const entryRuntime = runtimePath(found.entry);
  if (s && s.runner === 'node') {
    const file = /\.[cm]?tsx?$/.test(s.file) ? entryRuntime : normalisePath(s.file) === found.entry ? found.entry : entryRuntime;
    return { command: ['node', ...runtimeNodeArgs(s.nodeArgs), file, ...s.args], warnings: [] };
  }
  const warnings = s ? [`scripts.start uses ${s.runner}; the container runs \`node ${entryRuntime}\` instead.`] : [];
  return { command: ['node', entryRuntime], warnings };
}
