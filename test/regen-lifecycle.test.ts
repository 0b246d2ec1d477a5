/**
 * Regeneration lifecycle through the real CLI (GIVEN a generated repo / WHEN re-run / THEN …).
 * Expected trees come from fresh generations with the same flags, never from hand-written copies.
 */
import { readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { diffIndices } from 'node-diff3';
import { describe, expect, it } from 'vitest';
import { ACCOUNT_ARGS, cli, listFiles, mockAsk, tempDir, type CliResult } from './support/cli.js';
import { splitLines } from '../src/regen/text.js';
import { STATE_KEY } from '../src/regen/state.js';

const PAST = new Date('2020-01-01T00:00:00Z');
const USER_LINE = '# kept by the user: do not lose me';

async function generateFresh(flags: readonly string[] = []): Promise<string> {
  const dir = tempDir('ccp-life-');
  // The service name would default to the (random) folder name: pin it so fresh trees are comparable.
  const r = await cli(['--yes', '--service-name', 'api', ...ACCOUNT_ARGS, ...flags], dir);
  expect(r.code, `first generation: ${r.stderr}`).toBe(0);
  return dir;
}

/** Files of a generated tree (without the state file and backups), by path. */
function tree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of listFiles(dir))
    if (f !== '.yo-rc.json' && !f.startsWith('.create-canary-pipeline/') && !/\.orig(\.\d+)?$/.test(f))
      out.set(f, readFileSync(join(dir, f), 'utf8'));
  return out;
}

function ageAll(dir: string): void {
  for (const f of listFiles(dir)) utimesSync(join(dir, f), PAST, PAST);
}
function untouched(dir: string): string[] {
  return listFiles(dir).filter((f) => statSync(join(dir, f)).mtime.getTime() !== PAST.getTime());
}
function savedAnswers(dir: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8'))[STATE_KEY].answers;
}
function read(dir: string, path: string): string {
  return readFileSync(join(dir, path), 'utf8');
}

/** Old-side line ranges an option change rewrites. */
function changedRanges(before: string, after: string): Array<[number, number]> {
  return diffIndices(splitLines(before), splitLines(after)).map((d) => [d.buffer1[0]!, d.buffer1[0]! + d.buffer1[1]!]);
}

/** A '#'-comment file both renders have and the change rewrites, preferring Terraform. */
function changedHashFile(a: Map<string, string>, b: Map<string, string>): string {
  const candidates = [...a.keys()].filter(
    (p) => b.has(p) && a.get(p) !== b.get(p) && /\.(tf|tfvars|ya?ml)$|Dockerfile$/.test(p),
  );
  expect(candidates.length, 'the option change must rewrite some file').toBeGreaterThan(0);
  return candidates.sort((x, y) => Number(!x.endsWith('.tf')) - Number(!y.endsWith('.tf')))[0]!;
}

/** Insert USER_LINE before the line farthest from every changed range (at least 3 lines away). */
function insertFarFromChanges(text: string, ranges: ReadonlyArray<[number, number]>): string {
  const lines = splitLines(text);
  let best = 1;
  let bestDistance = -1;
  for (let i = 1; i < lines.length; i++) {
    const distance = Math.min(...ranges.map(([s, e]) => (i < s ? s - i : i > e ? i - e : 0)));
    if (distance > bestDistance) [best, bestDistance] = [i, distance];
  }
  expect(bestDistance, 'a region the change does not touch').toBeGreaterThanOrEqual(3);
  lines.splice(best, 0, `${USER_LINE}\n`);
  return lines.join('');
}

function withoutUserLine(text: string): string {
  return text.replace(`${USER_LINE}\n`, '');
}

async function rerun(dir: string, flags: readonly string[]): Promise<CliResult> {
  return cli([...flags], dir);
}

describe('GIVEN a generated repo', () => {
  it('WHEN re-run without changes THEN nothing is written (mtimes untouched) and the run says so', async () => {
    const dir = await generateFresh();
    const before = tree(dir);
    ageAll(dir);
    const r = await rerun(dir, []);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Nothing to change');
    expect(untouched(dir)).toEqual([]);
    expect(tree(dir)).toEqual(before);
  });

  it('WHEN an option changes on an unedited tree THEN the tree equals a fresh generation with that option', async () => {
    const dir = await generateFresh();
    const r = await rerun(dir, ['--canary-percent', '20']);
    expect(r.code, r.stderr).toBe(0);
    expect(tree(dir)).toEqual(tree(await generateFresh(['--canary-percent', '20'])));
    expect(savedAnswers(dir)).toMatchObject({ canaryPercent: 20 });
    expect(r.stdout).not.toMatch(/merged|CONFLICT/);
  });

  it('WHEN the user edited lines the change does not touch THEN the edit survives, merged with the change', async () => {
    const dir = await generateFresh();
    const next = tree(await generateFresh(['--canary-percent', '20']));
    const path = changedHashFile(tree(dir), next);
    writeFileSync(
      join(dir, path),
      insertFarFromChanges(read(dir, path), changedRanges(read(dir, path), next.get(path)!)),
    );
    const r = await rerun(dir, ['--canary-percent', '20']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`merged +${path.replace(/\./g, '\\.')}`));
    expect(read(dir, path)).toContain(USER_LINE);
    expect(withoutUserLine(read(dir, path))).toBe(next.get(path));
  });

  it('WHEN the user edited the very lines the change rewrites THEN conflict markers, the path listed, exit 2; a resolution is then kept', async () => {
    const dir = await generateFresh();
    const next = tree(await generateFresh(['--canary-percent', '20']));
    const path = changedHashFile(tree(dir), next);
    const lines = splitLines(read(dir, path));
    const [start] = changedRanges(read(dir, path), next.get(path)!)[0]!;
    const mine = `${lines[start]!.replace(/\n$/, '')} # mine\n`;
    lines[start] = mine;
    writeFileSync(join(dir, path), lines.join(''));
    const r = await rerun(dir, ['--canary-percent', '20']);
    expect(r.code).toBe(2);
    expect(`${r.stdout}${r.stderr}`).toContain(path);
    const marked = read(dir, path);
    expect(marked).toMatch(/^<{7} yours \(on disk\)$/m);
    expect(marked).toMatch(/^>{7} generated$/m);
    expect(marked).toContain(mine);
    // WHEN the user resolves (keeps their line) and re-runs THEN the resolution is kept, exit 0.
    const resolved = marked.replace(/<{7} yours \(on disk\)\n([\s\S]*?)\|{7} base\n[\s\S]*?>{7} generated\n/, '$1');
    expect(resolved).not.toMatch(/^[<>|=]{7}/m);
    writeFileSync(join(dir, path), resolved);
    const again = await rerun(dir, []);
    expect(again.code, again.stdout).toBe(0);
    expect(read(dir, path)).toBe(resolved);
  });

  it('WHEN the same conflict is re-run with --force THEN the new render wins and the user’s file is kept as .orig', async () => {
    const dir = await generateFresh();
    const next = tree(await generateFresh(['--canary-percent', '20']));
    const path = changedHashFile(tree(dir), next);
    const lines = splitLines(read(dir, path));
    const [start] = changedRanges(read(dir, path), next.get(path)!)[0]!;
    lines[start] = `${lines[start]!.replace(/\n$/, '')} # mine\n`;
    const edited = lines.join('');
    writeFileSync(join(dir, path), edited);
    const r = await rerun(dir, ['--canary-percent', '20', '--force']);
    expect(r.code, r.stderr).toBe(0);
    expect(read(dir, path)).toBe(next.get(path));
    expect(read(dir, `${path}.orig`)).toBe(edited);
    expect(r.stdout).toContain(`${path}.orig`);
  });

  it('WHEN the engine switches to codedeploy and back THEN codedeploy.tf appears and disappears, and a user edit elsewhere survives both', async () => {
    const dir = await generateFresh();
    const ecs = tree(dir);
    const cd = tree(await generateFresh(['--deployment-engine', 'codedeploy']));
    expect(cd.has('terraform/codedeploy.tf') && !ecs.has('terraform/codedeploy.tf')).toBe(true);
    const path = changedHashFile(ecs, cd);
    writeFileSync(join(dir, path), insertFarFromChanges(ecs.get(path)!, changedRanges(ecs.get(path)!, cd.get(path)!)));
    const there = await rerun(dir, ['--deployment-engine', 'codedeploy']);
    expect(there.code, there.stderr).toBe(0);
    expect(read(dir, 'terraform/codedeploy.tf')).toBe(cd.get('terraform/codedeploy.tf'));
    expect(withoutUserLine(read(dir, path))).toBe(cd.get(path));
    const back = await rerun(dir, ['--deployment-engine', 'ecs']);
    expect(back.code, back.stderr).toBe(0);
    expect(listFiles(dir)).not.toContain('terraform/codedeploy.tf');
    expect(read(dir, path)).toContain(USER_LINE);
    const expected = new Map(ecs);
    expected.set(path, read(dir, path));
    expect(withoutUserLine(read(dir, path))).toBe(ecs.get(path));
    expect(tree(dir)).toEqual(expected);
  });

  it('WHEN a file the user edited is no longer generated THEN it is kept and reported, not deleted', async () => {
    const dir = await generateFresh();
    const next = tree(await generateFresh(['--no-staging']));
    const orphans = [...tree(dir).keys()].filter((p) => !next.has(p));
    expect(orphans.length, '--no-staging must drop files').toBeGreaterThan(0);
    const [edited, ...unedited] = orphans;
    const text = `${read(dir, edited!)}\n`;
    writeFileSync(join(dir, edited!), text);
    const r = await rerun(dir, ['--no-staging']);
    expect(r.code, r.stderr).toBe(0);
    expect(read(dir, edited!)).toBe(text);
    expect(r.stdout).toMatch(new RegExp(`kept +${edited!.replace(/\./g, '\\.')}`));
    for (const gone of unedited) expect(listFiles(dir)).not.toContain(gone);
  });

  it('WHEN --dry-run with a change THEN diffs and merge outcomes are printed and nothing is written', async () => {
    const dir = await generateFresh();
    const next = tree(await generateFresh(['--canary-percent', '20']));
    const path = changedHashFile(tree(dir), next);
    writeFileSync(
      join(dir, path),
      insertFarFromChanges(read(dir, path), changedRanges(read(dir, path), next.get(path)!)),
    );
    const before = tree(dir);
    ageAll(dir);
    const r = await rerun(dir, ['--canary-percent', '20', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`--- a/${path}`);
    expect(r.stdout).toMatch(/merged/);
    expect(untouched(dir)).toEqual([]);
    expect(tree(dir)).toEqual(before);
  });
});

describe('GIVEN a saved answer that is no longer valid', () => {
  async function withInvalidSaved(): Promise<string> {
    const dir = await generateFresh();
    const rc = JSON.parse(read(dir, '.yo-rc.json'));
    rc[STATE_KEY].answers.canaryPercent = 150;
    writeFileSync(join(dir, '.yo-rc.json'), `${JSON.stringify(rc, null, 2)}\n`);
    return dir;
  }

  it('WHEN re-run non-interactively THEN the key and the file are named, exit 1, nothing written', async () => {
    const dir = await withInvalidSaved();
    ageAll(dir);
    const r = await rerun(dir, []);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('canaryPercent');
    expect(r.stderr).toContain('.yo-rc.json');
    expect(untouched(dir)).toEqual([]);
  });

  it('WHEN re-run interactively THEN only that option is asked again and the answer is used', async () => {
    const dir = await withInvalidSaved();
    const prompts = mockAsk({ canaryPercent: '20' });
    const r = await cli([], dir, { tty: true, ask: prompts.ask });
    expect(r.code, r.stderr).toBe(0);
    expect(prompts.calls.map((q) => q.name)).toEqual(['canaryPercent', 'writeFiles']);
    expect(savedAnswers(dir)).toMatchObject({ canaryPercent: 20 });
    expect(tree(dir)).toEqual(tree(await generateFresh(['--canary-percent', '20'])));
  });
});

describe('GIVEN a stack generated before --staging-strategy existed', () => {
  it('WHEN re-run without the flag THEN staging keeps the canary; with --staging-strategy rolling it switches', async () => {
    const dir = await generateFresh(['--staging-strategy', 'canary']);
    const stateFile = join(dir, '.yo-rc.json');
    const state = JSON.parse(readFileSync(stateFile, 'utf8'));
    delete state[STATE_KEY].answers.stagingStrategy; // as an older generator saved it
    writeFileSync(stateFile, JSON.stringify(state, null, 2));
    const again = await cli(['--yes'], dir);
    expect(again.code, again.stderr).toBe(0);
    const tfvars = (): string => readFileSync(join(dir, 'terraform/terraform.tfvars'), 'utf8');
    expect(tfvars()).toContain('staging_strategy        = "canary"');
    const switched = await cli(['--yes', '--staging-strategy', 'rolling'], dir);
    expect(switched.code, switched.stderr).toBe(0);
    expect(tfvars()).toContain('staging_strategy        = "rolling"');
    const fresh = await generateFresh();
    expect(readFileSync(join(fresh, 'terraform/terraform.tfvars'), 'utf8')).toContain(
      'staging_strategy        = "rolling"',
    );
  });
});
