/**
 * Golden scenarios: test/scenarios/<name>/{scenario.json, before/} and the golden (the default scenario's
 * expected/ in full, every other one's differences/ from it: test/support/goldens.ts). Each scenario runs
 * the CLI non-interactively on a copy of before/, then (1) every generated file passes the validation
 * harness and (2) the file list and every file equal the golden tree rebuilt byte for byte. Goldens change
 * only via `npm run update-goldens` (UPDATE_GOLDENS=1), never in CI; a missing golden fails.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasScenarioGolden, scenarioGolden, scenarioNames, writeScenarioGolden } from './support/goldens.js';
import { readScenario, runScenario } from './support/scenario-run.js';
import { formatFindings, validateTree } from './validate/index.js';
import { readBaseStore } from '../src/regen/base-store.js';
import { STATE_FILE, STATE_KEY, type SavedState } from '../src/regen/state.js';

const UPDATE = process.env.UPDATE_GOLDENS === '1';
if (UPDATE && process.env.CI)
  throw new Error('UPDATE_GOLDENS is refused in CI: goldens are updated by an explicit local command');

// The default scenario first: in an update the others are stored as differences from its new golden.
describe.each(scenarioNames())('scenario %s', (name) => {
  const scenario = readScenario(name);
  let out = '';
  let rendered = new Map<string, string>();

  it(`generates (${scenario.description})`, async () => {
    const r = await runScenario(name);
    [out, rendered] = [r.dir, r.tree];
    expect(r.stderr.replace(/^warning: .*\n/gm, '')).toBe('');
    expect(r.code).toBe(scenario.expectedExit ?? 0);
  });

  it('passes every validator with zero findings', async () => {
    const findings = await validateTree(out);
    expect(formatFindings(findings)).toBe('');
  }, 180_000);

  it('keeps the upgrade base: exactly the generated text of every managed file', () => {
    const state = JSON.parse(readFileSync(join(out, STATE_FILE), 'utf8'))[STATE_KEY] as SavedState;
    const managed = Object.keys(state.manifest)
      .filter((p) => state.manifest[p]!.kind === 'managed')
      .sort();
    const store = readBaseStore(out).store!;
    expect([...store.files.keys()].sort()).toEqual(managed);
    for (const p of managed) expect(store.files.get(p), p).toBe(readFileSync(join(out, p), 'utf8'));
  });

  it('matches the golden files', () => {
    if (UPDATE) writeScenarioGolden(name, rendered);
    expect(hasScenarioGolden(name), `missing golden for ${name}: run npm run update-goldens and review the diff`).toBe(
      true,
    );
    const expected = scenarioGolden(name);
    expect([...rendered.keys()]).toEqual([...expected.keys()]);
    for (const [f, text] of rendered) expect(text, f).toBe(expected.get(f));
  });
});
