/** How a user file imports the generated health module (where it lives: facts.layout.healthModule). */
import { posix } from 'node:path';
import type * as t from '@babel/types';
import { HEALTH_MODULE, type AdoptFacts } from '../detect/facts.js';
import { requireSource } from '../detect/ast.js';
import { specifiers } from '../detect/health-module.js';
import type { CodeStyle, Edit } from './source-edit.js';
import { afterStatement, indentAt } from './source-edit.js';

/**
 * The specifier `file` uses for the health module. ES modules and .mjs/.cjs need the extension;
 * CommonJS (and TS compiled to it) follows the file's own habit for relative paths.
 */
export function healthSpecifier(ast: t.File, file: string, facts: AdoptFacts, esm: boolean): string {
  let rel = posix.relative(posix.dirname(file), posix.join(facts.layout.dir, HEALTH_MODULE));
  if (!rel.startsWith('.')) rel = `./${rel}`;
  const ext = facts.layout.ext;
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
    while (e && (e.type === 'CallExpression' || e.type === 'MemberExpression') && requireSource(e) === undefined)
      e = e.type === 'CallExpression' ? e.callee : e.object;
    return requireSource(e) !== undefined;
  });
}

/** Import statement text for `names` from `spec`, in the file's module syntax and style. */
export function importText(
  ast: t.File,
  esm: boolean,
  names: readonly [string, string][],
  spec: string,
  style: CodeStyle,
): string {
  const q = style.quote;
  if (esm)
    return `import { ${names.map(([n, local]) => (n === local ? n : `${n} as ${local}`)).join(', ')} } from ${q}${spec}${q}${style.semi}`;
  const kinds = ast.program.body
    .filter((s): s is t.VariableDeclaration => s.type === 'VariableDeclaration' && isImportLike(s))
    .map((s) => s.kind);
  const kind = kinds.includes('const') || kinds.length === 0 ? 'const' : kinds[0]!;
  return `${kind} { ${names.map(([n, local]) => (n === local ? n : `${n}: ${local}`)).join(', ')} } = require(${q}${spec}${q})${style.semi}`;
}

/**
 * Insert the import after the last module-loading statement before `anchor` (a top-level statement
 * index), else before the first statement. Before the anchor even for `import`: TypeScript compiled
 * to CommonJS turns each import into a `const … = require()` in place, which is not hoisted.
 */
export function importEdit(
  ast: t.File,
  text: string,
  anchor: number,
  _esm: boolean,
  line: string,
  style: CodeStyle,
): Edit {
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
