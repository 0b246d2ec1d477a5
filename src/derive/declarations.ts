/**
 * The module-level declarations that change in JavaScript: type-only imports and exports go,
 * interfaces and type aliases become `@typedef`s, and a module that may be CommonJS gets both
 * syntaxes behind its EJS flag (`import` vs `require`, `export` vs `module.exports`).
 */
import type * as TS from 'typescript';
import { commentLines, jsdocBlock, jsdocType } from './jsdoc.js';
import { docComment, edit, lineEnd, lineStart, removeStatement, unsupported, type Walk } from './edits.js';

/** Record what the type-only imports of the file bind, so JSDoc can name it (`import('pg').Pool`). */
export function collectTypeImports(w: Walk): void {
  for (const s of w.sf.statements) {
    if (!w.ts.isImportDeclaration(s) || !s.importClause) continue;
    const mod = `import(${w.ts.isStringLiteral(s.moduleSpecifier) ? `'${s.moduleSpecifier.text}'` : s.moduleSpecifier.getText()})`;
    const clause = s.importClause;
    if (clause.isTypeOnly && clause.name) w.typeImports.set(clause.name.text, mod);
    const named = clause.namedBindings;
    if (named && w.ts.isNamespaceImport(named) && clause.isTypeOnly) w.typeImports.set(named.name.text, mod);
    if (named && w.ts.isNamedImports(named)) {
      for (const el of named.elements) {
        if (clause.isTypeOnly || el.isTypeOnly)
          w.typeImports.set(el.name.text, `${mod}.${(el.propertyName ?? el.name).getText()}`);
      }
    }
  }
}

/** The bindings of an import that JavaScript keeps, as `require` wants them (undefined: nothing kept). */
function keptImport(w: Walk, s: TS.ImportDeclaration): string | undefined {
  const mod = s.moduleSpecifier.getText();
  const clause = s.importClause;
  if (!clause) return `require(${mod});`;
  if (clause.isTypeOnly) return undefined;
  const named = clause.namedBindings;
  if (named && w.ts.isNamespaceImport(named)) return `const ${named.name.text} = require(${mod});`;
  const els = named ? named.elements.filter((e) => !e.isTypeOnly) : [];
  if (clause.name && els.length > 0) unsupported(w, s, 'a default and named import together in a CommonJS module');
  if (clause.name) return `const ${clause.name.text} = require(${mod});`;
  if (els.length === 0) return undefined;
  const parts = els.map((e) => (e.propertyName ? `${e.propertyName.getText()}: ${e.name.text}` : e.name.text));
  return `const { ${parts.join(', ')} } = require(${mod});`;
}

/** Drop a type-only import, or the type-only names of an import. */
export function stripImport(w: Walk, s: TS.ImportDeclaration): void {
  const clause = s.importClause;
  if (!clause) return;
  if (clause.isTypeOnly) {
    removeStatement(w, s);
    return;
  }
  const named = clause.namedBindings;
  if (!named || !w.ts.isNamedImports(named) || !named.elements.some((e) => e.isTypeOnly)) return;
  const kept = named.elements.filter((e) => !e.isTypeOnly).map((e) => e.getText());
  if (kept.length > 0) edit(w, named.getStart(), named.end, `{ ${kept.join(', ')} }`);
  else if (clause.name) edit(w, clause.name.end, named.end);
  else removeStatement(w, s);
}

/**
 * In a module that may be CommonJS: each run of adjacent imports renders as `import`s when the flag
 * is set and as `require`s otherwise.
 */
export function commonjsImports(w: Walk): void {
  const flag = w.commonjsFlag;
  if (flag === undefined) return;
  const runs: TS.ImportDeclaration[][] = [];
  let prev: TS.Statement | undefined;
  for (const s of w.sf.statements) {
    if (w.ts.isImportDeclaration(s)) {
      const adjacent =
        prev !== undefined && w.ts.isImportDeclaration(prev) && w.text.slice(prev.end, s.getStart()).trim() === '';
      if (adjacent) runs.at(-1)!.push(s);
      else runs.push([s]);
    }
    prev = s;
  }
  for (const run of runs) {
    const requires = run.map((s) => keptImport(w, s)).filter((r): r is string => r !== undefined);
    if (requires.length === 0) continue;
    edit(w, lineStart(w.text, run[0]!.getStart()), lineStart(w.text, run[0]!.getStart()), `<%_ if (${flag}) { _%>\n`);
    const after = lineEnd(w.text, run.at(-1)!.end);
    edit(w, after, after, `<%_ } else { _%>\n${requires.join('\n')}\n<%_ } _%>\n`);
  }
}

/** `export` on a declaration: kept in an ES module; in CommonJS the name goes to `module.exports`. */
export function exportModifier(
  w: Walk,
  node: TS.FunctionDeclaration | TS.VariableStatement,
  names: readonly string[],
): void {
  if (w.commonjsFlag === undefined) return;
  const mod = node.modifiers?.find((m) => m.kind === w.ts.SyntaxKind.ExportKeyword);
  if (!mod) return;
  if (node.modifiers?.some((m) => m.kind === w.ts.SyntaxKind.DefaultKeyword))
    unsupported(w, node, 'a default export in a CommonJS module');
  edit(w, mod.getStart(), mod.end + 1, `<%- ${w.commonjsFlag} ? 'export ' : '' %>`);
  w.exported.push(...names);
}

/** The `module.exports` line that closes a module when it renders as CommonJS. */
export function commonjsExports(w: Walk): void {
  if (w.commonjsFlag === undefined || w.exported.length === 0) return;
  edit(
    w,
    w.text.length,
    w.text.length,
    `<%_ if (!${w.commonjsFlag}) { _%>\n\nmodule.exports = { ${w.exported.join(', ')} };\n<%_ } _%>\n`,
  );
}

/** `export {}` and `export type { … }` go (nothing to export in JavaScript); an export list loses its type-only names. */
export function stripExportDeclaration(w: Walk, s: TS.ExportDeclaration): void {
  const clause = s.exportClause;
  const named = clause !== undefined && w.ts.isNamedExports(clause) ? clause : undefined;
  if (s.isTypeOnly || named?.elements.every((e) => e.isTypeOnly)) {
    removeStatement(w, s);
    return;
  }
  if (w.commonjsFlag !== undefined) unsupported(w, s, 'an export list in a module that may be CommonJS');
  if (named?.elements.some((e) => e.isTypeOnly))
    edit(
      w,
      named.getStart(),
      named.end,
      `{ ${named.elements
        .filter((e) => !e.isTypeOnly)
        .map((e) => e.getText())
        .join(', ')} }`,
    );
}

/** One `@property` line of an interface member. */
function propertyTag(w: Walk, m: TS.TypeElement): string {
  const name = m.name ? m.name.getText() : unsupported(w, m, 'an index or call signature in an interface');
  const optional = m.questionToken !== undefined;
  let type: string;
  if (w.ts.isPropertySignature(m) && m.type) type = jsdocType(w, m.type);
  else if (w.ts.isMethodSignature(m)) {
    const params = m.parameters.map(
      (p) => `${p.name.getText()}${p.questionToken ? '?' : ''}: ${p.type ? jsdocType(w, p.type) : 'unknown'}`,
    );
    type = `(${params.join(', ')}) => ${m.type ? jsdocType(w, m.type) : 'void'}`;
  } else return unsupported(w, m, 'an interface member without a type');
  const doc = docComment(w, m);
  const description = doc ? commentLines(w.text.slice(doc.pos, doc.end)).join(' ') : '';
  return `@property {${type}} ${optional ? `[${name}]` : name}${description ? ` ${description}` : ''}`;
}

/** The EJS lines inside `node` (conditions around some members), by position. */
function protectedLines(w: Walk, node: TS.Node): { pos: number; line: string }[] {
  const body = w.text.slice(node.getStart(), node.end);
  return [...body.matchAll(/\/\/@@EJS\d+@@/g)].map((m) => ({ pos: node.getStart() + m.index, line: m[0] }));
}

/** An interface or a type alias becomes a `@typedef` in the JSDoc that described it. */
export function typedef(w: Walk, s: TS.InterfaceDeclaration | TS.TypeAliasDeclaration): void {
  if (s.typeParameters) unsupported(w, s, 'a generic type declaration');
  const doc = docComment(w, s);
  const description = doc ? commentLines(w.text.slice(doc.pos, doc.end)) : [];
  let tags: string[];
  if (w.ts.isTypeAliasDeclaration(s)) tags = [`@typedef {${jsdocType(w, s.type)}} ${s.name.text}`];
  else {
    const items = [...s.members.map((m) => ({ pos: m.getStart(), line: propertyTag(w, m) })), ...protectedLines(w, s)];
    tags = [`@typedef {object} ${s.name.text}`, ...items.sort((a, b) => a.pos - b.pos).map((i) => i.line)];
  }
  edit(w, doc ? doc.pos : s.getStart(), s.end, jsdocBlock('', description, tags));
}
