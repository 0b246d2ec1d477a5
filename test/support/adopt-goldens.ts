/**
 * The adopt fixtures' goldens on disk: test/fixtures/adopt/<name>/expected-patched/ holds what adopt
 * mode writes for that app (patched user files, added files, and _report.txt of skipped patches and
 * notes), except a file that an earlier golden already holds byte for byte. Such a file is a line of
 * expected-patched/_same.txt instead:
 *   <path> = scenario <scenario> <path>    or    <path> = fixture <earlier fixture> <path>
 * so the generated health module, which is the same for every app of one module system and language,
 * is stored once. adoptGolden() rebuilds the whole tree; only `npm run update-goldens` writes it.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADOPT_FIXTURES_DIR, FIXTURE_NAMES, type FixtureName } from '../fixtures/adopt/support.js';
import { readTree, scenarioGolden, scenarioNames, writeTree } from './goldens.js';

const SAME = '_same.txt';
const SAME_LINE = /^(\S+) = (scenario|fixture) (\S+) (\S+)$/;

const goldenDir = (name: FixtureName): string => join(ADOPT_FIXTURES_DIR, name, 'expected-patched');

/** The text a `_same.txt` line points at; only scenarios and earlier fixtures may be named (no cycles). */
function sameAs(kind: string, source: string, path: string, of: FixtureName): string | undefined {
  if (kind === 'scenario') return scenarioNames().includes(source) ? scenarioGolden(source).get(path) : undefined;
  const earlier = FIXTURE_NAMES.slice(0, FIXTURE_NAMES.indexOf(of)) as readonly string[];
  return earlier.includes(source) ? adoptGolden(source as FixtureName).get(path) : undefined;
}

/** Whether the fixture has a stored golden (a missing one fails: it is never written by CI). */
export function hasAdoptGolden(name: FixtureName): boolean {
  return existsSync(goldenDir(name));
}

/** Every file adopt mode writes for the fixture (and _report.txt), rebuilt exactly; throws on a bad _same.txt line. */
export function adoptGolden(name: FixtureName): Map<string, string> {
  const tree = readTree(goldenDir(name));
  const same = tree.get(SAME);
  tree.delete(SAME);
  for (const line of (same ?? '').split('\n').filter((l) => l !== '')) {
    const m = SAME_LINE.exec(line);
    const text = m ? sameAs(m[2]!, m[3]!, m[4]!, name) : undefined;
    if (text === undefined)
      throw new Error(
        `fixtures/adopt/${name}/expected-patched/${SAME}: ${JSON.stringify(line)} names no earlier golden file`,
      );
    tree.set(m![1]!, text);
  }
  return new Map([...tree].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Each earlier golden file by its text (the first holder wins): scenarios, the default first, then earlier fixtures. */
function earlierTexts(name: FixtureName): Map<string, string> {
  const byText = new Map<string, string>();
  const add = (ref: string, tree: ReadonlyMap<string, string>): void => {
    for (const [p, text] of tree) if (!byText.has(text)) byText.set(text, `${ref} ${p}`);
  };
  for (const s of scenarioNames()) add(`scenario ${s}`, scenarioGolden(s));
  for (const f of FIXTURE_NAMES.slice(0, FIXTURE_NAMES.indexOf(name))) add(`fixture ${f}`, adoptGolden(f));
  return byText;
}

/** Store what adopt wrote for the fixture (update-goldens only): each file in full unless an earlier golden holds it. */
export function writeAdoptGolden(name: FixtureName, files: ReadonlyMap<string, string>): void {
  const earlier = earlierTexts(name);
  const stored = new Map<string, string>();
  const same: string[] = [];
  for (const [p, text] of files) {
    const ref = p === '_report.txt' ? undefined : earlier.get(text);
    if (ref) same.push(`${p} = ${ref}\n`);
    else stored.set(p, text);
  }
  rmSync(goldenDir(name), { recursive: true, force: true });
  mkdirSync(goldenDir(name), { recursive: true });
  writeTree(goldenDir(name), stored);
  if (same.length > 0) writeFileSync(join(goldenDir(name), SAME), same.sort().join(''));
}
