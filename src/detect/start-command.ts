/** The exec-form command the container runs for an adopted service. */
import type { EntryFacts } from './entry.js';
import { normalisePath } from './start-script.js';

/** Node flags that only make sense in development or load a TS runtime the image does not need. */
const DEV_FLAG = /^(--watch|--watch-path|--inspect|--inspect-brk|--enable-source-maps=false)/;
const TS_LOADER = /^(ts-node|tsx|@swc-node|esbuild-register|@esbuild-kit)/;

/** Start command plus anything the user should know about how it was derived. */
export interface StartCommand {
  readonly command?: readonly string[];
  /** Variables the start script sets for the server, which the image must set too (NODE_ENV=production it sets already). */
  readonly env?: readonly (readonly [string, string])[];
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
 * `node <flags> <file> <args>` from the start script when it runs JavaScript with node (or pm2): its
 * file is what the build produces, so it is used as written. Otherwise (a TS runner, nodemon, no
 * start script) `node <runtime file of the entry>`: TS runners and dev runners are not in the image.
 */
export function startCommand(found: EntryFacts, runtimePath: (source: string) => string): StartCommand {
  const s = found.startScript;
  if (!found.entry) {
    return {
      warnings: [
        'no server entry found (scripts.start, main or a usual file name): set the container command in the task definition yourself.',
      ],
    };
  }
  const entryRuntime = runtimePath(found.entry);
  const script =
    !found.startScriptName || found.startScriptName === 'start'
      ? 'scripts.start'
      : `scripts["${found.startScriptName}"]`;
  if (s && (s.runner === 'node' || s.runner === 'pm2') && /\.[cm]?js$|^[^.]*$/.test(normalisePath(s.file))) {
    const args = s.runner === 'node' ? s.args : [];
    const warnings =
      s.runner === 'pm2'
        ? [`${script} uses pm2; the container runs \`node ${normalisePath(s.file)}\` directly (ECS restarts the task).`]
        : [];
    const env = (s.env ?? []).filter(([k, v]) => !(k === 'NODE_ENV' && v === 'production'));
    return {
      command: ['node', ...runtimeNodeArgs(s.nodeArgs), normalisePath(s.file), ...args],
      warnings,
      ...(env.length ? { env } : {}),
    };
  }
  const warnings = s ? [`${script} uses ${s.runner}; the container runs \`node ${entryRuntime}\` instead.`] : [];
  return { command: ['node', entryRuntime], warnings };
}
