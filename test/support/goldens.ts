/**
 * The golden scenarios on disk. The default scenario keeps every generated file in full in
 * test/scenarios/defaults-ecs/expected/; every other scenario keeps only its differences from it in
 * test/scenarios/<name>/differences/ (see golden-delta.ts for the rule):
 *   diff/<path>.diff  a unified diff against defaults-ecs/expected/<path>
 *   full/<path>       the file in full (only this scenario has it, or its diff would be longer)
 *   absent.txt        the default's files this scenario does not generate, one a line (empty: none)
 * In .yo-rc.json the manifest's hash of each file is stored as a placeholder (golden-hashes.ts).
 * Tests read a scenario's expected tree only through scenarioGolden(), which rebuilds it exactly.
 * Only `npm run update-goldens` writes these (writeScenarioGolden).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { listFiles } from './cli.js';
import { EMPTY_DELTA, makeDelta, rebuildTree, type Delta, type Tree } from './golden-delta.js';
import { withHashes, withHashPlaceholders } from './golden-hashes.js';

export const SCENARIOS_DIR = new URL('../scenarios/', import.meta.url).pathname;
export const DEFAULT_SCENARIO = 'defaults-ecs';
const ABSENT = 'absent.txt';

/** The scenario names (folders with a scenario.json), the default first: its golden is the base of the others. */
export function scenarioNames(): string[] {
  const names = readdirSync(SCENARIOS_DIR)
    .filter((n) => existsSync(join(SCENARIOS_DIR, n, 'scenario.json')))
    .sort();
  return [DEFAULT_SCENARIO, ...names.filter((n) => n !== DEFAULT_SCENARIO)];
}

const expectedDir = (name: string): string => join(SCENARIOS_DIR, name, 'expected');
const differencesDir = (name: string): string => join(SCENARIOS_DIR, name, 'differences');

/** Every file below `dir` as text, by relative path (sorted); empty when `dir` does not exist. */
export function readTree(dir: string): Map<string, string> {
  if (!existsSync(dir)) return new Map();
  return new Map(listFiles(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

export function writeTree(dir: string, tree: Tree): void {
  for (const [p, text] of tree) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
}

function readDelta(dir: string): Delta {
  const diffs = new Map<string, string>();
  for (const [f, text] of readTree(join(dir, 'diff'))) {
    if (!f.endsWith('.diff')) throw new Error(`${dir}/diff/${f}: a stored diff must end in .diff`);
    diffs.set(f.slice(0, -'.diff'.length), text);
  }
  const absent = readFileSync(join(dir, ABSENT), 'utf8')
    .split('\n')
    .filter((l) => l !== '');
  return { diffs, full: readTree(join(dir, 'full')), absent };
}

/** The files that store a delta, by path under differences/. */
function deltaFiles(delta: Delta): Map<string, string> {
  const files = new Map<string, string>();
  for (const [p, text] of delta.diffs) files.set(`diff/${p}.diff`, text);
  for (const [p, text] of delta.full) files.set(`full/${p}`, text);
  files.set(ABSENT, delta.absent.map((p) => `${p}\n`).join(''));
  return files;
}

/** Whether the scenario has a stored golden at all (a missing one fails the suite; it is never written by CI). */
export function hasScenarioGolden(name: string): boolean {
  return name === DEFAULT_SCENARIO ? existsSync(expectedDir(name)) : existsSync(join(differencesDir(name), ABSENT));
}

/** A scenario's expected tree, rebuilt byte for byte from the default's golden and its differences. */
export function scenarioGolden(name: string): Map<string, string> {
  if (!hasScenarioGolden(name))
    throw new Error(`missing golden for scenario ${name}: run npm run update-goldens and review the diff`);
  const base = readTree(expectedDir(DEFAULT_SCENARIO));
  const label = `scenarios/${name}/${name === DEFAULT_SCENARIO ? 'expected' : 'differences'}`;
  return withHashes(name === DEFAULT_SCENARIO ? base : rebuildTree(base, scenarioDelta(name), label), label);
}

/** One expected file of a scenario (throws naming it when the scenario does not generate it). */
export function goldenFile(name: string, path: string): string {
  const text = scenarioGolden(name).get(path);
  if (text === undefined) throw new Error(`scenario ${name} has no golden ${path}`);
  return text;
}

/**
 * What stores `tree` as the scenario's golden, by path under its folder: the default's in full under
 * expected/, any other's difference from `base` (the default's tree) under differences/, keeping each
 * diff of `old` (what is stored now) that still rebuilds its file. Manifest hashes are stored as
 * placeholders (golden-hashes.ts).
 */
export function storedFiles(
  name: string,
  tree: Tree,
  base: Tree,
  old: Delta = scenarioDelta(name),
): Map<string, string> {
  const [stored, storedBase] = [withHashPlaceholders(tree), withHashPlaceholders(base)];
  const [dir, files] =
    name === DEFAULT_SCENARIO ? ['expected', stored] : ['differences', deltaFiles(makeDelta(storedBase, stored, old))];
  return new Map([...files].map(([p, text]) => [`${dir}/${p}`, text]));
}

/** What is stored now as the scenario's difference from the default (none yet, or the default's own: empty). */
export function scenarioDelta(name: string): Delta {
  return name !== DEFAULT_SCENARIO && hasScenarioGolden(name) ? readDelta(differencesDir(name)) : EMPTY_DELTA;
}

/**
 * Store `tree` as the scenario's golden (update-goldens only), against the default's golden on disk
 * (so the default is updated first). Stale files, and any of the other layout, are removed.
 */
export function writeScenarioGolden(name: string, tree: Tree): void {
  const files = storedFiles(name, tree, readTree(expectedDir(DEFAULT_SCENARIO)));
  rmSync(expectedDir(name), { recursive: true, force: true });
  rmSync(differencesDir(name), { recursive: true, force: true });
  writeTree(join(SCENARIOS_DIR, name), files);
}
