/**
 * The address the server binds: `listen(port, host)` with a loopback host is unreachable from the load
 * balancer, which connects to the task's own address (awsvpc). Nx's node application generator writes
 * `const host = process.env.HOST ?? 'localhost'` and `app.listen(port, host)`: the image then sets
 * HOST=0.0.0.0. A literal loopback host cannot be fixed from outside: detection warns.
 */
import type * as t from '@babel/types';
import { isListenCall, topLevelConst, walk } from './ast.js';
import { readText } from './read.js';

/** What the code says about the address it binds. */
export interface ListenHost {
  readonly file: string;
  /** The variable the host comes from (`HOST`), which defaults to a loopback address. */
  readonly envVar?: string;
  /** The loopback address the server binds (literal, or the variable's default). */
  readonly loopback: string;
}

const LOOPBACK = /^(localhost|127\.0\.0\.1|::1|\[::1\])$/;
const ENV_READ = /\bprocess\.env(?:\.([A-Z_][A-Z0-9_]*)|\[\s*['"]([A-Z_][A-Z0-9_]*)['"]\s*\])/;

/** A host expression: a loopback literal, or `process.env.X ?? 'localhost'` (also `||`). */
function hostOf(e: t.Node, text: string): Omit<ListenHost, 'file'> | undefined {
  if (e.type === 'StringLiteral') return LOOPBACK.test(e.value) ? { loopback: e.value } : undefined;
  if (
    e.type !== 'LogicalExpression' ||
    (e.operator !== '??' && e.operator !== '||') ||
    e.right.type !== 'StringLiteral'
  )
    return undefined;
  const env = ENV_READ.exec(text.slice(e.left.start ?? 0, e.left.end ?? 0));
  return env && LOOPBACK.test(e.right.value) ? { envVar: env[1] ?? env[2]!, loopback: e.right.value } : undefined;
}

/** The loopback host a `.listen(port, host, …)` call of the graph binds, if any. */
export function detectListenHost(dir: string, graph: ReadonlyMap<string, t.File>): ListenHost | undefined {
  for (const [file, ast] of graph) {
    const text = readText(dir, file) ?? '';
    let found: ListenHost | undefined;
    walk(ast.program, (n) => {
      if (found || !isListenCall(n)) return;
      const arg = n.arguments[1];
      const e = arg?.type === 'Identifier' ? topLevelConst(ast, arg.name) : arg;
      const host = e ? hostOf(e, text) : undefined;
      if (host) found = { file, ...host };
    });
    if (found) return found;
  }
  return undefined;
}

/** The warning for a literal loopback host (a variable one is fixed by the image's environment). */
export function listenHostWarning(h: ListenHost | undefined): string | undefined {
  if (!h || h.envVar) return undefined;
  return `${h.file} listens on ${h.loopback} only: the load balancer connects to the task's own address and cannot reach it; listen on 0.0.0.0 (or pass no host).`;
}
