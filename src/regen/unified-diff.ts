/** A small unified diff (like `diff -u` / `git diff`) for --dry-run output. */
import { diffIndices } from 'node-diff3';
import { splitLines } from './text.js';

const CONTEXT = 3;

interface Hunk {
  readonly oStart: number;
  readonly oLen: number;
  readonly nStart: number;
  readonly nLen: number;
}

/** One printed line; a missing final newline is shown the way diff(1) shows it. */
function printed(prefix: string, line: string): string {
  return line.endsWith('\n') ? prefix + line : `${prefix}${line}\n\\ No newline at end of file\n`;
}

/** Group hunks whose context windows touch, so each group prints as one @@ section. */
function groupHunks(hunks: readonly Hunk[]): Hunk[][] {
  const groups: Hunk[][] = [];
  for (const h of hunks) {
    const last = groups.at(-1)?.at(-1);
    if (last && h.oStart - (last.oStart + last.oLen) <= 2 * CONTEXT) groups.at(-1)!.push(h);
    else groups.push([h]);
  }
  return groups;
}

/** The @@ range of one side: GNU prints the line before an empty range. */
function range(start: number, len: number): string {
  return `${len === 0 ? start : start + 1},${len}`;
}

function printGroup(group: readonly Hunk[], oldLines: readonly string[], newLines: readonly string[]): string {
  const first = group[0]!;
  const lastHunk = group.at(-1)!;
  const from = Math.max(0, first.oStart - CONTEXT);
  const to = Math.min(oldLines.length, lastHunk.oStart + lastHunk.oLen + CONTEXT);
  const oldCount = to - from;
  const newCount = oldCount + group.reduce((n, h) => n + h.nLen - h.oLen, 0);
  let out = `@@ -${range(from, oldCount)} +${range(first.nStart - (first.oStart - from), newCount)} @@\n`;
  let pos = from;
  for (const h of group) {
    for (; pos < h.oStart; pos++) out += printed(' ', oldLines[pos]!);
    for (let i = 0; i < h.oLen; i++) out += printed('-', oldLines[h.oStart + i]!);
    for (let i = 0; i < h.nLen; i++) out += printed('+', newLines[h.nStart + i]!);
    pos = h.oStart + h.oLen;
  }
  for (; pos < to; pos++) out += printed(' ', oldLines[pos]!);
  return out;
}

/**
 * Unified diff from `before` to `after` for `path`; `undefined` sides mean the file is absent
 * (created or deleted). Returns '' when the texts are equal.
 */
export function unifiedDiff(path: string, before: string | undefined, after: string | undefined): string {
  if (before === after) return '';
  const oldLines = splitLines(before ?? '');
  const newLines = splitLines(after ?? '');
  const hunks: Hunk[] = diffIndices(oldLines, newLines).map((d) => ({
    oStart: d.buffer1[0]!,
    oLen: d.buffer1[1]!,
    nStart: d.buffer2[0]!,
    nLen: d.buffer2[1]!,
  }));
  const header = `--- ${before === undefined ? '/dev/null' : `a/${path}`}\n+++ ${after === undefined ? '/dev/null' : `b/${path}`}\n`;
  return (
    header +
    groupHunks(hunks)
      .map((g) => printGroup(g, oldLines, newLines))
      .join('')
  );
}
