/**
 * The steps both doors run, in order: the `npm create` bin (src/cli/run.ts) and the Yeoman generator
 * (generators/app). Neither door holds logic of its own; each calls these and does its own I/O.
 *
 *   loadTarget → targetNotices → questionsToAsk (interactive only) → resolveRun → generate → reportRun
 */
import { existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { newRepoFacts, type ProjectFacts } from './context/facts.js';
import { detectProject, describeFacts, toDefaultFacts } from './detect/index.js';
import { readGithubRepo } from './detect/git.js';
import { parseManifest } from './detect/manifest.js';
import { readText } from './detect/read.js';
import { InvalidOptionsError, keysToPrompt, resolveOptions, type RawValues, type Resolution } from './options/resolve.js';
import type { DefaultFacts } from './options/spec.js';
import { readSavedState, type SavedState } from './regen/state.js';
import { formatOutcomes } from './regen/apply.js';
import { buildQuestions, type Question } from './cli/questions.js';
import { nextSteps } from './cli/summary.js';
import type { GenerateResult } from './generate.js';
import { UserError } from './errors.js';

export { generate, type GenerateResult } from './generate.js';

/** Exit codes (the CLI's; the Yeoman door reports the same outcome through its result). */
export const EXIT = { ok: 0, invalid: 1, conflicts: 2 } as const;

/** What is known about the target folder before any question: saved state and detected facts. */
export interface Target {
  readonly dir: string;
  readonly saved?: SavedState;
  /** `.yo-rc.json` as the user names it (relative to where they ran the command), for messages. */
  readonly savedFile: string;
  readonly facts: ProjectFacts;
  readonly defaultFacts: DefaultFacts;
}

function readSaved(dir: string): SavedState | undefined {
  try {
    return readSavedState(dir);
  } catch (err) {
    throw new UserError(`${(err as Error).message} Fix or delete it, then re-run. Nothing was written.`, { cause: err });
  }
}

/**
 * Facts of the target. A service this generator created itself (it wrote package.json as a seed) stays
 * in new-repo mode on re-runs, although it now looks like an existing Express service.
 */
function projectFacts(dir: string, saved: SavedState | undefined): ProjectFacts {
  if (!existsSync(dir)) return newRepoFacts(basename(dir));
  if (saved?.manifest['package.json']?.kind !== 'seed') return detectProject(dir);
  // Our own service: its code needs no detection (nor the parser), only the package name.
  const text = readText(dir, 'package.json');
  let packageName: string | undefined;
  try {
    packageName = text === undefined ? undefined : parseManifest(text).name;
  } catch (err) {
    throw new UserError(`${(err as Error).message}. Fix package.json, then re-run. Nothing was written.`, { cause: err });
  }
  return { ...newRepoFacts(basename(dir), readGithubRepo(dir)), packageName };
}

/** Read the saved state and detect the project in `dir` (absolute). Throws user errors only for bad input. */
export function loadTarget(dir: string, savedFile: string, targetLabel = dir): Target {
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    throw new InvalidOptionsError([{ key: 'combination', message: `target ${targetLabel} exists and is not a directory` }]);
  }
  const saved = readSaved(dir);
  const facts = projectFacts(dir, saved);
  return { dir, saved, savedFile, facts, defaultFacts: toDefaultFacts(facts) };
}

/** What to tell the user about the target before asking: detected facts (info) and warnings. */
export function targetNotices(target: Target, flags: RawValues): { readonly info: string[]; readonly warnings: string[] } {
  if (target.facts.mode !== 'adopt') return { info: [], warnings: [] };
  const warnings = flags.language === undefined ? []
    : [`--language is ignored in an existing service: added files follow its ${target.facts.typescript ? 'TypeScript' : 'JavaScript'}.`];
  return { info: describeFacts(target.facts), warnings };
}

/** The questions an interactive run asks: options without a flag and without a valid saved answer. */
export function questionsToAsk(target: Target, flags: RawValues): Question[] {
  const savedAnswers = target.saved?.answers as RawValues | undefined;
  const keys = keysToPrompt(flags, savedAnswers);
  return keys.length ? buildQuestions(keys, { ...savedAnswers, ...flags }, target.defaultFacts) : [];
}

/** Resolve every option once: flags > answers > saved answers > defaults. Throws InvalidOptionsError with every problem. */
export function resolveRun(target: Target, flags: RawValues, answers: RawValues, mode: 'yes' | 'strict'): Resolution {
  return resolveOptions({
    flags, answers, saved: target.saved?.answers as RawValues | undefined, savedFile: target.savedFile, facts: target.defaultFacts, mode,
  });
}

/** The end of a run for the user: what to print, in order, on which stream, and the exit code. */
export interface RunReport {
  readonly code: number;
  readonly output: ReadonlyArray<{ readonly stream: 'stdout' | 'stderr'; readonly text: string }>;
}

/** Report a finished run: warnings, what happened to every file, then conflicts or the next steps. */
export function reportRun(resolution: Resolution, result: GenerateResult, opts: { dryRun: boolean; targetLabel: string }): RunReport {
  const output: Array<RunReport['output'][number]> = resolution.warnings.map((w) => ({ stream: 'stderr', text: `warning: ${w}\n` }));
  output.push({ stream: 'stdout', text: `${formatOutcomes(result.outcomes, { dryRun: opts.dryRun }).trimEnd()}\n` });
  const conflicts = result.conflicts.length;
  if (opts.dryRun) return { code: conflicts ? EXIT.conflicts : EXIT.ok, output };
  if (conflicts) {
    output.push({ stream: 'stderr', text: `create-canary-pipeline: ${conflicts} file(s) with merge conflicts (listed above).\n` });
    return { code: EXIT.conflicts, output };
  }
  const label = opts.targetLabel === '.' ? '' : `${opts.targetLabel.replace(/\/$/, '')}/`;
  output.push({ stream: 'stdout', text: `\nNext steps:\n${nextSteps(result.ctx, resolution.placeholders, label).join('\n')}\n` });
  return { code: EXIT.ok, output };
}
