/**
 * Thin typed access to @cdktf/hcl2json (Go WASM, started in ../wasm.ts): file parse, plus the
 * traversals an expression reads. hcl2json keeps every expression as a template string (`${…}`);
 * each one is re-parsed as a heredoc template so quotes inside it need no escaping.
 */
import { wasmTools } from '../wasm.js';
import { readTraversal, type Step } from './traversal.js';

interface AstNode {
  readonly type: string;
  readonly meta?: {
    readonly keyVar?: string;
    readonly valVar?: string;
    readonly traversal?: readonly { readonly segment?: string }[];
  };
  readonly range?: { readonly start: { readonly byte: number } };
  readonly children?: readonly AstNode[];
}

/** Parse one HCL file to hcl2json's JSON form; rejects with `file:line,col: …` on syntax errors. */
export async function parseHcl(filename: string, contents: string): Promise<Record<string, unknown>> {
  return (await wasmTools()).hcl.parse(filename, contents);
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
    if (root !== undefined && !locals.has(root))
      out.push(readTraversal(bytes.subarray(node.range.start.byte).toString('utf8'), 0));
    return;
  }
  let scope = locals;
  if (node.type === 'for') {
    // for-expression variables (`for k, v in …`, `%{ for x in … }`) are locals of the expression
    scope = new Set([...locals, ...[node.meta?.keyVar, node.meta?.valVar].filter((v): v is string => !!v)]);
  }
  for (const child of node.children ?? []) collect(child, scope, bytes, out);
}

const INTERPOLATION = /\$\{([^{}]*)\}/g;
const INDEX_REF = /\[([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*)\]/g;
const PURE_TRAVERSAL =
  /^\s*[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*|\.\d+|\.\*|\[(?:\d+|\*|"[^"\\$%]*"|[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*)\])*\s*$/;

/**
 * Fast path without WASM (≈5 ms a call): when every interpolation is a bare traversal
 * (`${var.x}`, `${aws_lb.main.arn}`, `${aws_subnet.a[*].id}`, `${aws_lb.app[each.key].arn}`) the
 * references are exact by regex.
 * Anything else (functions, operators, for, directives, escapes) returns null and goes to hcl2json.
 */
function simpleRefs(value: string, locals: ReadonlySet<string>): ExprRef[] | null {
  if (value.includes('%{') || value.includes('$${')) return null;
  const out: ExprRef[] = [];
  let rest = value;
  for (const m of value.matchAll(INTERPOLATION)) {
    const inner = m[1] ?? '';
    if (!PURE_TRAVERSAL.test(inner)) return null;
    const refs = [
      readTraversal(inner.trim(), 0),
      ...[...inner.matchAll(INDEX_REF)].map((i) => readTraversal(i[1] ?? '', 0)),
    ];
    for (const ref of refs) {
      const root = ref.steps[0];
      if (root?.kind === 'name' && !locals.has(root.name)) out.push(ref);
    }
    rest = rest.replace(m[0], '');
  }
  return rest.includes('${') ? null : out;
}

/** Every traversal an hcl2json string value reads, minus those rooted at `locals`. */
export async function expressionRefs(filename: string, value: string, locals: ReadonlySet<string>): Promise<ExprRef[]> {
  const simple = simpleRefs(value, locals);
  if (simple) return simple;
  const wrapped = `<<${DELIM}\n${value}\n${DELIM}\n`;
  const ast = (await (await wasmTools()).hcl.getExpressionAst(filename, wrapped)) as AstNode | null;
  const out: ExprRef[] = [];
  collect(ast ?? undefined, locals, Buffer.from(wrapped, 'utf8'), out);
  return out;
}
