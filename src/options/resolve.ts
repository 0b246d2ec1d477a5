/**
 * resolveOptions: the one place where flags, prompt answers, saved answers and defaults meet (the fold
 * in fold.ts, called once per run), and the two checks an interactive run makes before it asks.
 */
import { OPTION_KEYS, type OptionKey, type Options, type ResolvedOptions } from './table.js';
import { describeSource, foldOptions, judge, type FoldInput, type OptionProblem, type RawValues } from './fold.js';
import { validateCombination } from './combination.js';

export { checkValue, describeSource, type OptionProblem, type RawValues, type Source } from './fold.js';

/** A user error: bad or missing options. Printed without a stack, exit code 1. */
export class InvalidOptionsError extends Error {
  constructor(readonly problems: readonly OptionProblem[]) {
    super(problems.map((p) => p.message).join('\n'));
    this.name = 'InvalidOptionsError';
  }
}

export type ResolveInput = FoldInput;

export interface Resolution extends ResolvedOptions {
  readonly warnings: readonly string[];
}

/** Resolve every option, or throw InvalidOptionsError listing every problem. */
export function resolveOptions(input: ResolveInput): Resolution {
  const fold = foldOptions(input);
  if (fold.problems.length) throw new InvalidOptionsError(fold.problems);
  return { options: fold.values as unknown as Options, placeholders: fold.placeholders, warnings: fold.warnings };
}

/** Check the given flags on their own (interactive runs, before prompting); throws with every problem. */
export function checkFlags(flags: RawValues): void {
  const judged = judge(flags);
  const problems: OptionProblem[] = [...judged.errors].map(([key, error]) => ({
    key,
    message: `${describeSource(key, 'flag')}: ${error}`,
  }));
  for (const f of validateCombination(judged.values, new Set(judged.errors.keys())).errors) {
    problems.push({
      key: f.key,
      message: f.key === 'combination' ? f.message : `${describeSource(f.key, 'flag')}: ${f.message}`,
    });
  }
  if (problems.length) throw new InvalidOptionsError(problems);
}

/**
 * Keys an interactive run must ask: not given by a flag, and not validly saved. On a first run that is
 * everything without a flag; on a re-run only new options and saved values that are no longer valid.
 */
export function keysToPrompt(flags: RawValues, saved: RawValues | undefined): OptionKey[] {
  const known: RawValues = {};
  for (const key of OPTION_KEYS) known[key] = flags[key] !== undefined ? flags[key] : saved?.[key];
  const judged = judge(known);
  // A value another one makes invalid is asked again too (memory for the cpu); the canary verdict is shown at its questions.
  const invalid = new Set<string>(judged.errors.keys());
  for (const f of validateCombination(judged.values, invalid).errors) invalid.add(f.key);
  return OPTION_KEYS.filter((key) => flags[key] === undefined && (known[key] === undefined || invalid.has(key)));
}
