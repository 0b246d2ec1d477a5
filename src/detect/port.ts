/**
 * The port the service listens on: a literal (`app.listen(3000)`, `const PORT = 5000`) becomes the
 * default container port, because the PORT the task definition sets would be ignored; otherwise the
 * code should read process.env.PORT somewhere in its runtime graph (a config module counts, and so does
 * one built with an env-schema helper, which reads process.env by key: jet-env's `Port` is PORT).
 */
import type * as t from '@babel/types';
import { bindingsOf, isListenCall, topLevelConst, walk } from './ast.js';
import { readText } from './read.js';

/** What the code says about its port. */
export interface PortFacts {
  /** The literal port passed to listen(), when the code hard-codes one. */
  readonly literal?: number;
  /** File holding that listen() call. */
  readonly literalFile?: string;
  /** Whether any file of the graph reads PORT from the environment. */
  readonly readsEnv: boolean;
  /** A listen() port the generator cannot follow: a value imported from another module (`EnvVars.Port`). */
  readonly imported?: { readonly file: string; readonly expression: string };
}

/**
 * Env-schema helpers: a config module built with one reads each key from process.env without naming
 * process.env (jet-env maps `Port` to PORT; envalid, env-var, convict, @t3-oss/env-core, znv, env-schema
 * take the variable's name).
 */
const ENV_HELPERS = new Set([
  'jet-env',
  'envalid',
  'env-var',
  'convict',
  '@t3-oss/env-core',
  'znv',
  'env-schema',
  '@fastify/env',
]);

/** Whether the file builds its config with an env-schema helper and names a port key. */
function readsPortThroughHelper(ast: t.File, text: string): boolean {
  return /\bport\b/i.test(text) && bindingsOf(ast, (s) => ENV_HELPERS.has(s)).size > 0;
}

/** The first listen() argument rooted in an imported binding (`EnvVars.Port`, `config.port`), as source text. */
function importedListenPort(ast: t.File, text: string): string | undefined {
  const imported = bindingsOf(ast, () => true);
  let found: string | undefined;
  walk(ast.program, (n) => {
    if (found || !isListenCall(n)) return;
    let root: t.Node | undefined = n.arguments[0];
    while (root?.type === 'MemberExpression') root = root.object;
    const a = n.arguments[0];
    if (root?.type === 'Identifier' && imported.has(root.name) && a?.start != null && a.end != null)
      found = text.slice(a.start, a.end);
  });
  return found;
}

const READS_PORT = /\benv\.PORT\b|\benv\[\s*['"]PORT['"]\s*\]|\{[^}]*\bPORT\b[^}]*\}\s*=\s*process\.env/;

/** A top-level `const NAME = <number>` of the file, if any. */
function constNumber(ast: t.File, name: string): number | undefined {
  const init = topLevelConst(ast, name);
  return init?.type === 'NumericLiteral' ? init.value : undefined;
}

/** Literal ports passed as the first argument of `.listen(…)` in a file. */
function literalListenPorts(ast: t.File): number[] {
  const out: number[] = [];
  walk(ast.program, (n) => {
    if (!isListenCall(n)) return;
    const a = n.arguments[0];
    const port =
      a?.type === 'NumericLiteral' ? a.value : a?.type === 'Identifier' ? constNumber(ast, a.name) : undefined;
    if (port !== undefined) out.push(port);
  });
  return out;
}

/** Port facts over the runtime graph. */
export function detectPort(dir: string, graph: ReadonlyMap<string, t.File>): PortFacts {
  const literals: [string, number][] = [];
  let readsEnv = false;
  let imported: PortFacts['imported'];
  for (const [file, ast] of graph) {
    const text = readText(dir, file) ?? '';
    // `env.PORT` directly, or a config module that validates process.env and reads a PORT key from it.
    if (
      READS_PORT.test(text) ||
      (/\bprocess\.env\b/.test(text) && /\bPORT\b/.test(text)) ||
      readsPortThroughHelper(ast, text)
    )
      readsEnv = true;
    for (const p of literalListenPorts(ast)) literals.push([file, p]);
    const expression = imported ? undefined : importedListenPort(ast, text);
    if (expression) imported = { file, expression };
  }
  const ports = new Set(literals.map(([, p]) => p));
  const base = { readsEnv, ...(imported ? { imported } : {}) };
  return ports.size === 1 ? { literal: literals[0]![1], literalFile: literals[0]![0], ...base } : base;
}

/** The warning to show, if any. */
export function portWarning(p: PortFacts, files: readonly string[]): string | undefined {
  if (p.literal !== undefined) {
    const valid = p.literal >= 1024 && p.literal <= 65535;
    return valid
      ? `${p.literalFile} listens on port ${p.literal} (a literal): the container port defaults to ${p.literal}; the PORT variable the task definition sets is ignored until the code reads process.env.PORT.`
      : `${p.literalFile} listens on port ${p.literal}, which a non-root container cannot bind: make it read process.env.PORT (the task definition sets it to the container port).`;
  }
  if (p.readsEnv || !files.length) return undefined;
  if (p.imported) {
    return `${p.imported.file} listens on ${p.imported.expression}, imported from a module the generator could not trace to process.env.PORT: the task definition sets PORT to the container port; check that ${p.imported.expression} reads it.`;
  }
  return `${files.join(' and ')} (and the files ${files.length > 1 ? 'they load' : 'it loads'}) never read process.env.PORT: the task definition sets PORT to the container port; make sure the server listens on it.`;
}
