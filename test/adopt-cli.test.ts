/**
 * Adopt mode through the CLI: in a copy of each fixture app, `--yes` with example account values
 * writes the pipeline plus the adopt files, patches the user's code exactly as the goldens say, and a
 * second run changes nothing. An existing Dockerfile is the user's: a conflict, until --force (which
 * keeps Dockerfile.orig).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ACCOUNT_ARGS, cli, listFiles } from './support/cli.js';
import { adoptGolden } from './support/adopt-goldens.js';
import {
  copyFixture,
  FIXTURE_NAMES,
  fixtureApp,
  removeScratchDirs,
  type FixtureName,
} from './fixtures/adopt/support.js';

afterAll(removeScratchDirs);

// The goldens were rendered with the example service name.
const ARGS = ['.', '--yes', '--service-name', 'api', ...ACCOUNT_ARGS];

function snapshot(dir: string): Map<string, string> {
  return new Map(listFiles(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

/** Golden files of a fixture (what adopt writes), without the report. */
function goldens(name: FixtureName): Array<[string, string]> {
  return [...adoptGolden(name)].filter(([f]) => f !== '_report.txt');
}

describe.each(FIXTURE_NAMES.filter((n) => n !== 'express-generator'))('%s', (name) => {
  it('adopts with --yes, matches the goldens, and a second run changes nothing', async () => {
    const dir = copyFixture(name);
    const first = await cli(ARGS, dir);
    expect(first.code, first.stderr + first.stdout).toBe(0);
    expect(first.stdout).toContain('Detected: Express');
    for (const [f, text] of goldens(name)) expect(readFileSync(join(dir, f), 'utf8'), f).toBe(text);
    for (const f of ['.github/workflows/deploy.yml', 'Dockerfile', '.dockerignore', 'terraform/main.tf', '.yo-rc.json'])
      expect(existsSync(join(dir, f)), f).toBe(true);
    const before = snapshot(dir);
    const second = await cli(ARGS, dir);
    expect(second.code, second.stderr + second.stdout).toBe(0);
    expect(snapshot(dir)).toEqual(before);
    expect(second.stdout).not.toMatch(/^\s+(create|update|patch|merged)\s/m);
  });
});

describe('express-generator (already has a Dockerfile)', () => {
  it('reports the Dockerfile as a conflict, --force replaces it keeping .orig, then re-runs change nothing', async () => {
    const dir = copyFixture('express-generator');
    const original = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    const first = await cli(ARGS, dir);
    expect(first.code).toBe(2);
    expect(first.stdout).toMatch(/CONFLICT\s+Dockerfile/);
    for (const [f, text] of goldens('express-generator')) expect(readFileSync(join(dir, f), 'utf8'), f).toBe(text);
    const forced = await cli([...ARGS, '--force'], dir);
    expect(forced.code, forced.stderr + forced.stdout).toBe(0);
    expect(readFileSync(join(dir, 'Dockerfile.orig'), 'utf8')).toContain(original.trim());
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toContain('CMD ["node", "bin/www"]');
    const before = snapshot(dir);
    const again = await cli(ARGS, dir);
    expect(again.code, again.stderr + again.stdout).toBe(0);
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('unrecognisable app through the CLI', () => {
  it('changes no code, prints the manual instructions, still generates everything else', async () => {
    const dir = copyFixture('unrecognised');
    const r = await cli(ARGS, dir);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toContain('app.use(healthRouter());');
    expect(r.stdout).toContain('Your code was not changed');
    for (const f of ['boot.js', 'lib/kit.js', 'package.json'])
      expect(readFileSync(join(dir, f), 'utf8')).toBe(readFileSync(join(fixtureApp('unrecognised'), f), 'utf8'));
    expect(existsSync(join(dir, 'health-routes.js'))).toBe(true);
  });
});

describe('the detection summary names the Node line the image uses', () => {
  it('from --node-version, then from the saved answer, and the Dockerfile agrees', async () => {
    const dir = copyFixture('typescript');
    const first = await cli([...ARGS, '--node-version', '26'], dir);
    expect(first.code, first.stderr + first.stdout).toBe(0);
    expect(first.stdout).toContain(', Node 26 in the image (--node-version); ');
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toMatch(/^FROM node:26\b/m);
    const second = await cli(ARGS, dir);
    expect(second.stdout).toContain(', Node 26 in the image (saved in .yo-rc.json); ');
  });
});
