/** Text edits on one source file, applied at once (positions are the original file's). */
import type * as TS from 'typescript';
import type { TypeScope } from './jsdoc.js';

export interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** The walk's state: the file, its type-only imports, and the edits so far. */
export interface Walk extends TypeScope {
  readonly sf: TS.SourceFile;
  readonly edits: Edit[];
  /** `health.esm` and the like: the module is CommonJS when this is false (see js-template.ts). */
  readonly commonjsFlag: string | undefined;
  /** Names the CommonJS variant exports, in source order. */
  readonly exported: string[];
}

export function edit(w: Walk, start: number, end: number, text = ''): void {
  w.edits.push({ start, end, text });
}

/** Apply every edit; they must not overlap (an insertion may touch a replaced range). */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  let limit = Infinity;
  for (const e of sorted) {
    if (e.end > limit)
      throw new Error(`overlapping edits at ${e.start}..${e.end}: ${JSON.stringify(text.slice(e.start, e.end))}`);
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
    limit = e.start;
  }
  return out;
}

export function lineStart(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

/** The position after the newline that ends the line holding `pos`. */
export function lineEnd(text: string, pos: number): number {
  const nl = text.indexOf('\n', pos);
  return nl === -1 ? text.length : nl + 1;
}

export function indentAt(text: string, pos: number): string {
  return /^[ \t]*/.exec(text.slice(lineStart(text, pos)))![0];
}

/** The `/** … *\/` comment right above `node` (nothing but one line break between), if any. */
export function docComment(w: Walk, node: TS.Node): TS.CommentRange | undefined {
  const last = (w.ts.getLeadingCommentRanges(w.text, node.getFullStart()) ?? []).at(-1);
  if (last === undefined || !w.text.startsWith('/**', last.pos)) return undefined;
  return /^[ \t]*\n?[ \t]*$/.test(w.text.slice(last.end, node.getStart())) ? last : undefined;
}

/** Line comments right above `node` (no blank line in between), which describe it; protected EJS lines end the run. */
export function ownLineComments(w: Walk, node: TS.Node): TS.CommentRange[] {
  const ranges = w.ts.getLeadingCommentRanges(w.text, node.getFullStart()) ?? [];
  const own: TS.CommentRange[] = [];
  let next = node.getStart();
  for (const r of [...ranges].reverse()) {
    const comment = w.text.slice(r.pos, r.end);
    if (comment.startsWith('//@@EJS') || !/^[ \t]*\n[ \t]*$/.test(w.text.slice(r.end, next))) break;
    own.unshift(r);
    next = r.pos;
  }
  return own;
}

/** Remove the whole lines of `node`, with the comments that describe it. */
export function removeStatement(w: Walk, node: TS.Node): void {
  const first = ownLineComments(w, node)[0];
  edit(w, lineStart(w.text, first ? first.pos : node.getStart()), lineEnd(w.text, node.end));
}

/** Put `block` (a JSDoc comment) where `node`'s own JSDoc is, or on a line of its own above it. */
export function setDoc(w: Walk, node: TS.Node, doc: TS.CommentRange | undefined, block: string): void {
  if (doc) edit(w, doc.pos, doc.end, block);
  else edit(w, node.getStart(), node.getStart(), `${block}\n${indentAt(w.text, node.getStart())}`);
}

/** A construct the derivation does not translate: fail the build, naming it, rather than ship wrong JavaScript. */
export function unsupported(w: Walk, node: TS.Node, what: string): never {
  const { line, character } = w.sf.getLineAndCharacterOfPosition(node.getStart());
  throw new Error(
    `cannot derive JavaScript: ${what} at line ${line + 1}:${character + 1}: ${node.getText().split('\n')[0]}`,
  );
}
