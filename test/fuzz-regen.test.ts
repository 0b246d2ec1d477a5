/**
 * Seeded fuzz of regeneration, kill -9 and concurrent runs, through the CLI (runCli in-process, and
 * the bin as real processes for kills and concurrency). Properties:
 * - regeneration: random user edits × random option changes lose no user line; conflicts are
 *   reported and marked; a following run writes nothing.
 * - kill: a run killed at any disk change (fault injection: SIGKILL after its N-th change) or at a
 *   random moment leaves either nothing or a journal; the next run completes (or rolls back) it,
 *   says which, and ends with exactly the tree of an uninterrupted run.
 * - concurrency: two runs started together in one folder end with the tree of one of them, or of
 *   both one after the other — never a mix; the loser says another run is in progress.
 * FUZZ_SEED reproduces a run; FUZZ_SCALE multiplies the rounds.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasConflictMarkers } from '../src/regen/merge.js';
import { JOURNAL_FILE } from '../src/regen/journal.js';
import { STATE_KEY } from '../src/regen/state.js';
import { splitLines } from '../src/regen/text.js';
import { cli, tempDir } from './support/cli.js';
import { FUZZ_SCALE, fuzzSeed, snapshot, snapshotDiff } from './support/fuzz.js';
import {
  binOf,
  commentFor,
  randomChanges,
  resolveKeepingBoth,
  ROOT,
  runBin,
  savedAnswers,
  treeBytes,
  treeDiff,
  userEdit,
} from './support/fuzz-regen-support.js';
import { mulberry32, pick } from './support/regen-random.js';

const SEED = fuzzSeed(20_261_216);
const rnd = mulberry32(SEED);
const BASE = ['--yes', '--example'];
const BIN = binOf(ROOT);
const stats = new Map<string, number>();
const bump = (k: string, n = 1): void => void stats.set(k, (stats.get(k) ?? 0) + n);
/** The issue's measures: each must stay 0. */
const measures = {
  'lost lines': 0,
  'unreported conflicts': 0,
  'writes by a no-change run': 0,
  'kills not recovered': 0,
  'torn states': 0,
  'corrupt concurrent pairs': 0,
};
let start = ''; // a generated tree every case starts from (copied)

function copyOf(dir: string): string {
  const to = join(tempDir('ccp-fuzzr-'), 'out');
  if (existsSync(dir)) cpSync(dir, to, { recursive: true });
  return to;
}

/** The tree an uninterrupted, unopposed run produces from `from` with `argv`. */
async function reference(
  from: string | undefined,
  argv: readonly string[],
): Promise<{ tree: Map<string, string>; code: number }> {
  const dir = from ? copyOf(from) : join(tempDir('ccp-fuzzr-ref-'), 'out');
  mkdirSync(dir, { recursive: true });
  const r = await cli(['.', ...argv], dir);
  return { tree: treeBytes(dir), code: r.code };
}

beforeAll(async () => {
  start = join(tempDir('ccp-fuzzr-start-'), 'out');
  const r = await cli([start, ...BASE], '/');
  expect(r.code, r.stderr).toBe(0);
}, 120_000);

afterAll(() => {
  console.log(
    `regeneration fuzz (seed ${SEED}): ${Object.entries(measures)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}\n${[...stats].map(([k, v]) => `  ${k.padEnd(44)} ${v}`).join('\n')}`,
  );
});

/** Lines of a text without terminators. */
const lineSet = (t: string): Set<string> => new Set(splitLines(t).map((l) => l.replace(/\r?\n$/, '')));

describe(`regeneration: random edits × random option changes (seed ${SEED})`, () => {
  it('loses no user line, marks and reports every conflict, and a following run writes nothing', async () => {
    const problems: string[] = [];
    for (let c = 0; c < 3 * FUZZ_SCALE; c++) {
      const dir = copyOf(start);
      const userLines = new Map<string, Set<string>>(); // file → lines the user added and still wants
      for (let round = 0; round < 4; round++) {
        const where = `seed=${SEED} case ${c} round ${round}`;
        const managed = Object.entries(
          JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8'))[STATE_KEY].manifest as Record<
            string,
            { kind: string }
          >,
        )
          .filter(([p, e]) => e.kind === 'managed' && commentFor(p) !== undefined)
          .map(([p]) => p);
        for (let e = 0, n = 1 + pick(rnd, 3); e < n; e++) {
          const path = managed[pick(rnd, managed.length)]!;
          const edit = userEdit(rnd, readFileSync(join(dir, path), 'utf8'), commentFor(path)!, `${c}.${round}.${e}`);
          writeFileSync(join(dir, path), edit.text);
          userLines.set(path, new Set([...(userLines.get(path) ?? []), ...edit.added]));
        }
        const changes = randomChanges(rnd, savedAnswers(dir), []);
        const r = await cli(['.', '--yes', ...changes], dir);
        bump(`regeneration runs (exit ${r.code})`);
        if (r.code !== 0 && r.code !== 2) problems.push(`${where} ${changes.join(' ')}: exit ${r.code}: ${r.stderr}`);
        const conflicted = [...r.stdout.matchAll(/^ {2}CONFLICT {2}(\S+)/gm)].map((m) => m[1]!);
        for (const [path, lines] of userLines) {
          const text = existsSync(join(dir, path)) ? readFileSync(join(dir, path), 'utf8') : '';
          const kept = lineSet(text);
          for (const l of lines) {
            if (kept.has(l)) continue;
            measures['lost lines'] += 1;
            problems.push(`${where} ${changes.join(' ')}: "${l}" lost from ${path}`);
          }
          if (hasConflictMarkers(text) !== conflicted.includes(path)) {
            measures['unreported conflicts'] += 1;
            problems.push(
              `${where}: ${path} markers ${hasConflictMarkers(text)} but reported ${conflicted.includes(path)}`,
            );
          }
        }
        bump(
          'user lines checked',
          [...userLines.values()].reduce((n, s) => n + s.size, 0),
        );
        bump('conflicts reported', conflicted.length);
        for (const path of conflicted)
          writeFileSync(join(dir, path), resolveKeepingBoth(readFileSync(join(dir, path), 'utf8')));
        const before = snapshot(dir);
        const again = await cli(['.', '--yes'], dir);
        const written = snapshotDiff(before, snapshot(dir)).filter((p) => !conflicted.includes(p));
        // After resolving, the next run may record the resolutions; a run after THAT one writes nothing.
        const third = snapshot(dir);
        const rerun = await cli(['.', '--yes'], dir);
        if (rerun.code !== 0 || snapshotDiff(third, snapshot(dir)).length) {
          measures['writes by a no-change run'] += 1;
          problems.push(
            `${where}: a run with nothing to change wrote ${snapshotDiff(third, snapshot(dir)).join(', ')} (exit ${rerun.code})`,
          );
        }
        if (again.code !== 0)
          problems.push(`${where}: re-run after resolving exited ${again.code}: ${again.stderr}${again.stdout}`);
        bump('re-runs that wrote nothing', written.length === 0 ? 1 : 0);
      }
    }
    expect(problems.slice(0, 20).join('\n')).toBe('');
  }, 300_000);
});

/** Files a killed run may leave besides the tree: its lock, its journal and temp files. */
const LEFTOVER = /(^|\/)(\.create-canary-pipeline\.(lock|journal)|\..+\.\d+\.[0-9a-f]{8}\.tmp)$/;

interface KillScenario {
  readonly name: string;
  /** Folder the run starts from (undefined: a new folder). */
  readonly from: () => string | undefined;
  readonly argv: readonly string[];
}

const KILL_SCENARIOS: readonly KillScenario[] = [
  // The first run: killed between package.json and .yo-rc.json, the next run must not see an adopted service.
  { name: 'first run into a new folder', from: () => undefined, argv: BASE },
  {
    name: 'regeneration adding and deleting files',
    from: () => start,
    argv: ['--yes', '--deployment-engine', 'codedeploy', '--no-staging', '--canary-percent', '25'],
  },
  {
    name: 'regeneration with a user edit merged',
    from: () => {
      const dir = copyOf(start);
      const f = join(dir, 'terraform/main.tf');
      writeFileSync(f, `# the user's own line\n${readFileSync(f, 'utf8')}`);
      return dir;
    },
    argv: ['--yes', '--desired-count', '7', '--language', 'js'],
  },
];

/** After a kill: the tree is the starting tree, or a journal is there to finish the change. */
function killedState(from: Map<string, string>, dir: string): { journal: boolean; changed: string[] } {
  const now = treeBytes(dir);
  const changed = treeDiff(from, now).filter((p) => !LEFTOVER.test(p));
  return { journal: existsSync(join(dir, JOURNAL_FILE)), changed };
}

/** A killed run left the starting tree, a journal, or (killed after its last change) the finished tree. */
function torn(
  state: { journal: boolean; changed: string[] },
  expected: { tree: Map<string, string> },
  dir: string,
  where: string,
): string[] {
  if (!state.changed.length || state.journal) return [];
  const diff = treeDiff(expected.tree, new Map([...treeBytes(dir)].filter(([p]) => !LEFTOVER.test(p))));
  if (diff.length) measures['torn states'] += 1;
  return diff.length
    ? [`${where}: files changed, no journal, and the tree is not the finished one: ${diff.slice(0, 6).join(', ')}`]
    : [];
}

/** Recover with the same command in-process; the result must equal the uninterrupted run. */
async function recoverAndCompare(
  dir: string,
  sc: KillScenario,
  expected: { tree: Map<string, string>; code: number },
  where: string,
  journal: boolean,
): Promise<string[]> {
  const r = await cli(['.', ...sc.argv], dir);
  const bad: string[] = [];
  if (journal && !/interrupted; (completed its change|.*rolled its change back)/.test(r.stderr))
    bad.push(`the recovery was not reported: ${r.stderr}`);
  if (r.code !== expected.code) bad.push(`exit ${r.code}, an uninterrupted run exits ${expected.code}: ${r.stderr}`);
  const diff = treeDiff(expected.tree, treeBytes(dir));
  if (diff.length) bad.push(`tree differs from an uninterrupted run: ${diff.slice(0, 6).join(', ')}`);
  if (bad.length) measures['kills not recovered'] += 1;
  return bad.map((b) => `${where}: ${b}`);
}

describe(`kill -9 mid-run (seed ${SEED})`, () => {
  it('a run killed after any of its disk changes is completed by the next run, which says so', async () => {
    const problems: string[] = [];
    for (const sc of KILL_SCENARIOS) {
      const from = sc.from();
      const expected = await reference(from, sc.argv);
      const points = [1, 2, ...Array.from({ length: 3 * FUZZ_SCALE }, () => 3 + pick(rnd, 34))];
      for (const k of points) {
        const dir = from ? copyOf(from) : join(tempDir('ccp-fuzzr-kill-'), 'out');
        const before = treeBytes(dir);
        const run = await runBin(BIN, [dir, ...sc.argv], '/', { CREATE_CANARY_PIPELINE_FAULT: `kill-after:${k}` }).done;
        const where = `seed=${SEED} ${sc.name}, killed after change ${k}`;
        const state = killedState(before, dir);
        if (run.signal !== 'SIGKILL') bump('kill points past the end of the run');
        else bump(state.journal ? 'killed with a journal (recovered)' : 'killed before the first change');
        problems.push(...torn(state, expected, dir, where));
        problems.push(...(await recoverAndCompare(dir, sc, expected, where, state.journal)));
      }
    }
    expect(problems.slice(0, 20).join('\n')).toBe('');
  }, 600_000);

  it('a run killed at a random moment, from outside, is recovered the same way', async () => {
    const problems: string[] = [];
    for (let i = 0; i < 4 * FUZZ_SCALE; i++) {
      const sc = KILL_SCENARIOS[pick(rnd, KILL_SCENARIOS.length)]!;
      const from = sc.from();
      const expected = await reference(from, sc.argv);
      const dir = from ? copyOf(from) : join(tempDir('ccp-fuzzr-kill-'), 'out');
      const before = treeBytes(dir);
      const { child, done } = runBin(BIN, [dir, ...sc.argv], '/');
      // Half the kills at a random time, half a random moment after the journal appears (the write phase is short).
      const delay = i % 2 ? 300 + pick(rnd, 2500) : pick(rnd, 25);
      const trigger = i % 2 ? `after ${delay} ms` : `${delay} ms after its journal appeared`;
      const killAfterJournal = (): void => {
        if (!existsSync(join(dir, JOURNAL_FILE))) return;
        clearInterval(timer);
        setTimeout(() => child.kill('SIGKILL'), delay);
      };
      const timer = i % 2 ? setTimeout(() => child.kill('SIGKILL'), delay) : setInterval(killAfterJournal, 1);
      const run = await done;
      clearInterval(timer);
      const state = killedState(before, dir);
      bump(
        run.signal === 'SIGKILL'
          ? state.journal
            ? 'random kill: mid-change (recovered)'
            : 'random kill: before the first change'
          : 'random kill: run had finished',
      );
      const where = `seed=${SEED} ${sc.name}, killed ${trigger}`;
      problems.push(...torn(state, expected, dir, where));
      problems.push(...(await recoverAndCompare(dir, sc, expected, where, state.journal)));
    }
    expect(problems.join('\n')).toBe('');
  }, 300_000);

  it('a file changed after the kill makes the next run roll the change back, keeping that edit, then apply its own', async () => {
    const problems: string[] = [];
    const sc = KILL_SCENARIOS[1]!;
    const expected = await reference(start, sc.argv);
    for (let i = 0; i < 2 * FUZZ_SCALE; i++) {
      const dir = copyOf(start);
      const before = treeBytes(dir);
      const k = 3 + pick(rnd, 10);
      await runBin(BIN, [dir, ...sc.argv], '/', { CREATE_CANARY_PIPELINE_FAULT: `kill-after:${k}` }).done;
      const changed = killedState(before, dir).changed.filter((p) => p.endsWith('.tf'));
      if (!changed.length) continue;
      const path = changed[pick(rnd, changed.length)]!;
      const line = `# edited after the crash ${i}`;
      writeFileSync(join(dir, path), `${line}\n${readFileSync(join(dir, path), 'utf8')}`);
      const r = await cli(['.', ...sc.argv], dir);
      bump('rolled back after a later edit');
      const where = `seed=${SEED} kill after ${k}, then ${path} edited`;
      if (!/rolled its change back/.test(r.stderr) || !r.stderr.includes(path))
        problems.push(`${where}: the rollback was not reported naming ${path}: ${r.stderr}`);
      if (![0, 2].includes(r.code)) problems.push(`${where}: exit ${r.code}: ${r.stderr}`);
      if (!readFileSync(join(dir, path), 'utf8').includes(line))
        problems.push(`${where}: the edit made after the crash was lost`);
      const diff = treeDiff(expected.tree, treeBytes(dir)).filter(
        (p) => p !== path && p !== '.yo-rc.json' && !p.startsWith('.create-canary-pipeline/'),
      );
      if (diff.length)
        problems.push(
          `${where}: besides the edited file, the tree differs from an uninterrupted run: ${diff.join(', ')}`,
        );
    }
    expect(problems.join('\n')).toBe('');
  }, 300_000);
});

const BUSY = /another run is in progress|changed .* while this one was preparing/;

describe(`concurrent runs in one folder (seed ${SEED})`, () => {
  it('end with the tree of one run, or of both one after the other; the loser says another run is in progress', async () => {
    const problems: string[] = [];
    for (let i = 0; i < 4 * FUZZ_SCALE; i++) {
      // Half the pairs race for a folder that does not exist yet (nothing to lock until one creates it).
      const fresh = i % 2 === 1;
      const from = fresh ? undefined : start;
      const a = fresh
        ? [...BASE, ...randomChanges(rnd, undefined, BASE)]
        : ['--yes', ...randomChanges(rnd, savedAnswers(start), [])];
      const b = fresh
        ? [...BASE, ...randomChanges(rnd, undefined, BASE)]
        : ['--yes', ...randomChanges(rnd, savedAnswers(start), [])];
      const dir = from ? copyOf(from) : join(tempDir('ccp-fuzzr-race-'), 'out');
      const initial = treeBytes(dir);
      const gap = pick(rnd, 400);
      const ra = runBin(BIN, [dir, ...a], '/');
      await new Promise((r) => setTimeout(r, gap));
      const rb = runBin(BIN, [dir, ...b], '/');
      const [xa, xb] = await Promise.all([ra.done, rb.done]);
      const final = treeBytes(dir);
      const onlyA = await reference(from, a);
      const onlyB = await reference(from, b);
      const where = `seed=${SEED} pair ${i} (${fresh ? 'new folder' : 'regeneration'}, B ${gap} ms later) A: ${a.join(' ')} | B: ${b.join(' ')}`;
      const outcome = await classify(from, a, b, { xa, xb, initial, final, onlyA: onlyA.tree, onlyB: onlyB.tree });
      bump(`concurrent pairs: ${outcome.label}`);
      if (outcome.problem) {
        measures['corrupt concurrent pairs'] += 1;
        problems.push(`${where}: ${outcome.problem}\nA: ${xa.code} ${xa.stderr}\nB: ${xb.code} ${xb.stderr}`);
      }
    }
    expect(problems.join('\n\n')).toBe('');
  }, 600_000);
});

interface PairResult {
  readonly xa: { code: number | null; stderr: string };
  readonly xb: { code: number | null; stderr: string };
  readonly initial: Map<string, string>;
  readonly final: Map<string, string>;
  readonly onlyA: Map<string, string>;
  readonly onlyB: Map<string, string>;
}

/** Which consistent outcome a pair produced, or why it is corrupt. */
async function classify(
  from: string | undefined,
  a: readonly string[],
  b: readonly string[],
  p: PairResult,
): Promise<{ label: string; problem?: string }> {
  const same = (t: Map<string, string>): boolean => treeDiff(t, p.final).length === 0;
  const okA = p.xa.code === 0;
  const okB = p.xb.code === 0;
  const refused = (x: { code: number | null; stderr: string }): boolean => x.code === 1 && BUSY.test(x.stderr);
  if ([...p.final.keys()].some((f) => LEFTOVER.test(f)))
    return {
      label: 'corrupt',
      problem: `left a lock, journal or temp file: ${[...p.final.keys()].filter((f) => LEFTOVER.test(f)).join(', ')}`,
    };
  if (okA && refused(p.xb))
    return same(p.onlyA)
      ? { label: 'A won, B refused' }
      : { label: 'corrupt', problem: `B refused, but the tree is not A's: ${treeDiff(p.onlyA, p.final).join(', ')}` };
  if (okB && refused(p.xa))
    return same(p.onlyB)
      ? { label: 'B won, A refused' }
      : { label: 'corrupt', problem: `A refused, but the tree is not B's: ${treeDiff(p.onlyB, p.final).join(', ')}` };
  if (okA && okB) {
    // Both ran: one after the other, in some order. Build both sequential trees to compare.
    const ab = await sequential(from, a, b);
    const ba = await sequential(from, b, a);
    if (same(ab)) return { label: 'both ran, A then B' };
    if (same(ba)) return { label: 'both ran, B then A' };
    return {
      label: 'corrupt',
      problem: `both exited 0 but the tree matches neither order: ${treeDiff(ab, p.final).join(', ')}`,
    };
  }
  if (refused(p.xa) && refused(p.xb) && same(p.initial)) return { label: 'both refused' };
  return { label: 'corrupt', problem: `unexpected exits A=${p.xa.code} B=${p.xb.code}` };
}

async function sequential(
  from: string | undefined,
  first: readonly string[],
  second: readonly string[],
): Promise<Map<string, string>> {
  const dir = from ? copyOf(from) : join(tempDir('ccp-fuzzr-seq-'), 'out');
  mkdirSync(dir, { recursive: true });
  await cli(['.', ...first], dir);
  await cli(['.', ...second], dir);
  return treeBytes(dir);
}
