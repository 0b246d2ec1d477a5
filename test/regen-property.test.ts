/**
 * Property: across random user edits and random option changes, every line the user added is still
 * in the written file, or inside a reported conflict (or, with --force, in the `.orig` backup) —
 * never gone. Seeded: set REGEN_SEED to reproduce a failure (the seed is in every message) and
 * REGEN_DEBUG="case N " to print that case's texts.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyOutcomes, diskReader } from '../src/regen/apply.js';
import { hasConflictMarkers } from '../src/regen/merge.js';
import { reconcile, type FileOutcome } from '../src/regen/reconcile.js';
import type { Manifest } from '../src/regen/state.js';
import { splitLines } from '../src/regen/text.js';
import { mulberry32, pick, randomText, resolveKeepingBoth } from './support/regen-random.js';
import { renderManagedTexts, VARIANTS } from './support/regen-render.js';

const SEED = Number(process.env.REGEN_SEED ?? 20240605);

/** Lines without terminators, for membership checks. */
function lineSet(text: string | undefined): Set<string> {
  return new Set(splitLines(text ?? '').map((l) => l.replace(/\r?\n$/, '')));
}

/** Random edits: insert marker lines or replace lines. Returns the new text and the lines it added/removed. */
function mutate(
  rnd: () => number,
  text: string,
  tag: string,
  deletions: boolean,
): { text: string; added: string[]; removed: string[] } {
  const lines = splitLines(text).map((l) => (l.endsWith('\n') ? l : `${l}\n`));
  const added: string[] = [];
  const removed: string[] = [];
  for (let k = 0, n = 1 + pick(rnd, 4); k < n; k++) {
    const r = rnd();
    const line = `${tag} ${k}`;
    if (r < 0.55 || lines.length === 0) {
      lines.splice(pick(rnd, lines.length + 1), 0, `${line}\n`);
      added.push(line);
    } else {
      const at = pick(rnd, lines.length);
      removed.push(lines[at]!.replace(/\n$/, ''));
      if (deletions && r > 0.85) lines.splice(at, 1);
      else {
        lines.splice(at, 1, `${line}\n`);
        added.push(line);
      }
    }
  }
  // A later step may overwrite an earlier step's line: report only what the final text really adds.
  const final = lineSet(lines.join(''));
  return {
    text: lines.join(''),
    added: added.filter((a) => final.has(a)),
    removed: removed.filter((r) => !final.has(r)),
  };
}

interface World {
  disk: string;
  manifest: Manifest;
  lastGenerated: string;
  userLines: Set<string>;
}

const stats = { merged: 0, conflict: 0, forced: 0, update: 0, unchanged: 0 };

/** One regeneration round against `world`; checks the property and advances the world. */
function round(world: World, generated: string, force: boolean, where: string, dir?: string): FileOutcome {
  const input = {
    dir: dir ?? '/virtual',
    planned: [{ spec: { path: 'f', kind: 'managed' as const, template: 'x' }, text: generated }],
    base: new Map([['f', world.lastGenerated]]),
    manifest: world.manifest,
    force,
  };
  const read = dir ? diskReader(dir) : (p: string) => (p === 'f' ? world.disk : undefined);
  const [o] = reconcile(input, read);
  const outcome = dir ? applyOutcomes(dir, [o!], world.manifest).outcomes[0]! : o!;
  const final = dir ? readFileSync(join(dir, 'f'), 'utf8') : (o!.text ?? world.disk);
  const kept = lineSet(final);
  const backup = lineSet(outcome.backup?.text);
  if (outcome.backup && dir)
    expect(readFileSync(join(dir, outcome.backup.path), 'utf8'), where).toBe(outcome.backup.text);
  if (process.env.REGEN_DEBUG && where.includes(process.env.REGEN_DEBUG))
    console.log(
      where,
      '\n--disk\n' +
        world.disk +
        '--base\n' +
        world.lastGenerated +
        '--gen\n' +
        generated +
        '--final ' +
        outcome.action +
        '\n' +
        final,
      [...world.userLines],
    );
  for (const u of world.userLines)
    expect(kept.has(u) || backup.has(u), `${where}: user line "${u}" lost (${outcome.action})`).toBe(true);
  expect(hasConflictMarkers(final), `${where}: markers ⇔ conflict`).toBe(outcome.action === 'conflict');
  if (outcome.action !== 'conflict') {
    // Outside conflicts the new render's own changes land too.
    const previous = lineSet(world.lastGenerated);
    for (const g of lineSet(generated))
      if (!previous.has(g))
        expect(kept.has(g), `${where}: generated line "${g}" missing (${outcome.action})`).toBe(true);
  }
  if (outcome.action in stats) stats[outcome.action as keyof typeof stats] += 1;
  world.disk = final;
  world.manifest = { f: outcome.record! };
  world.lastGenerated = generated;
  if (outcome.action === 'forced') world.userLines = new Set(); // the user asked for the new version; theirs is in .orig (checked above)
  return outcome;
}

/** Several rounds of: user edits, option change (or none), regenerate; conflicts resolved half of the time. */
function lifecycle(rnd: () => number, texts: readonly string[], where: string, dir?: string): void {
  const world: World = { disk: texts[0]!, manifest: {}, lastGenerated: texts[0]!, userLines: new Set() };
  if (dir) writeFileSync(join(dir, 'f'), world.disk);
  round(world, texts[0]!, false, `${where} first run`, dir); // records the manifest
  for (let r = 1; r < texts.length; r++) {
    const edit = mutate(rnd, world.disk, `user ${r}`, true);
    for (const gone of edit.removed) world.userLines.delete(gone);
    world.disk = edit.text;
    if (dir) writeFileSync(join(dir, 'f'), world.disk);
    for (const a of edit.added) world.userLines.add(a);
    const o = round(world, texts[r]!, rnd() < 0.15, `${where} round ${r}`, dir);
    if (o.action === 'conflict' && rnd() < 0.5) {
      world.disk = resolveKeepingBoth(world.disk);
      const left = lineSet(world.disk);
      for (const u of world.userLines) if (!left.has(u)) world.userLines.delete(u); // the user's own choice (a line they typed into a base section)
      if (dir) writeFileSync(join(dir, 'f'), world.disk);
    }
  }
}

describe(`regeneration never loses a user line (seed ${SEED})`, () => {
  it('synthetic texts with many repeated lines × random generator changes', () => {
    const rnd = mulberry32(SEED);
    for (let c = 0; c < 300; c++) {
      const texts = [randomText(rnd, 5 + pick(rnd, 50))];
      for (let r = 1; r < 5; r++)
        texts.push(rnd() < 0.2 ? texts.at(-1)! : mutate(rnd, texts.at(-1)!, `gen ${r}`, true).text);
      lifecycle(rnd, texts, `seed ${SEED} synthetic case ${c}`);
    }
    expect(stats.merged, 'the generator must exercise clean merges').toBeGreaterThan(20);
    expect(stats.conflict, 'the generator must exercise conflicts').toBeGreaterThan(20);
    expect(stats.forced).toBeGreaterThan(5);
  });

  it('real rendered files × random option changes, applied to a real directory', () => {
    const rnd = mulberry32(SEED + 1);
    const renders = VARIANTS.map((v) => renderManagedTexts(v));
    const paths = [...renders[0]!.keys()].filter((p) => renders.every((m) => m.has(p)));
    expect(paths.length).toBeGreaterThan(3);
    const before = { ...stats };
    for (let c = 0; c < 60; c++) {
      const path = paths[pick(rnd, paths.length)]!;
      const texts = [0, 1, 2, 3].map(() => renders[pick(rnd, renders.length)]!.get(path)!);
      const dir = mkdtempSync(join(tmpdir(), 'ccp-prop-'));
      lifecycle(rnd, texts, `seed ${SEED + 1} case ${c} (${path})`, dir);
      expect(existsSync(join(dir, 'f'))).toBe(true);
    }
    expect(stats.merged - before.merged + stats.unchanged - before.unchanged).toBeGreaterThan(5);
    expect(stats.conflict - before.conflict).toBeGreaterThan(0);
  });
});
