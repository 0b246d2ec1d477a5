/**
 * The manifest in a golden .yo-rc.json records the sha256 of every generated file: derived data that
 * changes with every template edit, in every scenario, each differently. A golden stores each hash that
 * is the hash of that file in the same tree as a placeholder, and rebuilding puts the hash of the
 * rebuilt file back, so the rebuilt .yo-rc.json is still compared byte for byte while one template
 * edit stays one stored change. A hash of anything else (no such file, other text) is stored as it is.
 */
import { sha256 } from '../../src/regen/text.js';
import { STATE_FILE } from '../../src/regen/state.js';
import type { Tree } from './golden-delta.js';

const PLACEHOLDER = '<sha256 of the file>';
const ENTRY = /("([^"\n]+)": \{\n\s*"kind": "[a-z-]+",\n\s*"sha256": ")([0-9a-f]{64}|<sha256 of the file>)(")/g;

function withState(tree: Tree, fill: (path: string, hash: string) => string): Map<string, string> {
  const out = new Map(tree);
  const state = tree.get(STATE_FILE);
  if (state !== undefined)
    out.set(
      STATE_FILE,
      state.replace(
        ENTRY,
        (_m, head: string, path: string, hash: string, tail: string) => head + fill(path, hash) + tail,
      ),
    );
  return out;
}

/** The tree as a golden stores it: each manifest hash of a file of the tree as the placeholder. */
export function withHashPlaceholders(tree: Tree): Map<string, string> {
  return withState(tree, (path, hash) => (tree.has(path) && sha256(tree.get(path)!) === hash ? PLACEHOLDER : hash));
}

/** The stored tree with each placeholder replaced by the hash of its file; throws when there is no such file. */
export function withHashes(tree: Tree, label: string): Map<string, string> {
  return withState(tree, (path, hash) => {
    if (hash !== PLACEHOLDER) return hash;
    const text = tree.get(path);
    if (text === undefined)
      throw new Error(`${label}: ${STATE_FILE} records the hash of ${path}, which the golden does not have`);
    return sha256(text);
  });
}
