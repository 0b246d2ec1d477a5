/**
 * The code patches of an adopted app: mount the health router right after `express()` in the app
 * module, and hand the server to drainOnSigterm() where it is created (the app module or the entry).
 * Every edit is an insertion; the result is re-parsed before it is returned, and a file that already
 * loads the health module is returned unchanged (idempotence).
 */
import type * as t from '@babel/types';
import type { AdoptFacts } from '../detect/facts.js';
import { parseSource, unparsedReason, usesEsmSyntax, walk } from '../detect/ast.js';
import { importsHealthModule } from '../detect/health-module.js';
import { manualInstructions } from '../detect/instructions.js';
import { appCreations, drainTarget, importedAppNames } from '../detect/server-site.js';
import { freeName, healthSpecifier, importEdit, importText } from './health-import.js';
import { drainEdits } from './server-site.js';
import {
  afterStatement,
  applyEdits,
  detectStyle,
  indentAt,
  nextLineBlank,
  type CodeStyle,
  type Edit,
} from './source-edit.js';
import { registrationEdits, type NamedSite } from './readiness.js';

/** A patched text plus things the user should know, or why nothing was changed (with instructions). */
export type PatchOutcome =
  | { readonly text: string; readonly notes: readonly string[] }
  | { readonly skipReason: string };

const MOUNT_COMMENT =
  '// Health endpoints first: no auth, logging or 404 handler in front of them (create-canary-pipeline).';

/** Edits for drainOnSigterm in `file`, or a note saying why it was left to the user. */
function drainPlan(
  ast: t.File,
  text: string,
  file: string,
  seed: ReadonlySet<string>,
  drain: string,
  style: CodeStyle,
): { edits: Edit[]; anchor: number; own?: string } | { note: string } {
  const target = drainTarget(ast, text, file, seed);
  if ('note' in target) return target;
  return {
    edits: drainEdits(text, target.site, drain, style),
    anchor: target.site.topIndex,
    ...(target.own ? { own: target.own } : {}),
  };
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
function verified(text: string, file: string, facts: AdoptFacts, notes: string[]): PatchOutcome {
  const ast = parseSource(text, file);
  if (!ast || !importsHealthModule(ast, file, facts))
    return {
      skipReason: manualInstructions(
        facts,
        `patching ${file} produced code that did not re-parse (a bug; please report it)`,
      ),
    };
  return { text, notes };
}

/** Readiness registrations for `sites` in this file, plus the import name they need. */
function readinessPlan(
  ast: t.File,
  text: string,
  sites: readonly NamedSite[],
  style: CodeStyle,
): { edits: Edit[]; anchor: number; names: [string, string][] } {
  const register = freeName(text, 'registerReadinessCheck');
  const plan = sites.length ? registrationEdits(ast, text, sites, register, style) : undefined;
  return plan ? { ...plan, names: [['registerReadinessCheck', register]] } : { edits: [], anchor: Infinity, names: [] };
}

/** Mount the health router in the app module; drain the server and register client checks there too when they are in this file. */
export function patchAppModule(
  text: string,
  file: string,
  facts: AdoptFacts,
  sites: readonly NamedSite[] = [],
): PatchOutcome {
  const ast = parseSource(text, file);
  if (!ast) return { skipReason: manualInstructions(facts, `${file} ${unparsedReason(text)}`) };
  if (importsHealthModule(ast, file, facts)) return { text, notes: [] };
  const creations = appCreations(ast, facts);
  if (creations.length !== 1)
    return {
      skipReason: manualInstructions(
        facts,
        creations.length
          ? `${file} creates more than one Express app`
          : `no \`const app = express()\` found in ${file}`,
      ),
    };
  if (servesHealthPaths(ast))
    return {
      skipReason: manualInstructions(
        facts,
        `${file} already mentions /livez or /readyz; mount the generated router yourself or keep your own endpoints`,
      ),
    };
  const c = creations[0]!;
  const style = detectStyle(ast, text);
  const esm = usesEsmSyntax(ast) || /\.[cm]?tsx?$/.test(file);
  const router = freeName(text, 'healthRouter');
  const drain = freeName(text, 'drainOnSigterm');
  const indent = indentAt(text, c.statement.start!);
  const at = afterStatement(text, c.statement.end!);
  const mount = `${style.eol}${style.eol}${indent}${MOUNT_COMMENT}${style.eol}${indent}${c.appName}.use(${router}())${style.semi}${nextLineBlank(text, at) ? '' : style.eol}`;
  const seed = new Set([
    c.appName,
    ...(c.factory && /^[A-Za-z_$][\w$]*$/.test(c.factory) && c.factory !== 'default' ? [c.factory] : []),
  ]);
  const found = drainPlan(ast, text, file, seed, drain, style);
  // Without a server start here, another file gets the drain patch: no note about this file then.
  const plan = 'note' in found && facts.serverFile !== undefined && facts.serverFile !== file ? { note: '' } : found;
  const ready = readinessPlan(ast, text, sites, style);
  const names: [string, string][] = [
    ['healthRouter', router],
    ...('edits' in plan ? [['drainOnSigterm', drain] as [string, string]] : []),
    ...ready.names,
  ];
  const topIndex = ast.program.body.findIndex((s) => s.start! <= c.statement.start! && c.statement.end! <= s.end!);
  const line = importText(ast, esm, names, healthSpecifier(ast, file, facts, esm), style);
  const anchor = Math.min(topIndex, 'edits' in plan ? plan.anchor : topIndex, ready.anchor);
  const edits = [
    importEdit(ast, text, anchor, esm, line, style),
    { at, text: mount },
    ...('edits' in plan ? plan.edits : []),
    ...ready.edits,
  ];
  return verified(
    applyEdits(text, edits),
    file,
    facts,
    'note' in plan ? (plan.note ? [plan.note] : []) : plan.own ? [plan.own] : [],
  );
}

/** Register the readiness checks of the clients created in `file` (neither the app module nor the server file). */
export function patchClientFile(
  text: string,
  file: string,
  facts: AdoptFacts,
  sites: readonly NamedSite[],
): PatchOutcome {
  const ast = parseSource(text, file);
  if (!ast)
    return {
      skipReason: `${file} ${unparsedReason(text)}; register the readiness check by hand: ${sites.map((s) => `registerReadinessCheck('${s.name}', () => ${s.probe})`).join('; ')}.`,
    };
  if (importsHealthModule(ast, file, facts)) return { text, notes: [] };
  const style = detectStyle(ast, text);
  const esm = usesEsmSyntax(ast) || /\.[cm]?tsx?$/.test(file);
  const ready = readinessPlan(ast, text, sites, style);
  if (!ready.edits.length)
    return {
      skipReason: `the client declarations in ${file} were not found again; register the readiness check by hand.`,
    };
  const line = importText(ast, esm, ready.names, healthSpecifier(ast, file, facts, esm), style);
  return verified(
    applyEdits(text, [importEdit(ast, text, ready.anchor, esm, line, style), ...ready.edits]),
    file,
    facts,
    [],
  );
}

/** Drain the server in the entry file (which loads the app from the app module), and register the client checks created there. */
export function patchEntry(
  text: string,
  file: string,
  facts: AdoptFacts,
  sites: readonly NamedSite[] = [],
): PatchOutcome {
  const ast = parseSource(text, file);
  if (!ast) return { skipReason: `${file} ${unparsedReason(text)}; keep-alive and SIGTERM draining were not added.` };
  if (importsHealthModule(ast, file, facts) || !facts.appModule) return { text, notes: [] };
  const style = detectStyle(ast, text);
  const esm = usesEsmSyntax(ast) || /\.[cm]?tsx?$/.test(file);
  const drain = freeName(text, 'drainOnSigterm');
  const plan = drainPlan(
    ast,
    text,
    file,
    importedAppNames(ast, file, facts.appModule, facts.pathAliases),
    drain,
    style,
  );
  const ready = readinessPlan(ast, text, sites, style);
  if ('note' in plan && !ready.edits.length) return { skipReason: plan.note };
  const names: [string, string][] = [
    ...('edits' in plan ? [['drainOnSigterm', drain] as [string, string]] : []),
    ...ready.names,
  ];
  const line = importText(ast, esm, names, healthSpecifier(ast, file, facts, esm), style);
  const anchor = Math.min('edits' in plan ? plan.anchor : Infinity, ready.anchor);
  const edits = [
    importEdit(ast, text, anchor, esm, line, style),
    ...('edits' in plan ? plan.edits : []),
    ...ready.edits,
  ];
  return verified(applyEdits(text, edits), file, facts, 'note' in plan ? [plan.note] : plan.own ? [plan.own] : []);
}
