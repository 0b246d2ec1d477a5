/**
 * The code patches of an adopted app: mount the health router right after `express()` in the app
 * module, and hand the server to drainOnSigterm() where it is created (the app module or the entry).
 * Every edit is an insertion; the result is re-parsed before it is returned, and a file that already
 * loads the health module is returned unchanged (idempotence).
 */
import { posix } from 'node:path';
import type * as t from '@babel/types';
import type { ProjectFacts } from '../detect/facts.js';
import { bindingsOf, findAppCreations, parseSource, usesEsmSyntax, walk, type AppCreation } from '../detect/ast.js';
import { freeName, healthSpecifier, importEdit, importsHealthModule, importText } from './health-import.js';
import { manualInstructions } from './instructions.js';
import { drainEdits, findServerSites } from './server-site.js';
import { afterStatement, applyEdits, detectStyle, indentAt, nextLineBlank, type CodeStyle, type Edit } from './source-edit.js';
import { registrationEdits, type NamedSite } from './readiness.js';

/** A patched text plus things the user should know, or why nothing was changed (with instructions). */
export type PatchOutcome = { readonly text: string; readonly notes: readonly string[] } | { readonly skipReason: string };

const MOUNT_COMMENT = '// Health endpoints first: no auth, logging or 404 handler in front of them (create-canary-pipeline).';

/** Edits for drainOnSigterm in `file`, or a note saying why it was left to the user. */
function drainPlan(ast: t.File, text: string, file: string, seed: ReadonlySet<string>, drain: string, style: CodeStyle): { edits: Edit[]; anchor: number; own?: string } | { note: string } {
  const byHand = `call drainOnSigterm(server) from the health module where the server is created`;
  if (/['"`]SIGTERM['"`]/.test(text)) return { note: `${file} already handles SIGTERM, so draining was not added: make your handler close the server, or ${byHand}.` };
  const sites = findServerSites(ast, seed);
  if (sites.length === 1) {
    // drainOnSigterm sets keep-alive when the server is created; a later assignment of the file's own wins.
    const own = /\bkeepAliveTimeout\b/.test(text) ? `${file} sets keepAliveTimeout itself after the server starts: keep it above 60000 ms (the ALB's idle timeout) and headersTimeout above it.` : undefined;
    return { edits: drainEdits(text, sites[0]!, drain, style), anchor: sites[0]!.topIndex, ...(own ? { own } : {}) };
  }
  const what = sites.length ? 'starts more than one server' : 'starts no server it can see (app.listen(…) or http.createServer(app))';
  return { note: `${file} ${what}, so keep-alive and SIGTERM draining were not added: ${byHand}.` };
}

/** The creation(s) of the app detection chose (by name; sub-apps built in loops or callbacks never count). */
function appCreations(ast: t.File, facts: ProjectFacts): AppCreation[] {
  const all = findAppCreations(ast).filter((c) => c.scope !== 'sub');
  return facts.appName ? all.filter((c) => c.appName === facts.appName) : all;
}

/** Whether the file already serves /livez or /readyz itself. */
function servesHealthPaths(ast: t.File): boolean {
  let found = false;
  walk(ast.program, (n) => {
    if (n.type === 'StringLiteral' && /^\/(livez|readyz)\b/.test(n.value)) found = true;
  });
  return found;
}

/** Re-parse the patched text: a patch never returns code that does not parse or that a re-run would patch again. */
function verified(text: string, file: string, facts: ProjectFacts, notes: string[]): PatchOutcome {
  const ast = parseSource(text, file);
  if (!ast || !importsHealthModule(ast, file, facts)) return { skipReason: manualInstructions(facts, `patching ${file} produced code that did not re-parse (a bug; please report it)`) };
  return { text, notes };
}

/** Readiness registrations for `sites` in this file, plus the import name they need. */
function readinessPlan(ast: t.File, text: string, sites: readonly NamedSite[], style: CodeStyle): { edits: Edit[]; anchor: number; names: [string, string][] } {
  const register = freeName(text, 'registerReadinessCheck');
  const plan = sites.length ? registrationEdits(ast, text, sites, register, style) : undefined;
  return plan ? { ...plan, names: [['registerReadinessCheck', register]] } : { edits: [], anchor: Infinity, names: [] };
}

/** Mount the health router in the app module; drain the server and register client checks there too when they are in this file. */
export function patchAppModule(text: string, file: string, facts: ProjectFacts, sites: readonly NamedSite[] = []): PatchOutcome {
  const ast = parseSource(text, file);
  if (!ast) return { skipReason: manualInstructions(facts, `${file} does not parse`) };
  if (importsHealthModule(ast, file, facts)) return { text, notes: [] };
  const creations = appCreations(ast, facts);
  if (creations.length !== 1) return { skipReason: manualInstructions(facts, creations.length ? `${file} creates more than one Express app` : `no \`const app = express()\` found in ${file}`) };
  if (servesHealthPaths(ast)) return { skipReason: manualInstructions(facts, `${file} already mentions /livez or /readyz; mount the generated router yourself or keep your own endpoints`) };
  const c = creations[0]!;
  const style = detectStyle(ast, text);
  const esm = usesEsmSyntax(ast) || /\.[cm]?tsx?$/.test(file);
  const router = freeName(text, 'healthRouter');
  const drain = freeName(text, 'drainOnSigterm');
  const indent = indentAt(text, c.statement.start!);
  const at = afterStatement(text, c.statement.end!);
  const mount = `${style.eol}${style.eol}${indent}${MOUNT_COMMENT}${style.eol}${indent}${c.appName}.use(${router}())${style.semi}${nextLineBlank(text, at) ? '' : style.eol}`;
  const seed = new Set([c.appName, ...(c.factory && /^[A-Za-z_$][\w$]*$/.test(c.factory) && c.factory !== 'default' ? [c.factory] : [])]);
  const found = drainPlan(ast, text, file, seed, drain, style);
  // Without a server start here, another file gets the drain patch: no note about this file then.
  const plan = 'note' in found && facts.serverFile !== undefined && facts.serverFile !== file ? { note: '' } : found;
  const ready = readinessPlan(ast, text, sites, style);
  const names: [string, string][] = [['healthRouter', router], ...('edits' in plan ? [['drainOnSigterm', drain] as [string, string]] : []), ...ready.names];
  const topIndex = ast.program.body.findIndex((s) => s.start! <= c.statement.start! && c.statement.end! <= s.end!);
  const line = importText(ast, esm, names, healthSpecifier(ast, file, facts, esm), style);
  const anchor = Math.min(topIndex, 'edits' in plan ? plan.anchor : topIndex, ready.anchor);
  const edits = [importEdit(ast, text, anchor, esm, line, style), { at, text: mount }, ...('edits' in plan ? plan.edits : []), ...ready.edits];
  return verified(applyEdits(text, edits), file, facts, 'note' in plan ? (plan.note ? [plan.note] : []) : plan.own ? [plan.own] : []);
}

/** Register the readiness checks of the clients created in `file` (neither the app module nor the server file). */
export function patchClientFile(text: string, file: string, facts: ProjectFacts, sites: readonly NamedSite[]): PatchOutcome {
  const ast = parseSource(text, file);
  if (!ast) return { skipReason: `${file} does not parse; register the readiness check by hand: ${sites.map((s) => `registerReadinessCheck('${s.name}', () => ${s.probe})`).join('; ')}.` };
  if (importsHealthModule(ast, file, facts)) return { text, notes: [] };
  const style = detectStyle(ast, text);
  const esm = usesEsmSyntax(ast) || /\.[cm]?tsx?$/.test(file);
  const ready = readinessPlan(ast, text, sites, style);
  if (!ready.edits.length) return { skipReason: `the client declarations in ${file} were not found again; register the readiness check by hand.` };
  const line = importText(ast, esm, ready.names, healthSpecifier(ast, file, facts, esm), style);
  return verified(applyEdits(text, [importEdit(ast, text, ready.anchor, esm, line, style), ...ready.edits]), file, facts, []);
}

/** Names the entry binds to the app module's exports (e.g. `app` from `require('../app')`). */
function importedAppNames(ast: t.File, entry: string, appModule: string, aliases?: ProjectFacts['pathAliases']): Set<string> {
  const target = appModule.replace(/\.[cm]?[jt]s$/, '');
  const resolves = (spec: string): boolean => {
    const alias = spec.startsWith('.') ? undefined : (aliases ?? []).find(([prefix]) => spec.startsWith(prefix));
    if (!spec.startsWith('.') && !alias) return false;
    const joined = alias ? posix.normalize(alias[1] + spec.slice(alias[0].length)) : posix.join(posix.dirname(entry), spec);
    const p = joined.replace(/\.[cm]?[jt]s$/, '');
    return p === target || `${p}/index` === target;
  };
  return new Set(bindingsOf(ast, resolves).keys());
}

/** Drain the server in the entry file (which loads the app from the app module), and register the client checks created there. */
export function patchEntry(text: string, file: string, facts: ProjectFacts, sites: readonly NamedSite[] = []): PatchOutcome {
  const ast = parseSource(text, file);
  if (!ast) return { skipReason: `${file} does not parse; keep-alive and SIGTERM draining were not added.` };
  if (importsHealthModule(ast, file, facts) || !facts.appModule) return { text, notes: [] };
  const style = detectStyle(ast, text);
  const esm = usesEsmSyntax(ast) || /\.[cm]?tsx?$/.test(file);
  const drain = freeName(text, 'drainOnSigterm');
  const plan = drainPlan(ast, text, file, importedAppNames(ast, file, facts.appModule, facts.pathAliases), drain, style);
  const ready = readinessPlan(ast, text, sites, style);
  if ('note' in plan && !ready.edits.length) return { skipReason: plan.note };
  const names: [string, string][] = [...('edits' in plan ? [['drainOnSigterm', drain] as [string, string]] : []), ...ready.names];
  const line = importText(ast, esm, names, healthSpecifier(ast, file, facts, esm), style);
  const anchor = Math.min('edits' in plan ? plan.anchor : Infinity, ready.anchor);
  const edits = [importEdit(ast, text, anchor, esm, line, style), ...('edits' in plan ? plan.edits : []), ...ready.edits];
  return verified(applyEdits(text, edits), file, facts, 'note' in plan ? [plan.note] : plan.own ? [plan.own] : []);
}

/**
 * Whether the drain patch can hand the server started in `file` to drainOnSigterm (`ready`), already
 * did (`done`), or why not (`note`). Detection uses it to pick the file to patch and to warn up front.
 */
export function drainStatus(text: string, file: string, facts: ProjectFacts): { status: 'ready' | 'done' } | { note: string } {
  const ast = parseSource(text, file);
  if (!ast) return { note: `${file} does not parse, so keep-alive and SIGTERM draining were not added.` };
  if (importsHealthModule(ast, file, facts)) return { status: 'done' };
  const creation = file === facts.appModule ? appCreations(ast, facts)[0] : undefined;
  const seed = creation ? new Set([creation.appName, ...(creation.factory ? [creation.factory] : [])]) : importedAppNames(ast, file, facts.appModule ?? '', facts.pathAliases);
  const plan = drainPlan(ast, text, file, seed, 'drainOnSigterm', detectStyle(ast, text));
  return 'note' in plan ? plan : { status: 'ready' };
}
