/**
 * Test support for the regeneration fuzz: random valid option changes (from the option table), random
 * user edits that are tracked line by line, whole-tree snapshots, and the bin run as a real process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCli } from '../../src/cli/args.js';
import { resolveOptions, type RawValues } from '../../src/options/resolve.js';
import { OPTION_KEYS } from '../../src/options/table.js';
import { STATE_KEY } from '../../src/regen/state.js';
import { splitLines } from '../../src/regen/text.js';
import { listFiles } from './cli.js';
import { numericCandidates, specOf } from './fuzz-input-cases.js';
import { pick } from './regen-random.js';

export { resolveKeepingBoth } from './regen-random.js';

type Rnd = () => number;

/** The package's bin in this checkout (whatever the build layout, package.json names it). */
export const ROOT = new URL('../../', import.meta.url).pathname;
export function binOf(root: string): string {
  const bin = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin;
  return join(root, Object.values(bin)[0]!);
}

/** Every file of a tree with its bytes (base64), the lock/journal/temp files included: they must be gone. */
export function treeBytes(dir: string): Map<string, string> {
  return new Map(existsSync(dir) ? listFiles(dir).map((f) => [f, readFileSync(join(dir, f)).toString('base64')]) : []);
}

/** Names of the differing files of two trees. */
export function treeDiff(a: Map<string, string>, b: Map<string, string>): string[] {
  return [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k)).sort();
}

export function savedAnswers(dir: string): RawValues | undefined {
  const file = join(dir, '.yo-rc.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8'))[STATE_KEY].answers as RawValues) : undefined;
}

/** One random option value as flags, from the table: a choice, a numeric candidate, a boolean or its negation. */
function randomFlag(rnd: Rnd): string[] {
  const candidates = OPTION_KEYS.filter((k) => !specOf(k).accountSpecific);
  const key = candidates[pick(rnd, candidates.length)]!;
  const spec = specOf(key);
  if (spec.choices?.length) return [`--${spec.flag}`, spec.choices[pick(rnd, spec.choices.length)]!];
  if (spec.kind === 'integer' || spec.kind === 'number') {
    const n = numericCandidates(key);
    return [`--${spec.flag}`, String(n[pick(rnd, n.length)])];
  }
  if (spec.kind === 'boolean') return rnd() < 0.5 ? [`--${spec.flag}`] : [`--${spec.negatedFlag ?? spec.flag}`];
  if (spec.negatedFlag && rnd() < 0.5) return [`--${spec.negatedFlag}`];
  return [];
}

/** 1-3 random option changes that the option table accepts on top of `saved` (retries until valid). */
export function randomChanges(rnd: Rnd, saved: RawValues | undefined, base: readonly string[]): string[] {
  for (;;) {
    const flags: string[] = [];
    const used = new Set<string>();
    for (let i = 0, n = 1 + pick(rnd, 3); i < n; i++) {
      const f = randomFlag(rnd);
      const name = f[0]?.replace(/^--(no-)?/, '');
      if (f.length && !used.has(name!)) {
        used.add(name!);
        flags.push(...f);
      }
    }
    try {
      const parsed = parseCli([...base, ...flags]);
      resolveOptions({ flags: parsed.flags, saved, facts: { folderName: 'out' }, mode: 'yes' });
      return flags;
    } catch {
      // not a valid combination (e.g. memory for cpu): draw again
    }
  }
}

/** Comment styles by file type, so an added line is a plausible user edit that keeps the file parseable. */
export function commentFor(path: string): string | undefined {
  if (/\.(tf|tfvars|ya?ml|sh)$|Dockerfile$|dockerignore$/.test(path)) return '#';
  if (/\.(ts|js|mjs|cjs)$/.test(path)) return '//';
  if (/\.md$/.test(path)) return '';
  return undefined; // JSON and others: no comment syntax
}

/** Insert 1-3 tagged user lines into `text` at random places; returns the text and the lines added. */
export function userEdit(rnd: Rnd, text: string, prefix: string, tag: string): { text: string; added: string[] } {
  const lines = splitLines(text);
  const added: string[] = [];
  for (let i = 0, n = 1 + pick(rnd, 3); i < n; i++) {
    const line = `${prefix}${prefix ? ' ' : ''}user edit ${tag}.${i}`;
    lines.splice(pick(rnd, lines.length + 1), 0, `${line}\n`);
    added.push(line);
  }
  return { text: lines.join(''), added };
}

/** Result of a real process run of the bin. */
export interface ProcResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Spawn the bin; `started` lets the caller kill it. */
export function runBin(
  bin: string,
  argv: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): { child: ChildProcess; done: Promise<ProcResult> } {
  // --skip-install first: the dependency install of a new service is pack.test.ts's, and `--` may follow.
  const child = spawn(process.execPath, [bin, '--skip-install', ...argv], {
    cwd,
    env: { ...process.env, CI: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const done = new Promise<ProcResult>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}
