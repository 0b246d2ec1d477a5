/** Reading `scripts.start`: which file starts the server and with which runner. */

/** A parsed start script. */
export interface StartScript {
  /** `node`, or a dev/TS runner (`ts-node`, `tsx`, `nodemon`, …) that the image will not use. */
  readonly runner: string;
  /** Arguments before the file (e.g. `--enable-source-maps`, `-r dotenv/config`). */
  readonly nodeArgs: readonly string[];
  /** The script file, as written (e.g. `./bin/www`, `dist/server.js`). */
  readonly file: string;
  /** Arguments after the file. */
  readonly args: readonly string[];
  /** Variables the script sets for the server (`FOO=1 node …`, `cross-env FOO=1 node …`), in order. */
  readonly env?: readonly (readonly [string, string])[];
}

const RUNNERS = new Set([
  'node',
  'ts-node',
  'ts-node-dev',
  'tsx',
  'nodemon',
  'node-dev',
  'babel-node',
  'supervisor',
  'forever',
  'pm2-runtime',
]);
/** Runner flags that take a value as the next word. */
const FLAGS_WITH_VALUE = new Set([
  '-r',
  '--require',
  '--import',
  '--loader',
  '--experimental-loader',
  '--env-file',
  '-P',
  '--project',
  '--exec',
  '-e',
  '--watch-path',
  '--ignore',
]);

/** Split a command line into words, honouring single and double quotes. */
export function shellWords(cmd: string): string[] {
  const words: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(cmd); m; m = re.exec(cmd)) words.push(m[1] ?? m[2] ?? m[3]!);
  return words;
}

/**
 * Parse the part of a start script that launches the server: the last `&&` segment (earlier ones
 * build or migrate), without env assignments, `cross-env`/`env`, or `npx`. Undefined when it is
 * not a recognisable `runner file` command (pipes, subshells, `npm run x`).
 */
export function parseStartScript(script: string | undefined): StartScript | undefined {
  if (!script || /[|;`$()<>]/.test(script.replace(/&&/g, ''))) return undefined;
  const segment = script.split('&&').pop()!.trim();
  const words = shellWords(segment);
  const env: [string, string][] = [];
  while (
    words.length &&
    (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]!) ||
      ['cross-env', 'env', 'npx', 'exec', 'dotenv', '--'].includes(words[0]!))
  ) {
    const assignment = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(words.shift()!);
    if (assignment) env.push([assignment[1]!, assignment[2]!]);
  }
  const runner = words.shift();
  if (!runner || !RUNNERS.has(runner)) return undefined;
  if (runner === 'tsx' && words[0] === 'watch') words.shift(); // `tsx watch file`: a subcommand, not the file
  const nodeArgs: string[] = [];
  while (words.length && words[0]!.startsWith('-')) {
    const flag = words.shift()!;
    nodeArgs.push(flag);
    if (FLAGS_WITH_VALUE.has(flag) && words.length) nodeArgs.push(words.shift()!);
  }
  const file = words.shift();
  return file ? { runner, nodeArgs, file, args: words, ...(env.length ? { env } : {}) } : undefined;
}

/** Strip `./` and trailing slashes: `./bin/www` → `bin/www`. */
export function normalisePath(p: string): string {
  return p
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/\/+$/, '');
}
