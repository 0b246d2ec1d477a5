/**
 * Where the HTTP server is created (`app.listen(…)`, `http.createServer(app)`, `createApp().listen(…)`)
 * and the edit that hands it to drainOnSigterm(): a call after `const server = …`, else an in-place
 * wrap `drainOnSigterm(app.listen(…))`, which is safe in any expression position because it returns
 * the server it is given.
 */
import type * as t from '@babel/types';
import { walk } from '../detect/ast.js';
import { afterStatement, indentAt, type CodeStyle, type Edit } from './source-edit.js';

const COMMENT = "// Keep-alive above the ALB's 60 s idle timeout; drain on SIGTERM (create-canary-pipeline).";

/** A server creation site and the top-level statement index it belongs to. */
export interface ServerSite {
  readonly call: t.CallExpression;
  readonly statement: t.Node;
  /** `server` in `const server = …` / `server = …`; undefined when the call is wrapped in place. */
  readonly name?: string;
  readonly topIndex: number;
}

function unwrap(e: t.Node): t.Node {
  let n = e;
  for (;;) {
    if (n.type === 'AwaitExpression') n = n.argument;
    else if (n.type === 'TSAsExpression' || n.type === 'TSNonNullExpression' || n.type === 'ParenthesizedExpression') n = n.expression;
    else return n;
  }
}

/** Whether `e` evaluates to the Express app: a known name, or a call of a known factory. */
function isApp(e: t.Node, names: ReadonlySet<string>): boolean {
  const n = unwrap(e);
  if (n.type === 'Identifier') return names.has(n.name);
  return n.type === 'CallExpression' && n.callee.type === 'Identifier' && names.has(n.callee.name);
}

/** Grow `names` with variables initialised from the app (`const app = createApp()`), to a fixpoint. */
function appNames(ast: t.File, seed: ReadonlySet<string>): Set<string> {
  const names = new Set(seed);
  for (let size = -1; size !== names.size; ) {
    size = names.size;
    walk(ast.program, (n) => {
      if (n.type === 'VariableDeclarator' && n.id.type === 'Identifier' && n.init && isApp(n.init, names)) names.add(n.id.name);
    });
  }
  return names;
}

function isServerCall(n: t.CallExpression, names: ReadonlySet<string>): boolean {
  const c = n.callee;
  if (c.type === 'MemberExpression' && c.property.type === 'Identifier' && c.property.name === 'listen') return isApp(c.object, names);
  const isCreate = (c.type === 'Identifier' && c.name === 'createServer') || (c.type === 'MemberExpression' && c.property.type === 'Identifier' && c.property.name === 'createServer');
  return isCreate && n.arguments.some((a) => isApp(a, names));
}

/** Every server creation site for an app known by `seed` names (local app, factory, imports of the app module). */
export function findServerSites(ast: t.File, seed: ReadonlySet<string>): ServerSite[] {
  const names = appNames(ast, seed);
  const sites: ServerSite[] = [];
  walk(ast.program, (n, anc) => {
    if (n.type !== 'CallExpression' || !isServerCall(n, names)) return;
    const top = anc[1] ?? n; // anc[0] is the Program
    const topIndex = ast.program.body.indexOf(top as t.Statement);
    const statement = [...anc].reverse().find((a) => /Statement$|Declaration$/.test(a.type) && a.type !== 'VariableDeclarator') ?? n;
    const parent = anc[anc.length - 1];
    const decl = anc[anc.length - 2];
    let name: string | undefined;
    if (parent?.type === 'VariableDeclarator' && parent.id.type === 'Identifier' && decl?.type === 'VariableDeclaration' && decl.declarations.length === 1) name = parent.id.name;
    if (parent?.type === 'AssignmentExpression' && parent.left.type === 'Identifier' && anc[anc.length - 2]?.type === 'ExpressionStatement') name = parent.left.name;
    sites.push({ call: n, statement, name, topIndex });
  });
  return sites;
}

/** The edits handing the server at `site` to `drain` (the local name of drainOnSigterm). */
export function drainEdits(text: string, site: ServerSite, drain: string, style: CodeStyle): Edit[] {
  const indent = indentAt(text, site.statement.start!);
  if (site.name) {
    const at = afterStatement(text, site.statement.end!);
    return [{ at, text: `${style.eol}${indent}${COMMENT}${style.eol}${indent}${drain}(${site.name})${style.semi}` }];
  }
  return [
    { at: site.statement.start!, text: `${COMMENT}${style.eol}${indent}` },
    { at: site.call.start!, text: `${drain}(` },
    { at: site.call.end!, text: ')' },
  ];
}
