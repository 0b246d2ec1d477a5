/**
 * TypeScript → JavaScript by erasing the types in place, so everything else (layout, comments, blank
 * lines) stays as written. The types of declarations move into JSDoc (see jsdoc.ts); anything this
 * does not know how to translate fails the derivation with its line, never ships half-translated.
 * Uses the `typescript` package, which is a build/development tool only: the published bundle holds
 * the derived templates, not this code.
 */
import { createRequire } from 'node:module';
import type * as TS from 'typescript';
import { commentLines, jsdocBlock, jsdocType } from './jsdoc.js';
import { applyEdits, docComment, edit, indentAt, removeStatement, setDoc, unsupported, type Walk } from './edits.js';
import {
  collectTypeImports,
  commonjsExports,
  commonjsImports,
  exportModifier,
  stripExportDeclaration,
  stripImport,
  typedef,
} from './declarations.js';

let loaded: typeof TS | undefined;
/** Loaded on first use: only a JavaScript template's first derivation pays for it. */
function typescript(): typeof TS {
  loaded ??= createRequire(import.meta.url)('typescript') as typeof TS;
  return loaded;
}

type FunctionLike =
  | TS.FunctionDeclaration
  | TS.FunctionExpression
  | TS.ArrowFunction
  | TS.MethodDeclaration
  | TS.AccessorDeclaration;

/** Remove the parameter, return and type-parameter annotations of a function. */
function stripSignature(w: Walk, fn: FunctionLike): void {
  const { text } = w;
  for (const p of fn.parameters) {
    if (p.modifiers?.length || p.name.getText() === 'this')
      unsupported(w, p, 'a parameter modifier or `this` parameter');
    if (p.type) edit(w, (p.questionToken ?? p.name).end, p.type.end);
    else if (p.questionToken) edit(w, p.questionToken.getStart(), p.questionToken.end);
  }
  if (fn.type) edit(w, text.lastIndexOf(')', fn.type.pos) + 1, fn.type.end);
  if (fn.typeParameters) {
    const lt = text.lastIndexOf('<', fn.typeParameters.pos);
    edit(w, lt, text.indexOf('>', fn.typeParameters.end) + 1);
  }
}

/** `@template`, `@param` and `@returns` of a function declaration, merged into its JSDoc. */
function functionDoc(w: Walk, fn: TS.FunctionDeclaration): void {
  const tags: string[] = [];
  for (const t of fn.typeParameters ?? [])
    tags.push(t.constraint ? `@template {${jsdocType(w, t.constraint)}} ${t.name.text}` : `@template ${t.name.text}`);
  for (const p of fn.parameters) {
    if (!p.type) continue;
    const name = w.ts.isIdentifier(p.name) ? p.name.text : unsupported(w, p, 'a typed destructuring parameter');
    tags.push(`@param {${jsdocType(w, p.type)}} ${p.questionToken || p.initializer ? `[${name}]` : name}`);
  }
  const returns = fn.type ? jsdocType(w, fn.type) : 'void';
  if (returns !== 'void' && returns !== 'Promise<void>') tags.push(`@returns {${returns}}`);
  if (tags.length === 0) return;
  const doc = docComment(w, fn);
  const description = doc ? commentLines(w.text.slice(doc.pos, doc.end)) : [];
  setDoc(w, fn, doc, jsdocBlock(indentAt(w.text, fn.getStart()), description, tags));
}

/** A variable's annotation (or the type arguments of its `new C<T>()`) becomes `@type`. */
function variableDoc(w: Walk, s: TS.VariableStatement): void {
  const decls = s.declarationList.declarations;
  let type: string | undefined;
  for (const d of decls) {
    if (d.type) edit(w, (d.exclamationToken ?? d.name).end, d.type.end);
    if (decls.length !== 1) continue;
    const init = d.initializer;
    if (d.type) type = jsdocType(w, d.type);
    else if (init && w.ts.isNewExpression(init) && init.typeArguments)
      type = `${init.expression.getText()}<${init.typeArguments.map((t) => jsdocType(w, t)).join(', ')}>`;
  }
  if (type === undefined) return;
  const doc = docComment(w, s);
  const description = doc ? commentLines(w.text.slice(doc.pos, doc.end)) : [];
  setDoc(w, s, doc, jsdocBlock(indentAt(w.text, s.getStart()), description, [`@type {${type}}`]));
}

/** `x as T` is a JSDoc cast, `as const`, `x!` and `satisfies` vanish, `<T>` after a call goes. */
function expression(w: Walk, n: TS.Node): boolean {
  const { ts } = w;
  if (ts.isAsExpression(n)) {
    if (ts.isTypeReferenceNode(n.type) && n.type.typeName.getText() === 'const') edit(w, n.expression.end, n.end);
    else {
      edit(w, n.expression.getStart(), n.expression.getStart(), `/** @type {${jsdocType(w, n.type)}} */ (`);
      edit(w, n.expression.end, n.end, ')');
    }
  } else if (ts.isNonNullExpression(n) || ts.isSatisfiesExpression(n)) edit(w, n.expression.end, n.end);
  else if ((ts.isCallExpression(n) || ts.isNewExpression(n)) && n.typeArguments) {
    const lt = w.text.lastIndexOf('<', n.typeArguments.pos);
    edit(w, lt, w.text.indexOf('>', n.typeArguments.end) + 1);
  } else if (
    ts.isElementAccessExpression(n) &&
    !n.questionDotToken &&
    ts.isStringLiteral(n.argumentExpression) &&
    /^[A-Za-z_$][\w$]*$/.test(n.argumentExpression.text)
  ) {
    // `process.env['PORT']` is TypeScript's index-signature spelling; JavaScript reads `process.env.PORT`.
    edit(w, n.expression.end, n.end, `.${n.argumentExpression.text}`);
  } else if (ts.isTypeAssertionExpression(n)) unsupported(w, n, 'an angle-bracket type assertion');
  else return false;
  return true;
}

/** Declarations that are types only: handled whole (their children are not visited). True when `n` is one. */
function typeDeclaration(w: Walk, n: TS.Node): boolean {
  const { ts } = w;
  if (ts.isImportDeclaration(n)) stripImport(w, n);
  // An overload signature: the implementation that follows carries the JavaScript.
  else if (ts.isFunctionDeclaration(n) && n.body === undefined) removeStatement(w, n);
  else if (ts.isExportDeclaration(n)) stripExportDeclaration(w, n);
  else if (ts.isInterfaceDeclaration(n) || ts.isTypeAliasDeclaration(n)) typedef(w, n);
  else return false;
  return true;
}

/** Declarations whose types move into JSDoc (and whose `export` may be CommonJS); the rest fail. */
function valueDeclaration(w: Walk, n: TS.Node): void {
  const { ts } = w;
  if (
    ts.isEnumDeclaration(n) ||
    ts.isModuleDeclaration(n) ||
    ts.isImportEqualsDeclaration(n) ||
    ts.isClassLike(n) ||
    ts.isExportAssignment(n)
  )
    unsupported(w, n, ts.SyntaxKind[n.kind]);
  if (ts.canHaveModifiers(n) && ts.getModifiers(n)?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword))
    unsupported(w, n, 'a `declare`');
  if (ts.isFunctionDeclaration(n)) {
    functionDoc(w, n);
    if (n.parent === w.sf && n.name) exportModifier(w, n, [n.name.text]);
  } else if (ts.isVariableStatement(n)) {
    variableDoc(w, n);
    if (n.parent === w.sf)
      exportModifier(
        w,
        n,
        n.declarationList.declarations.map((d) => d.name.getText()),
      );
  }
}

function visit(w: Walk, n: TS.Node): void {
  const { ts } = w;
  if ((ts.isTypeNode(n) && !ts.isExpressionWithTypeArguments(n)) || typeDeclaration(w, n)) return;
  valueDeclaration(w, n);
  if (
    ts.isFunctionDeclaration(n) ||
    ts.isFunctionExpression(n) ||
    ts.isArrowFunction(n) ||
    ts.isMethodDeclaration(n) ||
    ts.isAccessor(n)
  )
    stripSignature(w, n);
  else if (ts.isVariableDeclaration(n) && n.type && !ts.isVariableStatement(n.parent.parent))
    edit(w, n.name.end, n.type.end);
  else expression(w, n);
  ts.forEachChild(n, (c) => visit(w, c));
}

/** The JavaScript of `source` (TypeScript). With `commonjsFlag`, both module syntaxes behind that EJS condition. */
export function stripTypes(source: string, commonjsFlag?: string): string {
  const ts = typescript();
  const sf = ts.createSourceFile('template.ts', source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const diagnostics = (sf as unknown as { parseDiagnostics: readonly TS.DiagnosticWithLocation[] }).parseDiagnostics;
  if (diagnostics.length > 0) {
    const d = diagnostics[0]!;
    const { line } = sf.getLineAndCharacterOfPosition(d.start);
    throw new Error(
      `cannot derive JavaScript: the TypeScript does not parse (line ${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')})`,
    );
  }
  const w: Walk = { ts, text: source, sf, typeImports: new Map(), edits: [], commonjsFlag, exported: [] };
  collectTypeImports(w);
  commonjsImports(w);
  for (const s of sf.statements) visit(w, s);
  commonjsExports(w);
  return applyEdits(source, w.edits);
}
