/**
 * Apply a unified diff (as src/regen/unified-diff.ts prints it, and as `diff -u` / `git diff` do) to a
 * text, exactly: every context and removed line must match the base byte for byte (no fuzz), so a
 * stored golden diff either rebuilds one text or fails with the hunk that no longer fits. A hunk is
 * looked for at its stated line first and then at the nearest place its lines match (as patch(1)
 * reports "offset N lines"), so a diff stays valid while the base gains or loses lines elsewhere.
 */
import { splitLines } from '../../src/regen/text.js';

interface Hunk {
  readonly header: string;
  /** 0-based line of the base where the hunk says it starts. */
  readonly oldStart: number;
  readonly oldLines: readonly string[];
  readonly newLines: readonly string[];
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
const NO_NEWLINE = '\\ No newline at end of file';

/** Parse the hunks of a one-file unified diff; throws on anything that is not one. */
export function parseHunks(patch: string, label: string): Hunk[] {
  const lines = patch.split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (!lines[0]?.startsWith('--- ') || !lines[1]?.startsWith('+++ '))
    throw new Error(`${label}: not a unified diff (no ---/+++ header)`);
  const hunks: Hunk[] = [];
  let i = 2;
  while (i < lines.length) {
    const m = HUNK_HEADER.exec(lines[i]!);
    if (!m) throw new Error(`${label}: line ${i + 1} is not a hunk header: ${JSON.stringify(lines[i])}`);
    const [oldCount, newCount] = [Number(m[2] ?? 1), Number(m[4] ?? 1)];
    const hunk = {
      header: lines[i]!,
      oldStart: Math.max(0, Number(m[1]) - (oldCount === 0 ? 0 : 1)),
      oldLines: [] as string[],
      newLines: [] as string[],
    };
    for (i++; i < lines.length && !lines[i]!.startsWith('@@'); i++) {
      const [tag, text] = [lines[i]![0], `${lines[i]!.slice(1)}\n`];
      if (tag === '\\' && lines[i] === NO_NEWLINE) dropLastNewline(hunk, lines[i - 1]![0]!);
      else if (tag === ' ' || tag === '-' || tag === '+') {
        if (tag !== '+') hunk.oldLines.push(text);
        if (tag !== '-') hunk.newLines.push(text);
      } else throw new Error(`${label}: line ${i + 1} of hunk ${hunk.header} has no ' ', '-' or '+' tag`);
    }
    if (hunk.oldLines.length !== oldCount || hunk.newLines.length !== newCount) {
      throw new Error(
        `${label}: hunk ${hunk.header} has ${hunk.oldLines.length} old and ${hunk.newLines.length} new lines, not ${oldCount} and ${newCount}`,
      );
    }
    hunks.push(hunk);
  }
  return hunks;
}

/** `\ No newline at end of file` applies to the line printed just before it. */
function dropLastNewline(hunk: { oldLines: string[]; newLines: string[] }, tag: string): void {
  const strip = (arr: string[]): void => {
    arr[arr.length - 1] = arr.at(-1)!.slice(0, -1);
  };
  if (tag !== '+') strip(hunk.oldLines);
  if (tag !== '-') strip(hunk.newLines);
}

function matchesAt(base: readonly string[], at: number, lines: readonly string[]): boolean {
  if (at < 0 || at + lines.length > base.length) return false;
  return lines.every((l, k) => base[at + k] === l);
}

/** The place nearest to `want` (not before `from`) where the hunk's old lines stand, or -1. */
function locate(base: readonly string[], hunk: Hunk, want: number, from: number): number {
  for (let d = 0; d <= base.length; d++) {
    if (want - d >= from && matchesAt(base, want - d, hunk.oldLines)) return want - d;
    if (matchesAt(base, want + d, hunk.oldLines)) return want + d;
    if (want - d < from && want + d > base.length) break;
  }
  return -1;
}

/** `base` with `patch` applied; throws naming the hunk when one does not match exactly. */
export function applyPatch(base: string, patch: string, label: string): string {
  const lines = splitLines(base);
  const out: string[] = [];
  let pos = 0;
  let shift = 0;
  for (const [n, hunk] of parseHunks(patch, label).entries()) {
    const at = locate(lines, hunk, hunk.oldStart + shift, pos);
    if (at < 0)
      throw new Error(
        `${label}: hunk #${n + 1} (${hunk.header}) does not match the base file: its context or removed lines are not there`,
      );
    out.push(...lines.slice(pos, at), ...hunk.newLines);
    pos = at + hunk.oldLines.length;
    shift = at - hunk.oldStart;
  }
  out.push(...lines.slice(pos));
  return out.join('');
}
