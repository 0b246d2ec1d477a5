/**
 * Parsing and the small set of AST questions detection and patches ask: what binds `express`,
 * where is the one `express()` app created, which relative modules a file loads.
 * Babel's parser gives exact source offsets, so patches can splice text and leave every
 * untouched character of the user's file as it was.
 */
import type { ParserPlugin } from '@babel/parser';
import type * as t from '@babel/types';
import { babelParser } from './babel-parser.js';

/**
 * Files larger than this are bundles or generated code, not a service's hand-written modules: they are
 * not parsed (a 9 MB bundle as the entry took half a minute to read, for nothing to patch).
 */
export const MAX_SOURCE_CHARS = 1_000_000;

/** Why `text` has no AST: too large to be hand-written (not read), else a syntax error. */
export function unparsedReason(text: string): string {
  return text.length > MAX_SOURCE_CHARS
    ? `is ${(text.length / 1e6).toFixed(1)} MB: too large to be hand-written code (a bundle or generated file?), so it was not read`
    : 'does not parse';
}

/** A parsed file, or undefined when it does not parse or is larger than MAX_SOURCE_CHARS. */
export function parseSource(text: string, file: string): t.File | undefined {
  if (text.length > MAX_SOURCE_CHARS) return undefined;
  const ts = /\.[cm]?tsx?$/.test(file);
  const plugins: ParserPlugin[] = ts ? ['typescript', 'decorators-legacy'] : ['jsx'];
  if (/\.tsx$/.test(file)) plugins.push('jsx');
  try {
    return babelParser().parse(text, {
      sourceType: 'unambiguous',
      plugins,
      allowReturnOutsideFunction: true,
      errorRecovery: false,
    });
  } catch {
    return undefined;
  }
}

type Visitor = (node: t.Node, ancestors: readonly t.Node[]) => void;

/** Depth-first walk over every node; `ancestors` ends with the direct parent. */
export function walk(root: t.Node, visit: Visitor, ancestors: t.Node[] = []): void {
  visit(root, ancestors);
  ancestors.push(root);
  for (const key of Object.keys(root) as (keyof t.Node)[]) {
    if (key === 'loc' || key === 'leadingComments' || key === 'trailingComments' || key === 'innerComments') continue;
    const v = root[key] as unknown;
    const kids = Array.isArray(v) ? v : [v];
    for (const k of kids) if (isNode(k)) walk(k, visit, ancestors);
  }
  ancestors.pop();
}

function isNode(v: unknown): v is t.Node {
  return v !== null && typeof v === 'object' && typeof (v as { type?: unknown }).type === 'string';
}

/** The initializer of a module-level `const NAME = …` (exported or not), if the file has one. */
export function topLevelConst(ast: t.File, name: string): t.Expression | undefined {
  for (const s of ast.program.body) {
    const d = s.type === 'ExportNamedDeclaration' ? s.declaration : s;
    if (d?.type !== 'VariableDeclaration' || d.kind !== 'const') continue;
    for (const v of d.declarations) if (v.id.type === 'Identifier' && v.id.name === name && v.init) return v.init;
  }
  return undefined;
}

/** A `<anything>.listen(…)` call. */
export function isListenCall(n: t.Node): n is t.CallExpression & { callee: t.MemberExpression } {
  return (
    n.type === 'CallExpression' &&
    n.callee.type === 'MemberExpression' &&
    n.callee.property.type === 'Identifier' &&
    n.callee.property.name === 'listen'
  );
}

/** The string a `require('x')` call loads, else undefined. */
export function requireSource(node: t.Node | null | undefined): string | undefined {
  if (node?.type !== 'CallExpression' || node.callee.type !== 'Identifier' || node.callee.name !== 'require')
    return undefined;
  const a = node.arguments[0];
  return node.arguments.length === 1 && a?.type === 'StringLiteral' ? a.value : undefined;
}

/** Local names bound to module `source` (default, namespace, `require`, `import x = require`), with the imported name. */
export function bindingsOf(ast: t.File, source: (s: string) => boolean): Map<string, string> {
  const names = new Map<string, string>(); // local → imported ('default', '*' or a named export)
  walk(ast.program, (n) => {
    if (n.type === 'ImportDeclaration' && source(n.source.value) && n.importKind !== 'type') {
      for (const s of n.specifiers) {
        if (s.type === 'ImportSpecifier' && s.importKind === 'type') continue;
        const imported =
          s.type === 'ImportSpecifier'
            ? s.imported.type === 'Identifier'
              ? s.imported.name
              : s.imported.value
            : s.type === 'ImportDefaultSpecifier'
              ? 'default'
              : '*';
        names.set(s.local.name, imported);
      }
    } else if (n.type === 'VariableDeclarator' && n.init) {
      const src =
        requireSource(n.init) ?? requireSource(n.init.type === 'MemberExpression' ? n.init.object : undefined);
      if (src === undefined || !source(src)) return;
      const member =
        n.init.type === 'MemberExpression' && n.init.property.type === 'Identifier' ? n.init.property.name : '*';
      if (n.id.type === 'Identifier') names.set(n.id.name, member);
      else if (n.id.type === 'ObjectPattern' && member === '*') {
        for (const p of n.id.properties)
          if (p.type === 'ObjectProperty' && p.key.type === 'Identifier' && p.value.type === 'Identifier')
            names.set(p.value.name, p.key.name);
      }
    } else if (
      n.type === 'TSImportEqualsDeclaration' &&
      n.moduleReference.type === 'TSExternalModuleReference' &&
      source(n.moduleReference.expression.value)
    ) {
      names.set(n.id.name, '*');
    }
  });
  return names;
}

/** Where a `const app = express()` lives: the statement, its statement list and the app's name. */
export interface AppCreation {
  readonly appName: string;
  /** The statement declaring the app (an `export const …` counts as the export statement). */
  readonly statement: t.Statement;
  /** Statement list holding `statement` (Program body or a function's block). */
  readonly body: readonly t.Statement[];
  /** Name of the enclosing function when the app is built inside a factory. */
  readonly factory?: string;
  /**
   * `top`: module level; `factory`: inside a named function (createApp()); `sub`: inside a loop or a
   * callback (a per-router or per-controller sub-app, never the one that serves traffic by itself).
   */
  readonly scope: 'top' | 'factory' | 'sub';
}

/** Whether `call` creates an Express app: `express()` for a bound name, or `require('express')()`. */
function isExpressCall(call: t.Node | null | undefined, express: ReadonlyMap<string, string>): boolean {
  if (call?.type !== 'CallExpression') return false;
  const c = call.callee;
  if (c.type === 'Identifier') return ['default', '*'].includes(express.get(c.name) ?? '');
  return requireSource(c) === 'express';
}

/** `express()` behind assignment chains: `var app = module.exports = express()`. */
function createsApp(init: t.Node | null | undefined, express: ReadonlyMap<string, string>): boolean {
  let e = init;
  while (e?.type === 'AssignmentExpression' && e.operator === '=') e = e.right;
  return isExpressCall(e, express);
}

/** Every `const <id> = express()` declaration in the file, with where it sits. */
export function findAppCreations(ast: t.File): AppCreation[] {
  const express = bindingsOf(ast, (s) => s === 'express');
  const found: AppCreation[] = [];
  walk(ast.program, (n, anc) => {
    const member = thisMemberApp(n, express);
    if (member) {
      // `this.app = express()` in a class (typically its constructor): the mount goes right after it.
      const holder = anc[anc.length - 1];
      if (holder?.type === 'BlockStatement')
        found.push({ appName: member, statement: n as t.Statement, body: holder.body, scope: creationScope(anc) });
      return;
    }
    if (n.type !== 'VariableDeclaration' || n.declarations.length !== 1) return;
    const d = n.declarations[0]!;
    if (d.id.type !== 'Identifier' || !createsApp(d.init, express)) return;
    const parent = anc[anc.length - 1];
    const statement: t.Statement = parent?.type === 'ExportNamedDeclaration' ? parent : n;
    const holder = parent?.type === 'ExportNamedDeclaration' ? anc[anc.length - 2] : parent;
    if (holder?.type !== 'Program' && holder?.type !== 'BlockStatement') return;
    const factory = enclosingFunctionName(anc);
    found.push({ appName: d.id.name, statement, body: holder.body, factory, scope: creationScope(anc) });
  });
  return found;
}

/** `this.app` for a statement `this.app = express()`, else undefined. */
function thisMemberApp(n: t.Node, express: ReadonlyMap<string, string>): string | undefined {
  if (n.type !== 'ExpressionStatement' || n.expression.type !== 'AssignmentExpression' || n.expression.operator !== '=')
    return undefined;
  const left = n.expression.left;
  if (
    left.type !== 'MemberExpression' ||
    left.object.type !== 'ThisExpression' ||
    left.computed ||
    left.property.type !== 'Identifier'
  )
    return undefined;
  return createsApp(n.expression.right, express) ? `this.${left.property.name}` : undefined;
}

/** `sub` inside a loop or a function passed as an argument, `factory` inside another function, else `top`. */
function creationScope(anc: readonly t.Node[]): AppCreation['scope'] {
  let scope: AppCreation['scope'] = 'top';
  for (let i = 0; i < anc.length; i++) {
    const n = anc[i]!;
    if (/^(For|ForIn|ForOf|While|DoWhile)Statement$/.test(n.type)) return 'sub';
    if (
      n.type === 'ArrowFunctionExpression' ||
      n.type === 'FunctionExpression' ||
      n.type === 'FunctionDeclaration' ||
      n.type === 'ClassMethod' ||
      n.type === 'ObjectMethod'
    ) {
      const p = anc[i - 1];
      if (p && (p.type === 'CallExpression' || p.type === 'NewExpression') && p.callee !== n) return 'sub';
      scope = 'factory';
    }
  }
  return scope;
}

function enclosingFunctionName(anc: readonly t.Node[]): string | undefined {
  for (let i = anc.length - 1; i >= 0; i--) {
    const n = anc[i]!;
    if (n.type === 'FunctionDeclaration') return n.id?.name ?? 'default';
    if (n.type === 'ArrowFunctionExpression' || n.type === 'FunctionExpression') {
      const p = anc[i - 1];
      return p?.type === 'VariableDeclarator' && p.id.type === 'Identifier' ? p.id.name : '(anonymous)';
    }
  }
  return undefined;
}

/** Module specifiers a file loads (import, export-from, require, import() with a literal), in source order. */
export function moduleSpecifiers(ast: t.File): string[] {
  const out: string[] = [];
  walk(ast.program, (n) => {
    let s: string | undefined;
    if (
      (n.type === 'ImportDeclaration' || n.type === 'ExportAllDeclaration' || n.type === 'ExportNamedDeclaration') &&
      n.source
    )
      s = n.source.value;
    else if (n.type === 'CallExpression')
      s =
        requireSource(n) ??
        (n.callee.type === 'Import' && n.arguments[0]?.type === 'StringLiteral' ? n.arguments[0].value : undefined);
    if (s !== undefined) out.push(s);
  });
  return out;
}

/** Whether the file uses ES module syntax (import/export), as opposed to require/module.exports. */
export function usesEsmSyntax(ast: t.File): boolean {
  return ast.program.body.some((s) => /^(Import|Export)/.test(s.type) && s.type !== 'TSImportEqualsDeclaration');
}
