/**
 * The difference of one golden tree from a base tree, as stored (pure: no file system here).
 * A file identical to the base's is not stored; a changed one is a unified diff against the base's
 * file when that diff is shorter than the file itself, else the file in full; a file only this tree
 * has is stored in full; a base file this tree lacks is listed as absent. Rebuilding is exact: it
 * yields every file byte for byte or throws.
 */
import { unifiedDiff } from '../../src/regen/unified-diff.js';
import { applyPatch } from './golden-patch.js';

/** A tree of texts by relative path. */
export type Tree = ReadonlyMap<string, string>;

export interface Delta {
  /** Unified diffs against the base's file, by path. */
  readonly diffs: ReadonlyMap<string, string>;
  /** Files stored in full, by path. */
  readonly full: ReadonlyMap<string, string>;
  /** Base files this tree does not have, sorted. */
  readonly absent: readonly string[];
}

export const EMPTY_DELTA: Delta = { diffs: new Map(), full: new Map(), absent: [] };

/** Rebuild a tree from its base and its delta; throws when a diff no longer fits the base. */
export function rebuildTree(base: Tree, delta: Delta, label: string): Map<string, string> {
  const out = new Map<string, string>();
  const absent = new Set(delta.absent);
  for (const p of absent)
    if (!base.has(p)) throw new Error(`${label}: ${p} is listed as absent but the base has no such file`);
  for (const [p, text] of base) if (!absent.has(p) && !delta.diffs.has(p)) out.set(p, text);
  for (const [p, patch] of delta.diffs) {
    const from = base.get(p);
    if (from === undefined || absent.has(p)) throw new Error(`${label}: ${p}.diff has no base file to apply to`);
    out.set(p, applyPatch(from, patch, `${label}: ${p}.diff`));
  }
  for (const [p, text] of delta.full) {
    if (out.has(p) && delta.diffs.has(p)) throw new Error(`${label}: ${p} is stored both as a diff and in full`);
    out.set(p, text);
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** How one changed file is stored: the kept old diff when it still rebuilds it, else the shorter form. */
function storeChanged(
  from: string,
  text: string,
  path: string,
  old: Delta,
  diffs: Map<string, string>,
  full: Map<string, string>,
): void {
  const kept = old.diffs.get(path);
  if (kept !== undefined && kept.length < text.length && rebuildsExactly(from, kept, text))
    return void diffs.set(path, kept);
  const diff = unifiedDiff(path, from, text);
  if (diff.length < text.length) diffs.set(path, diff);
  else full.set(path, text);
}

function rebuildsExactly(from: string, patch: string, text: string): boolean {
  try {
    return applyPatch(from, patch, 'kept diff') === text;
  } catch {
    return false;
  }
}

/**
 * The delta that rebuilds `tree` from `base`. A diff of `old` (what is stored now) that still rebuilds
 * its file exactly is kept as it is, so an edit elsewhere in the base's file (one that only moves the
 * hunks) changes the base's golden alone and not every scenario's diff.
 */
export function makeDelta(base: Tree, tree: Tree, old: Delta = EMPTY_DELTA): Delta {
  const diffs = new Map<string, string>();
  const full = new Map<string, string>();
  for (const [p, text] of tree) {
    const from = base.get(p);
    if (from === undefined) full.set(p, text);
    else if (from !== text) storeChanged(from, text, p, old, diffs, full);
  }
  const absent = [...base.keys()].filter((p) => !tree.has(p)).sort();
  return { diffs, full, absent };
}
