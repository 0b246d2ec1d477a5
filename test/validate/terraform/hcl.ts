/**
 * Thin typed access to @cdktf/hcl2json (Go WASM, CommonJS): file parse and expression AST, plus the
 * traversals an expression reads. hcl2json keeps every expression as a template string (`${…}`);
 * each one is re-parsed as a heredoc template so quotes inside it need no escaping.
 */
import { createRequire } from 'node:module';
import { readTraversal, type Step } from './traversal.js';

interface AstNode {
  readonly type: string;
  readonly meta?: { readonly keyVar?: string; readonly valVar?: string; readonly traversal?: readonly { readonly segment?: string }[] };
  readonly range?: { readonly start: { readonly byte: number } };
  readonly children?: readonly AstNode[];
}

interface Hcl2Json {
  parse(filename: string, contents: string): Promise<Record<string, unknown>>;
  getExpressionAst(filename: string, expression: string): Promise<AstNode | null>;
}

let lib: Hcl2Json | undefined;

function hcl(): Hcl2Json {
  lib ??= createRequire(import.meta.url)('@cdktf/hcl2json') as Hcl2Json;
  return lib;
}

/** Parse one HCL file to hcl2json's JSON form; rejects with `file:line,col: …` on syntax errors. */
export function parseHcl(filename: string, contents: string): Promise<Record<string, unknown>> {
  return hcl().parse(filename, contents);
}

/** A traversal read by an expression: its steps and source text. */
export interface ExprRef {
  readonly steps: readonly Step[];
  readonly source: string;
}

const DELIM = '__VALIDATE_EOT__';

function collect(node: AstNode | undefined, locals: ReadonlySet<string>, bytes: Buffer, out: ExprRef[]): void {
  if (!node) return;
  if (node.type === 'scopeTraversal' && node.range) {
    const root = node.meta?.traversal?.[0]?.segment;
    if (root !== undefined && !locals.has(root)) out.push(readTraversal(bytes.subarray(node.range.start.byte).toString('utf8'), 0));
    return;
  }
  let scope = locals;
  if (node.type === 'for') {
    // for-expression variables (`for k, v in …`, `%{ for x in … }`) are locals of the expression
    scope = new Set([...locals, ...[node.meta?.keyVar, node.meta?.valVar].filter((v): v is string => !!v)]);
  }
  for (const child of node.children ?? []) collect(child, scope, bytes, out);
}

/** Every traversal an hcl2json string value reads, minus those rooted at `locals`. */
export async function expressionRefs(filename: string, value: string, locals: ReadonlySet<string>): Promise<ExprRef[]> {
  const wrapped = `<<${DELIM}\n${value}\n${DELIM}\n`;
  const ast = await hcl().getExpressionAst(filename, wrapped);
  const out: ExprRef[] = [];
  collect(ast ?? undefined, locals, Buffer.from(wrapped, 'utf8'), out);
  return out;
}
