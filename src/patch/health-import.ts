/** The generated health module: where it lives, how a user file imports it, whether it already does. */
import { posix } from 'node:path';
import type * as t from '@babel/types';
import type { ProjectFacts } from '../detect/facts.js';
import { requireSource, walk } from '../detect/ast.js';
import type { CodeStyle, Edit } from './source-edit.js';
import { afterStatement, indentAt } from './source-edit.js';

/** Base name of the generated health module (kept distinctive: many services have a health.js). */
export const HEALTH_MODULE = 'health-routes';

/** Root-relative path of the generated health module. */
export function healthModulePath(facts: ProjectFacts): string {
  return posix.join(facts.sourceDir ?? '.', `${HEALTH_MODULE}.${facts.sourceExt ?? 'js'}`);
}

/** Module specifiers the file loads (import, export-from, require, `import x = require`). */
function specifiers(ast: t.File): { value: string; raw?: string }[] {
  const out: { value: string; raw?: string }[] = [];
  const lit = (n: t.StringLiteral): { value: string; raw?: string } => ({ value: n.value, raw: (n.extra as { raw?: string } | undefined)?.raw });
  walk(ast.program, (n) => {
    if ((n.type === 'ImportDeclaration' || n.type === 'ExportAllDeclaration' || n.type === 'ExportNamedDeclaration') && n.source) out.push(lit(n.source));
    else if (n.type === 'CallExpression' && requireSource(n) !== undefined) out.push(lit(n.arguments[0] as t.StringLiteral));
    else if (n.type === 'TSImportEqualsDeclaration' && n.moduleReference.type === 'TSExternalModuleReference') out.push(lit(n.moduleReference.expression));
  });
  return out;
}

/** Whether `file` already loads the generated health module (the idempotence check). */
export function importsHealthModule(ast: t.File, file: string, facts: ProjectFacts): boolean {
  const target = healthModulePath(facts).replace(/\.[cm]?[jt]s$/, '');
  return specifiers(ast).some(({ value }) => value.startsWith('.') && posix.join(posix.dirname(file), value).replace(/\.[cm]?[jt]s$/, '') === target);
}

/**
 * The specifier `file` uses for the health module. ES modules and .mjs/.cjs need the extension;
 * CommonJS (and TS compiled to it) follows the file's own habit for relative paths.
 */
export function healthSpecifier(ast: t.File, file: string, facts: ProjectFacts, esm: boolean): string {
  let rel = posix.relative(posix.dirname(file), posix.join(facts.sourceDir ?? '.', HEALTH_MODULE));
  if (!rel.startsWith('.')) rel = `./${rel}`;
  const ext = facts.sourceExt ?? 'js';
  if (ext === 'mjs' || ext === 'cjs') return `${rel}.${ext}`;
  if (esm && (ext === 'js' || facts.moduleSystem === 'esm')) return `${rel}.js`;
  const relative = specifiers(ast).filter((s) => s.value.startsWith('.'));
  const withJs = relative.filter((s) => /\.js$/.test(s.value)).length;
  return relative.length && withJs * 2 >= relative.length ? `${rel}.js` : rel;
}

/** Whether a top-level statement loads a module (import, `x = require(…)`, `require(…)(…)`, `require(…).x`). */
export function isImportLike(s: t.Statement): boolean {
  if (s.type === 'ImportDeclaration' || s.type === 'TSImportEqualsDeclaration') return true;
  if (s.type !== 'VariableDeclaration') return false;
  return s.declarations.every((d) => {
    let e: t.Node | null | undefined = d.init;
    while (e && (e.type === 'CallExpression' || e.type === 'MemberExpression') && requireSource(e) === undefined) e = e.type === 'CallExpression' ? e.callee : e.object;
    return requireSource(e) !== undefined;
  });
}

/** Import statement text for `names` from `spec`, in the file's module syntax and style. */
export function importText(ast: t.File, esm: boolean, names: readonly [string, string][], spec: string, style: CodeStyle): string {
  const q = style.quote;
  if (esm) return `import { ${names.map(([n, local]) => (n === local ? n : `${n} as ${local}`)).join(', ')} } from ${q}${spec}${q}${style.semi}`;
  const kinds = ast.program.body.filter((s): s is t.VariableDeclaration => s.type === 'VariableDeclaration' && isImportLike(s)).map((s) => s.kind);
  const kind = kinds.includes('const') || kinds.length === 0 ? 'const' : kinds[0]!;
  return `${kind} { ${names.map(([n, local]) => (n === local ? n : `${n}: ${local}`)).join(', ')} } = require(${q}${spec}${q})${style.semi}`;
}

/**
 * Insert the import after the last module-loading statement before `anchor` (a top-level statement
 * index), else before the first statement. Before the anchor even for `import`: TypeScript compiled
 * to CommonJS turns each import into a `const … = require()` in place, which is not hoisted.
 */
export function importEdit(ast: t.File, text: string, anchor: number, _esm: boolean, line: string, style: CodeStyle): Edit {
  const body = ast.program.body;
  const limit = Math.min(anchor, body.length);
  let last: t.Statement | undefined;
  for (let i = 0; i < limit; i++) if (isImportLike(body[i]!)) last = body[i];
  if (last) return { at: afterStatement(text, last.end!), text: `${style.eol}${indentAt(text, last.start!)}${line}` };
  const first = body[0]!;
  return { at: first.start!, text: `${line}${style.eol}${style.eol}` };
}

/** A local name for an imported binding that does not clash with a name already in the file. */
export function freeName(text: string, name: string): string {
  const used = (n: string): boolean => new RegExp(`\\b${n}\\b`).test(text);
  if (!used(name)) return name;
  const alt = `canary${name[0]!.toUpperCase()}${name.slice(1)}`;
  return used(alt) ? `${alt}2` : alt;
}
