/** Test support for the regeneration tests: a seeded PRNG, synthetic "generated" texts, conflict resolution. */
import { splitLines } from '../../src/regen/text.js';

/** mulberry32: a tiny seeded PRNG returning floats in [0, 1), so failures reproduce from the seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [0, n). */
export function pick(rnd: () => number, n: number): number {
  return Math.floor(rnd() * n);
}

// Few distinct lines on purpose: repeated lines ("}", blank) are what make line merges ambiguous.
const VOCABULARY = [
  '}',
  '',
  'resource "aws_x" "y" {',
  '  name = var.name',
  '  enabled = true',
  '# comment',
  'tags = local.tags',
  '  count = 1',
  ')',
  '  - run: npm ci',
];

/** A multi-line text of `lines` lines from a small vocabulary (many repeats), ending with a newline. */
export function randomText(rnd: () => number, lines: number): string {
  let out = '';
  for (let i = 0; i < lines; i++) out += `${VOCABULARY[pick(rnd, VOCABULARY.length)]}\n`;
  return out;
}

/** The user resolves conflicts by keeping both sides (markers and base section dropped). */
export function resolveKeepingBoth(text: string): string {
  let inBase = false;
  return splitLines(text)
    .filter((l) => {
      if (l.startsWith('||||||| base') || l.startsWith('=======')) {
        inBase = l.startsWith('|');
        return false;
      }
      if (l.startsWith('<<<<<<< yours') || l.startsWith('>>>>>>> generated')) return false;
      return !inBase;
    })
    .join('');
}
