/**
 * Text edits located by the AST: every edit is an insertion at an offset Babel reported, so each
 * character of the user's file that the patch does not touch stays exactly as it was.
 */
import type * as t from '@babel/types';
import { requireSource, walk } from '../detect/ast.js';

/** Insert `text` at offset `at` of the original text. */
export interface Edit {
  readonly at: number;
  readonly text: string;
}

/** Apply insertions; ties keep their listed order. */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  const sorted = edits.map((e, i) => ({ ...e, i })).sort((a, b) => a.at - b.at || a.i - b.i);
  let out = '';
  let pos = 0;
  for (const e of sorted) {
    out += text.slice(pos, e.at) + e.text;
    pos = e.at;
  }
  return out + text.slice(pos);
}

/** How the file is written: quotes, semicolons, line endings. New code follows it. */
export interface CodeStyle {
  readonly quote: "'" | '"';
  readonly semi: string;
  readonly eol: string;
}

/** Majority quote style of module specifiers, semicolon use of top-level statements, CRLF or LF. */
export function detectStyle(ast: t.File, text: string): CodeStyle {
  let single = 0;
  let double = 0;
  walk(ast.program, (n) => {
    const lit =
      n.type === 'ImportDeclaration'
        ? n.source
        : n.type === 'CallExpression' && requireSource(n) !== undefined
          ? n.arguments[0]
          : undefined;
    const raw = (lit as { extra?: { raw?: string } } | undefined)?.extra?.raw;
    if (raw?.startsWith("'")) single++;
    else if (raw?.startsWith('"')) double++;
  });
  const stmts = ast.program.body.filter(
    (s) => s.type === 'VariableDeclaration' || s.type === 'ExpressionStatement' || s.type === 'ImportDeclaration',
  );
  const withSemi = stmts.filter((s) => text[s.end! - 1] === ';').length;
  return {
    quote: double > single ? '"' : "'",
    semi: stmts.length && withSemi * 2 < stmts.length ? '' : ';',
    eol: text.includes('\r\n') ? '\r\n' : '\n',
  };
}

/** Leading whitespace of the line holding `offset`. */
export function indentAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/**
 * Where to insert a line after a statement ending at `end`: the end of its line when only
 * whitespace or a comment follows on that line, else right after the statement.
 */
export function afterStatement(text: string, end: number): number {
  const nl = text.indexOf('\n', end);
  const lineEnd = nl < 0 ? text.length : text[nl - 1] === '\r' ? nl - 1 : nl;
  const rest = text.slice(end, lineEnd);
  return /^\s*(\/\/.*|\/\*.*?\*\/\s*)?$/.test(rest) ? lineEnd : end;
}

/** Whether the line after offset `at` (a line end) is blank or the end of the file. */
export function nextLineBlank(text: string, at: number): boolean {
  const nl = text.indexOf('\n', at);
  if (nl < 0) return true;
  const next = text.indexOf('\n', nl + 1);
  return text.slice(nl + 1, next < 0 ? text.length : next).trim() === '';
}
