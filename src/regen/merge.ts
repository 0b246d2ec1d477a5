/**
 * Line-based merges with node-diff3. Conflicts are written git-style so editors and `git diff`
 * recognise them: the user's version first, the generated one last.
 */
import { diff3Merge, diffComm } from 'node-diff3';
import { isCrlf, splitLines, toCrlf } from './text.js';

/** Opens a conflict block: the user's lines follow. */
export const MARK_YOURS = '<<<<<<< yours (on disk)';
/** The lines as the generator wrote them last time (three-way conflicts only). */
export const MARK_BASE = '||||||| base';
/** The new render's lines follow. */
export const MARK_SEPARATOR = '=======';
/** Closes a conflict block. */
export const MARK_GENERATED = '>>>>>>> generated';

/** Result of a merge: the text to write and how many conflict blocks it holds. */
export interface MergeResult {
  readonly text: string;
  readonly conflicts: number;
}

interface Block {
  readonly yours: readonly string[];
  readonly base?: readonly string[];
  readonly generated: readonly string[];
}

/** Render one conflict block; every line inside keeps a terminator so markers stay on their own lines. */
function conflictBlock(block: Block, eol: string): string {
  const body = (lines: readonly string[]): string => lines.map((l) => (l.endsWith('\n') ? l : l + eol)).join('');
  const base = block.base ? `${MARK_BASE}${eol}${body(block.base)}` : '';
  return `${MARK_YOURS}${eol}${body(block.yours)}${base}${MARK_SEPARATOR}${eol}${body(block.generated)}${MARK_GENERATED}${eol}`;
}

/** The generated side adopts the disk's CRLF style, so an editor's line-ending change alone is no conflict. */
function alignEol(disk: string, generated: string): { eol: string; align: (t: string) => string } {
  if (isCrlf(disk) && !isCrlf(generated)) return { eol: '\r\n', align: toCrlf };
  return { eol: '\n', align: (t) => t };
}

/**
 * Three-way merge: `disk` (the user's file), `base` (what the generator wrote last time, verified),
 * `generated` (the new render). Changes on one side only are taken; overlapping changes conflict.
 */
export function threeWayMerge(disk: string, base: string, generated: string): MergeResult {
  const { eol, align } = alignEol(disk, generated);
  const regions = diff3Merge(splitLines(disk), splitLines(align(base)), splitLines(align(generated)), {
    excludeFalseConflicts: true,
  });
  let text = '';
  let conflicts = 0;
  for (const region of regions) {
    if (region.ok) {
      text += region.ok.join('');
    } else if (region.conflict) {
      conflicts += 1;
      text += conflictBlock({ yours: region.conflict.a, base: region.conflict.o, generated: region.conflict.b }, eol);
    }
  }
  return { text, conflicts };
}

/**
 * Two-way "merge" for an unverifiable base: common lines are kept, every differing run becomes a
 * conflict block, because without a base an addition cannot be told from a deletion.
 */
export function twoWayConflict(disk: string, generated: string): MergeResult {
  const { eol, align } = alignEol(disk, generated);
  let text = '';
  let conflicts = 0;
  for (const chunk of diffComm(splitLines(disk), splitLines(align(generated)))) {
    if (chunk.common) {
      text += chunk.common.join('');
    } else {
      conflicts += 1;
      text += conflictBlock({ yours: chunk.buffer1, generated: chunk.buffer2 }, eol);
    }
  }
  return { text, conflicts };
}

/** True when the text still holds conflict markers written by this generator. */
export function hasConflictMarkers(text: string): boolean {
  return /^<{7} yours \(on disk\)\r?$/m.test(text) && /^>{7} generated\r?$/m.test(text);
}
