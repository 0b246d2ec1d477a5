/** Test support: run one golden scenario's CLI invocation (scenario.json) in a fresh folder, in-process. */
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { STATE_DIR } from '../../src/regen/state.js';
import { cli, listFiles, tempDir, type CliResult } from './cli.js';
import { SCENARIOS_DIR } from './goldens.js';

export interface Scenario {
  readonly description: string;
  readonly args: string[];
  readonly expectedExit?: number;
}

export function readScenario(name: string): Scenario {
  return JSON.parse(readFileSync(join(SCENARIOS_DIR, name, 'scenario.json'), 'utf8')) as Scenario;
}

/** Run the scenario on a copy of its before/ folder; `tree` is what it generated but the binary upgrade base. */
export async function runScenario(name: string): Promise<CliResult & { dir: string; tree: Map<string, string> }> {
  const dir = join(tempDir(`ccp-${name}-`), 'repo');
  mkdirSync(dir);
  const before = join(SCENARIOS_DIR, name, 'before');
  if (existsSync(before)) cpSync(before, dir, { recursive: true });
  const result = await cli(readScenario(name).args, dir);
  // The upgrade base (.create-canary-pipeline/) is binary and derived from the managed files: not a golden.
  const files = listFiles(dir).filter((f) => !f.startsWith(`${STATE_DIR}/`));
  return { ...result, dir, tree: new Map(files.map((f) => [f, readFileSync(join(dir, f), 'utf8')])) };
}
