/**
 * The golden layout (test/support/goldens.ts): diffs rebuild their file exactly or fail naming the hunk,
 * a corrupted stored golden fails the comparison, and one template edit that changes every scenario
 * the same way changes one stored file. For that last test this file renders with a copy of templates/
 * in which the deploy workflow's template has one planted line (src/paths.js is mocked to point there).
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { unifiedDiff } from '../src/regen/unified-diff.js';
import { EMPTY_DELTA, makeDelta, rebuildTree, type Delta } from './support/golden-delta.js';
import { withHashes, withHashPlaceholders } from './support/golden-hashes.js';
import { applyPatch } from './support/golden-patch.js';
import {
  DEFAULT_SCENARIO,
  readTree,
  scenarioDelta,
  scenarioGolden,
  scenarioNames,
  SCENARIOS_DIR,
  storedFiles,
} from './support/goldens.js';
import { runScenario } from './support/scenario-run.js';

const PLANT = vi.hoisted(() => ({
  template: 'workflow/.github/workflows/deploy.yml.ejs',
  file: '.github/workflows/deploy.yml',
  line: '# planted: one edit of the template\n',
  copy: '',
}));

vi.mock('../src/paths.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/paths.js')>();
  PLANT.copy = mkdtempSync(join(tmpdir(), 'ccp-planted-'));
  const dir = join(PLANT.copy, 'templates');
  cpSync(real.TEMPLATES_DIR, dir, { recursive: true });
  const file = join(dir, PLANT.template);
  writeFileSync(file, readFileSync(file, 'utf8').replace('\n', `\n${PLANT.line}`));
  return { ...real, TEMPLATES_DIR: dir };
});

afterAll(() => {
  if (PLANT.copy) rmSync(PLANT.copy, { recursive: true, force: true });
});

/** A seeded generator (mulberry32), so a failing case can be reproduced. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A text of lines from a small alphabet (so lines repeat), with LF or CRLF and maybe no final newline. */
function randomText(rnd: () => number, lines: string[] = []): string {
  const n = Math.floor(rnd() * 30);
  const eol = rnd() < 0.2 ? '\r\n' : '\n';
  for (let i = 0; i < n; i++) lines.push(['a', 'b', 'c', 'x = 1', '', '}'][Math.floor(rnd() * 6)]!);
  const text = lines.join(eol);
  return rnd() < 0.3 ? text : text + (n > 0 ? eol : '');
}

/** `text` with a few lines replaced, inserted or removed. */
function edited(rnd: () => number, text: string): string {
  const lines = text.split('\n');
  for (let k = Math.floor(rnd() * 4); k > 0; k--) {
    const at = Math.floor(rnd() * (lines.length + 1));
    const op = rnd();
    if (op < 0.4) lines.splice(at, 1);
    else if (op < 0.7) lines.splice(at, 0, `new ${k}`);
    else lines[Math.min(at, lines.length - 1)] = 'changed';
  }
  return lines.join('\n');
}

describe('unified diffs rebuild their file exactly', () => {
  it('for random texts (repeated lines, CRLF, no final newline, empty files)', () => {
    const rnd = random(15);
    for (let i = 0; i < 2000; i++) {
      const before = randomText(rnd);
      const after = rnd() < 0.1 ? randomText(rnd) : edited(rnd, before);
      if (before !== after)
        expect(applyPatch(before, unifiedDiff('f', before, after), 'f'), JSON.stringify([before, after])).toBe(after);
    }
  });

  it('where the base gained or lost lines above a hunk (found at its offset, as patch(1) does)', () => {
    const rnd = random(16);
    for (let i = 0; i < 500; i++) {
      const before = Array.from({ length: 5 + Math.floor(rnd() * 30) }, (_, k) => `line ${k}\n`).join('');
      const after = edited(rnd, before);
      if (after === before) continue;
      const diff = unifiedDiff('f', before, after);
      const head = 'moved\n'.repeat(1 + (i % 5));
      expect(applyPatch(head + before, diff, 'f')).toBe(head + after);
      const firstLine = before.slice(0, before.indexOf('\n') + 1);
      if (!diff.includes(`\n ${firstLine}`) && !diff.includes(`\n-${firstLine}`))
        expect(applyPatch(before.slice(firstLine.length), diff, 'f')).toBe(after.slice(firstLine.length));
    }
  });

  it('fails naming the hunk when a context or removed line is not in the base, and on a malformed diff', () => {
    const before = 'one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\nten\n';
    const diff = unifiedDiff('f', before, before.replace('five', 'FIVE'));
    expect(() => applyPatch(before.replace('three', '3'), diff, 'f.diff')).toThrow(
      /f\.diff: hunk #1 \(@@ -2,7 \+2,7 @@\) does not match/,
    );
    expect(() => applyPatch(before.replace('five', 'V'), diff, 'f.diff')).toThrow(/does not match/);
    expect(() => applyPatch(before, diff.replace(' four\n', ''), 'f.diff')).toThrow(
      /has 6 old and 6 new lines, not 7 and 7/,
    );
    expect(() => applyPatch(before, diff.replace(' four\n', '?four\n'), 'f.diff')).toThrow(
      /has no ' ', '-' or '\+' tag/,
    );
    expect(() => applyPatch(before, 'garbage\n', 'f.diff')).toThrow(/not a unified diff/);
  });
});

describe('the difference of a scenario from the default', () => {
  const long = Array.from({ length: 40 }, (_, k) => `line ${k}\n`).join('');
  const base = new Map([
    ['same', 'x\n'],
    ['long', long],
    ['gone', 'g\n'],
    ['short', 'a\n'],
  ]);
  const tree = new Map([
    ['same', 'x\n'],
    ['long', long.replace('line 20\n', 'edit\n')],
    ['new', 'n\n'],
    ['short', 'b\n'],
  ]);

  it('stores nothing for an identical file, a diff when shorter than the file, else the file; lists what is absent', () => {
    const delta = makeDelta(base, tree);
    expect([...delta.diffs.keys()]).toEqual(['long']);
    expect([...delta.full]).toEqual([
      ['new', 'n\n'],
      ['short', 'b\n'],
    ]);
    expect(delta.absent).toEqual(['gone']);
    expect(rebuildTree(base, delta, 't')).toEqual(new Map([...tree].sort()));
  });

  it('keeps a stored diff that still rebuilds its file, and replaces one that does not', () => {
    const old = makeDelta(base, tree);
    const moved = new Map([...base, ['long', `top\n${base.get('long')!}`]]);
    const movedTree = new Map([...tree, ['long', `top\n${tree.get('long')!}`]]);
    expect(makeDelta(moved, movedTree, old).diffs.get('long')).toBe(old.diffs.get('long'));
    expect(rebuildTree(moved, makeDelta(moved, movedTree, old), 't').get('long')).toBe(movedTree.get('long'));
    const changed = new Map([...tree, ['long', tree.get('long')!.replace('edit', 'other')]]);
    expect(makeDelta(base, changed, old).diffs.get('long')).toBe(
      unifiedDiff('long', base.get('long')!, changed.get('long')!),
    );
  });
});

describe('manifest hashes in a golden .yo-rc.json', () => {
  const entry = (path: string, hash: string): string =>
    `    "${path}": {\n      "kind": "managed",\n      "sha256": "${hash}"\n    }`;
  const hashOf = (text: string): string => createHash('sha256').update(text).digest('hex');
  const state = (hashes: string[]): string =>
    `{\n  "manifest": {\n${[entry('a.txt', hashes[0]!), entry('b.txt', hashes[1]!)].join(',\n')}\n  }\n}\n`;

  it("stores the hash of a file of the tree as a placeholder and puts the rebuilt file's hash back, byte for byte", () => {
    const tree = new Map([
      ['a.txt', 'a\n'],
      ['b.txt', 'b\n'],
      ['.yo-rc.json', state([hashOf('a\n'), 'f'.repeat(64)])],
    ]);
    const stored = withHashPlaceholders(tree);
    expect(stored.get('.yo-rc.json')).toBe(state(['<sha256 of the file>', 'f'.repeat(64)]));
    expect(withHashes(stored, 't')).toEqual(tree);
    expect(withHashes(new Map([...stored, ['a.txt', 'edited\n']]), 't').get('.yo-rc.json')).toBe(
      state([hashOf('edited\n'), 'f'.repeat(64)]),
    );
    expect(() => withHashes(new Map([['.yo-rc.json', stored.get('.yo-rc.json')!]]), 't')).toThrow(
      /records the hash of a\.txt, which the golden does not have/,
    );
  });
});

/** The first stored diff of any scenario, with the scenario's name. */
function someStoredDiff(): { name: string; path: string; delta: Delta } {
  for (const name of scenarioNames().slice(1)) {
    const delta = scenarioDelta(name);
    const path = [...delta.diffs.keys()].find(
      (p) => /\n [^\n]*\n/.test(delta.diffs.get(p)!) && /\n\+/.test(delta.diffs.get(p)!),
    );
    if (path) return { name, path, delta };
  }
  throw new Error('no scenario stores a diff');
}

describe('a corrupted stored golden fails the comparison', () => {
  const base = readTree(join(SCENARIOS_DIR, DEFAULT_SCENARIO, 'expected'));
  const { name, path, delta } = someStoredDiff();
  const label = `scenarios/${name}/differences`;
  const withDiff = (text: string): Delta => ({ ...delta, diffs: new Map([...delta.diffs, [path, text]]) });
  const diff = delta.diffs.get(path)!;

  it('a context line that is not in the default: rebuilding throws naming the scenario, the file and the hunk', () => {
    const broken = diff.replace(/\n ([^\n]*)\n/, '\n $1 (corrupted)\n');
    expect(() => rebuildTree(base, withDiff(broken), label)).toThrow(
      new RegExp(`${label}: ${path.replace(/\./g, '\\.')}\\.diff: hunk #1 .* does not match`),
    );
  });

  it('an added line changed, a diff or an absent entry dropped: the rebuilt tree is not the golden', () => {
    const golden = rebuildTree(base, delta, label);
    expect(withHashes(golden, label)).toEqual(scenarioGolden(name));
    const hunks = diff.indexOf('\n@@');
    const added = diff.slice(0, hunks) + diff.slice(hunks).replace(/\n\+([^\n]*)\n/, '\n+$1 (corrupted)\n');
    expect(added).not.toBe(diff);
    expect(rebuildTree(base, withDiff(added), label).get(path)).not.toBe(golden.get(path));
    const dropped = new Map(delta.diffs);
    dropped.delete(path);
    expect(rebuildTree(base, { ...delta, diffs: dropped }, label).get(path)).toBe(base.get(path));
    const all = { ...delta, absent: [] };
    if (delta.absent.length > 0) expect([...rebuildTree(base, all, label).keys()]).not.toEqual([...golden.keys()]);
    expect(() => rebuildTree(base, { ...EMPTY_DELTA, absent: ['no/such/file'] }, label)).toThrow(
      /listed as absent but the base has no such file/,
    );
  });
});

describe('one template edit that changes every scenario the same way', () => {
  it('changes one stored file (and ten with a fresh diff each time)', async () => {
    const names = scenarioNames();
    const rendered = new Map<string, Map<string, string>>();
    for (const name of names) rendered.set(name, (await runScenario(name)).tree);
    for (const name of names) {
      const text = rendered.get(name)!.get(PLANT.file)!;
      expect(text, name).toContain(PLANT.line);
      expect(text.replace(PLANT.line, ''), name).toBe(scenarioGolden(name).get(PLANT.file));
    }
    const base = rendered.get(DEFAULT_SCENARIO)!;
    const changed = (fresh: boolean): string[] =>
      names.flatMap((name) => {
        const now = [...readTree(join(SCENARIOS_DIR, name))].filter(([p]) => /^(expected|differences)\//.test(p));
        const next = storedFiles(name, rendered.get(name)!, base, fresh ? EMPTY_DELTA : scenarioDelta(name));
        const paths = [...new Set([...now.map(([p]) => p), ...next.keys()])].sort();
        return paths.filter((p) => new Map(now).get(p) !== next.get(p)).map((p) => `${name}/${p}`);
      });
    expect(changed(false)).toEqual([`${DEFAULT_SCENARIO}/expected/${PLANT.file}`]);
    expect(changed(true).length).toBeGreaterThan(5);
    const storedBase = withHashPlaceholders(base);
    for (const name of names) {
      const delta = makeDelta(storedBase, withHashPlaceholders(rendered.get(name)!), scenarioDelta(name));
      expect(withHashes(rebuildTree(storedBase, delta, name), name), name).toEqual(rendered.get(name));
    }
  }, 120_000);
});
