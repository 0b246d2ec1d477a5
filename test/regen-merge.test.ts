import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasConflictMarkers, threeWayMerge, twoWayConflict } from '../src/regen/merge.js';
import { unifiedDiff } from '../src/regen/unified-diff.js';
import { isCrlf, splitLines } from '../src/regen/text.js';
import { mulberry32, randomText } from './support/regen-random.js';

const BASE = ['a = 1', 'b = 2', 'c = 3', 'd = 4', 'e = 5', 'f = 6', 'g = 7', 'h = 8'].map((l) => `${l}\n`).join('');

describe('threeWayMerge (node-diff3)', () => {
  it('keeps a user edit in a region the generator did not touch', () => {
    const disk = BASE.replace('b = 2', 'b = 2 # mine').replace('c = 3\n', 'c = 3\nuser = true\n');
    const generated = BASE.replace('g = 7', 'g = 70');
    const r = threeWayMerge(disk, BASE, generated);
    expect(r.conflicts).toBe(0);
    expect(r.text).toBe(disk.replace('g = 7', 'g = 70'));
  });

  it('writes git-style markers when both change the same line', () => {
    const disk = BASE.replace('d = 4', 'd = 40');
    const generated = BASE.replace('d = 4', 'd = 400');
    const r = threeWayMerge(disk, BASE, generated);
    expect(r.conflicts).toBe(1);
    expect(r.text).toBe(
      'a = 1\nb = 2\nc = 3\n<<<<<<< yours (on disk)\nd = 40\n||||||| base\nd = 4\n=======\nd = 400\n>>>>>>> generated\ne = 5\nf = 6\ng = 7\nh = 8\n',
    );
    expect(hasConflictMarkers(r.text)).toBe(true);
  });

  it('treats the same change on both sides as no conflict', () => {
    const both = BASE.replace('e = 5', 'e = 50');
    expect(threeWayMerge(both, BASE, both)).toEqual({ text: both, conflicts: 0 });
  });

  it('keeps markers on their own lines when a side lacks the final newline', () => {
    const base = 'x\ny\n';
    const r = threeWayMerge('x\nmine', base, 'x\ntheirs\n');
    expect(r.conflicts).toBe(1);
    expect(r.text).toBe('x\n<<<<<<< yours (on disk)\nmine\n||||||| base\ny\n=======\ntheirs\n>>>>>>> generated\n');
  });

  it('merges a CRLF copy of the file without a conflict on every line', () => {
    const disk = BASE.replace('a = 1', 'a = 1 # mine').replace(/\n/g, '\r\n');
    const generated = BASE.replace('h = 8', 'h = 80');
    const r = threeWayMerge(disk, BASE, generated);
    expect(r.conflicts).toBe(0);
    expect(isCrlf(r.text)).toBe(true);
    expect(r.text).toBe(disk.replace('h = 8', 'h = 80'));
  });
});

describe('twoWayConflict (no verified base)', () => {
  it('keeps common lines and turns every difference into a block without a base section', () => {
    const r = twoWayConflict('a\nb\nc\nd\n', 'a\nB\nc\nd\ne\n');
    expect(r.conflicts).toBe(2);
    expect(r.text).toBe(
      'a\n<<<<<<< yours (on disk)\nb\n=======\nB\n>>>>>>> generated\nc\nd\n<<<<<<< yours (on disk)\n=======\ne\n>>>>>>> generated\n',
    );
  });
  it('has no conflict for equal texts', () => {
    expect(twoWayConflict('a\n', 'a\n')).toEqual({ text: 'a\n', conflicts: 0 });
  });
});

describe('hasConflictMarkers', () => {
  it.each([
    ['<<<<<<< yours (on disk)\na\n=======\nb\n>>>>>>> generated\n', true],
    ['<<<<<<< yours (on disk)\r\na\r\n=======\r\nb\r\n>>>>>>> generated\r\n', true],
    ['<<<<<<< HEAD\na\n=======\nb\n>>>>>>> main\n', false],
    ['a\n# <<<<<<< yours (on disk)\n', false],
  ])('%j → %s', (text, expected) => expect(hasConflictMarkers(text)).toBe(expected));
});

describe('unifiedDiff', () => {
  it('prints a git-style hunk with three lines of context', () => {
    const after = BASE.replace('e = 5', 'e = 50');
    expect(unifiedDiff('t.tf', BASE, after)).toBe(
      '--- a/t.tf\n+++ b/t.tf\n@@ -2,7 +2,7 @@\n b = 2\n c = 3\n d = 4\n-e = 5\n+e = 50\n f = 6\n g = 7\n h = 8\n',
    );
  });
  it('uses /dev/null for a created or deleted file and is empty for equal texts', () => {
    expect(unifiedDiff('n', undefined, 'x\n')).toBe('--- /dev/null\n+++ b/n\n@@ -0,0 +1,1 @@\n+x\n');
    expect(unifiedDiff('n', 'x\n', undefined)).toBe('--- a/n\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-x\n');
    expect(unifiedDiff('n', 'x\n', 'x\n')).toBe('');
  });

  it('round-trips through patch(1) on random edits (seeded)', () => {
    const seed = 20240611;
    const rnd = mulberry32(seed);
    const dir = mkdtempSync(join(tmpdir(), 'ccp-diff-'));
    for (let i = 0; i < 40; i++) {
      const before = randomText(rnd, 5 + Math.floor(rnd() * 40));
      const lines = splitLines(before);
      for (let k = 0; k < 1 + Math.floor(rnd() * 5); k++) {
        const at = Math.floor(rnd() * (lines.length + 1));
        if (rnd() < 0.5) lines.splice(at, 1);
        else lines.splice(at, 0, `inserted ${i}.${k}\n`);
      }
      if (rnd() < 0.2 && lines.length > 0) lines[lines.length - 1] = lines.at(-1)!.replace(/\n$/, '');
      const after = lines.join('');
      const diff = unifiedDiff('f', before, after);
      if (diff === '') {
        expect(after, `seed ${seed}, case ${i}`).toBe(before);
        continue;
      }
      writeFileSync(join(dir, 'f'), before);
      writeFileSync(join(dir, 'p'), diff);
      execFileSync('patch', ['-s', '-p1', '-i', 'p'], { cwd: dir, stdio: 'pipe' });
      expect(readFileSync(join(dir, 'f'), 'utf8'), `seed ${seed}, case ${i}`).toBe(after);
    }
  });
});
