/**
 * Where the HTTP server is created (`app.listen(…)`, `http.createServer(app)`, `createApp().listen(…)`),
 * and whether the drain patch (src/patch/server-site.ts) can hand it to drainOnSigterm(): detection
 * uses this to choose the file to patch and to warn up front; the patch uses the same site.
 */
import { posix } from 'node:path';
import type * as t from '@babel/types';
import { bindingsOf, findAppCreations, parseSource, unparsedReason, walk, type AppCreation } from './ast.js';
import type { AdoptFacts } from './facts.js';
import { aliasTarget } from './graph.js';
import { importsHealthModule } from './health-module.js';

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
    else if (n.type === 'TSAsExpression' || n.type === 'TSNonNullExpression' || n.type === 'ParenthesizedExpression')
      n = n.expression;
    else return n;
  }
}

/** Whether `e` evaluates to the Express app: a known name, or a call of a known factory. */
function isApp(e: t.Node, names: ReadonlySet<string>): boolean {
  const n = unwrap(e);
  if (n.type === 'Identifier') return names.has(n.name);
  // A class that keeps its app in a field (`this.app = express()`) listens on `this.app` in a method.
  if (
    n.type === 'MemberExpression' &&
    n.object.type === 'ThisExpression' &&
    !n.computed &&
    n.property.type === 'Identifier'
  )
    return names.has(`this.${n.property.name}`);
  return n.type === 'CallExpression' && n.callee.type === 'Identifier' && names.has(n.callee.name);
}

/** Grow `names` with variables initialised from the app (`const app = createApp()`), to a fixpoint. */
function appNames(ast: t.File, seed: ReadonlySet<string>): Set<string> {
  const names = new Set(seed);
  for (let size = -1; size !== names.size; ) {
    size = names.size;
    walk(ast.program, (n) => {
      if (n.type === 'VariableDeclarator' && n.id.type === 'Identifier' && n.init && isApp(n.init, names))
        names.add(n.id.name);
    });
  }
  return names;
}

function isServerCall(n: t.CallExpression, names: ReadonlySet<string>): boolean {
  const c = n.callee;
  if (c.type === 'MemberExpression' && c.property.type === 'Identifier' && c.property.name === 'listen')
    return isApp(c.object, names);
  const isCreate =
    (c.type === 'Identifier' && c.name === 'createServer') ||
    (c.type === 'MemberExpression' && c.property.type === 'Identifier' && c.property.name === 'createServer');
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
    const statement =
      [...anc].reverse().find((a) => /Statement$|Declaration$/.test(a.type) && a.type !== 'VariableDeclarator') ?? n;
    const parent = anc[anc.length - 1];
    const decl = anc[anc.length - 2];
    let name: string | undefined;
    if (
      parent?.type === 'VariableDeclarator' &&
      parent.id.type === 'Identifier' &&
      decl?.type === 'VariableDeclaration' &&
      decl.declarations.length === 1
    )
      name = parent.id.name;
    if (
      parent?.type === 'AssignmentExpression' &&
      parent.left.type === 'Identifier' &&
      anc[anc.length - 2]?.type === 'ExpressionStatement'
    )
      name = parent.left.name;
    sites.push({ call: n, statement, name, topIndex });
  });
  return sites;
}

/** The one server site the drain patch would hand to drainOnSigterm() (plus a note about the file's own keep-alive), or why there is none. */
export function drainTarget(
  ast: t.File,
  text: string,
  file: string,
  seed: ReadonlySet<string>,
): { site: ServerSite; own?: string } | { note: string } {
  const byHand = `call drainOnSigterm(server) from the health module where the server is created`;
  if (/['"`]SIGTERM['"`]/.test(text))
    return {
      note: `${file} already handles SIGTERM, so draining was not added: make your handler close the server, or ${byHand}.`,
    };
  const sites = findServerSites(ast, seed);
  if (sites.length === 1) {
    // drainOnSigterm sets keep-alive when the server is created; a later assignment of the file's own wins.
    const own = /\bkeepAliveTimeout\b/.test(text)
      ? `${file} sets keepAliveTimeout itself after the server starts: keep it above 60000 ms (the ALB's idle timeout) and headersTimeout above it.`
      : undefined;
    return { site: sites[0]!, ...(own ? { own } : {}) };
  }
  const what = sites.length
    ? 'starts more than one server'
    : 'starts no server it can see (app.listen(…) or http.createServer(app))';
  return { note: `${file} ${what}, so keep-alive and SIGTERM draining were not added: ${byHand}.` };
}

/** The creation(s) of the app detection chose (by name; sub-apps built in loops or callbacks never count). */
export function appCreations(ast: t.File, facts: AdoptFacts): AppCreation[] {
  const all = findAppCreations(ast).filter((c) => c.scope !== 'sub');
  return facts.appName ? all.filter((c) => c.appName === facts.appName) : all;
}

/** Names the entry binds to the app module's exports (e.g. `app` from `require('../app')`). */
export function importedAppNames(
  ast: t.File,
  entry: string,
  appModule: string,
  aliases?: AdoptFacts['pathAliases'],
): Set<string> {
  const target = appModule.replace(/\.[cm]?[jt]s$/, '');
  const resolves = (spec: string): boolean => {
    const aliased = spec.startsWith('.') ? undefined : aliasTarget(spec, aliases ?? []);
    if (!spec.startsWith('.') && aliased === undefined) return false;
    const joined = aliased !== undefined ? posix.normalize(aliased) : posix.join(posix.dirname(entry), spec);
    const p = joined.replace(/\.[cm]?[jt]s$/, '');
    return p === target || `${p}/index` === target;
  };
  return new Set(bindingsOf(ast, resolves).keys());
}

/**
 * Whether the drain patch can hand the server started in `file` to drainOnSigterm (`ready`), already
 * did (`done`), or why not (`note`). Detection uses it to pick the file to patch and to warn up front.
 */
export function drainStatus(
  text: string,
  file: string,
  facts: AdoptFacts,
): { status: 'ready' | 'done' } | { note: string } {
  const ast = parseSource(text, file);
  if (!ast) return { note: `${file} ${unparsedReason(text)}, so keep-alive and SIGTERM draining were not added.` };
  if (importsHealthModule(ast, file, facts)) return { status: 'done' };
  const creation = file === facts.appModule ? appCreations(ast, facts)[0] : undefined;
  const seed = creation
    ? new Set([creation.appName, ...(creation.factory ? [creation.factory] : [])])
    : importedAppNames(ast, file, facts.appModule ?? '', facts.pathAliases);
  const target = drainTarget(ast, text, file, seed);
  return 'note' in target ? target : { status: 'ready' };
}
