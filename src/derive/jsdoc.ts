/**
 * JSDoc for the JavaScript twin of a TypeScript template: the types the TypeScript spells inline
 * become `@param`/`@returns`/`@type`/`@typedef` tags, so a JavaScript user's editor still sees them.
 */
import type * as TS from 'typescript';

/** What the type walk knows about one source file. */
export interface TypeScope {
  readonly ts: typeof TS;
  readonly text: string;
  /** Names bound by type-only imports → the JSDoc that names the same thing (`import('pg')`, `import('express').Express`). */
  readonly typeImports: Map<string, string>;
}

/** A type node as JSDoc writes it: its source text, with type-only imported names spelled `import('…')`. */
export function jsdocType(scope: TypeScope, node: TS.Node): string {
  const { ts, text, typeImports } = scope;
  const start = node.getStart();
  const swaps: { at: number; end: number; with: string }[] = [];
  const visit = (n: TS.Node): void => {
    if (ts.isIdentifier(n) && typeImports.has(n.text) && !isMemberName(ts, n))
      swaps.push({ at: n.getStart(), end: n.end, with: typeImports.get(n.text)! });
    ts.forEachChild(n, visit);
  };
  visit(node);
  let out = '';
  let from = start;
  for (const s of swaps.sort((a, b) => a.at - b.at)) {
    out += text.slice(from, s.at) + s.with;
    from = s.end;
  }
  return (out + text.slice(from, node.end)).replace(/\s*\n\s*/g, ' ');
}

/** An identifier that names a member (`pg.Pool`'s `Pool`, a property in a type literal), not a binding. */
function isMemberName(ts: typeof TS, n: TS.Identifier): boolean {
  const p = n.parent;
  return (
    (ts.isQualifiedName(p) && p.right === n) ||
    (ts.isPropertyAccessExpression(p) && p.name === n) ||
    (ts.isPropertySignature(p) && p.name === n) ||
    (ts.isMethodSignature(p) && p.name === n) ||
    (ts.isParameter(p) && p.name === n)
  );
}

/** The text lines of a `/** … *\/` comment, without the comment's own markup. */
export function commentLines(comment: string): string[] {
  const body = comment.replace(/^\/\*\*/, '').replace(/\*\/$/, '');
  const lines = body.split('\n').map((l) => l.replace(/^\s*\* ?/, '').replace(/\s+$/, ''));
  while (lines.length > 0 && lines[0]!.trim() === '') lines.shift();
  while (lines.length > 0 && lines.at(-1)!.trim() === '') lines.pop();
  return lines.map((l, i) => (i === 0 ? l.trimStart() : l));
}

/**
 * One JSDoc block at `indent`: the description, then the tags. A single line stays on one line
 * (`/** @type {T} *\/`); anything longer gets the usual one-line-per-item layout.
 */
export function jsdocBlock(indent: string, description: readonly string[], tags: readonly string[]): string {
  const lines = [...description, ...tags];
  if (lines.length === 1 && !lines[0]!.startsWith('//@@EJS')) return `/** ${lines[0]} */`;
  // A protected EJS line (a condition around some of the tags) keeps its own line, unprefixed.
  const body = lines.map((l) => (l.startsWith('//@@EJS') ? l : l === '' ? `${indent} *` : `${indent} * ${l}`));
  return `/**\n${body.join('\n')}\n${indent} */`;
}
