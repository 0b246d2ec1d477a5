/**
 * Prompt questions derived from the option table (inquirer question objects, as Yeoman's prompt takes
 * them): which apply (`when`), which wait behind "Customize advanced settings?" (`advanced`), one line
 * per enum choice, Enter to leave an account value for later, and the cross-field verdicts at the
 * question they concern.
 */
import { OPTION_TABLE, type OptionKey } from '../options/table.js';
import type { DefaultFacts, OptionSpec } from '../options/spec.js';
import { checkValue, judge, withDefaults, type RawValues } from '../options/fold.js';
import { COMBINATION_KEYS, validateCombination, type Combination } from '../options/combination.js';
import { PAIRS, type Pair, type PairName } from './paired.js';

/** The subset of an inquirer question this generator uses. */
export interface Question {
  readonly type: 'input' | 'select' | 'checkbox' | 'confirm';
  /** The option it sets, a pair of options asked as one (see `sets`), or one of the run's own confirms (never saved). */
  readonly name: OptionKey | PairName | RunConfirm;
  /** A paired question's options: its filtered answer holds a raw value for each (src/cli/paired.ts). */
  readonly sets?: readonly OptionKey[];
  /** What was understood from the filtered answer, said right after it (paired questions). */
  readonly echo?: (answer: unknown) => string | undefined;
  readonly message: string;
  readonly default?: unknown;
  readonly choices?: readonly Choice[];
  readonly validate?: (input: unknown, answers?: Record<string, unknown>) => true | string;
  readonly filter?: (input: unknown) => unknown;
  /** Whether the question applies, given the answers so far (inquirer's `when`). Absent: always. */
  readonly when?: (answers: Record<string, unknown>) => boolean;
  /** Asked only after "Customize advanced settings?" (its default fits most services). */
  readonly advanced?: boolean;
  /** Verdicts that do not refuse the answer (warnings), shown right after it. */
  readonly notes?: (answers: Record<string, unknown>) => readonly string[];
  /** Choices found for this text question (e.g. in the AWS account), offered before typing; never required. */
  readonly offer?: (answers: Record<string, unknown>) => Promise<Offer>;
  /** An empty answer leaves the value for later (a TODO in terraform.tfvars). */
  readonly skippable?: boolean;
}

/** One choice of a select or checkbox question. */
export interface Choice {
  readonly name: string;
  readonly value: string;
  readonly description?: string;
  readonly checked?: boolean;
}

/** What a look-up offers for a question: choices (one, or several for a list), or why there are none. */
export type Offer =
  | { readonly multiple: boolean; readonly choices: readonly Choice[] }
  | { readonly reason: string }
  | undefined;

/** Finds the choices for an option (or a pair), given the values known so far; undefined when it has none to look up. */
export type OfferSource = (
  key: OptionKey | PairName,
  values: Readonly<Record<string, unknown>>,
) => Promise<Offer> | undefined;

/** The run's own yes/no questions: open the advanced settings; write the files. */
export type RunConfirm = 'customizeAdvanced' | 'writeFiles';

/** What an Enter on an account value without a default means. */
export const SKIP_HINT = 'Enter to skip: a TODO in terraform/terraform.tfvars';

function displayDefault(value: unknown): unknown {
  if (Array.isArray(value)) return value.join(',');
  if (value === null) return '';
  return typeof value === 'number' ? String(value) : value;
}

/**
 * "none" answered to an option with a negated flag (e.g. Slack) means "off"; empty for an optional or a
 * skippable account value means "not known yet" (the value becomes a TODO).
 */
function normaliseAnswer(spec: OptionSpec<unknown>, input: unknown, skippable: boolean): unknown {
  const blank = typeof input === 'string' ? input.trim().toLowerCase() : undefined;
  if ((spec.optional || skippable) && blank === '') return undefined;
  return spec.negatedFlag && blank !== undefined && ['', 'none'].includes(blank) ? null : input;
}

/** The cross-field verdicts shown at `key`'s question (validateCombination's rules say where). */
function combinationAt(key: OptionKey, v: Record<string, unknown>): { errors: string[]; warnings: string[] } {
  const verdict: Combination = validateCombination(v);
  const at = (fs: Combination['errors']): string[] => fs.filter((f) => f.askedAt.includes(key)).map((f) => f.message);
  return { errors: at(verdict.errors), warnings: at(verdict.warnings) };
}

/** Where each question's rules look up the other values: the known ones, then the answers so far, else defaults. */
function valuesFor(
  known: RawValues,
  facts: DefaultFacts,
): (answers?: Record<string, unknown>) => Record<string, unknown> {
  const resolved = judge(known).values;
  return (answers) => {
    const merged = { ...resolved, ...judge((answers ?? {}) as RawValues).values };
    // Values not chosen yet count with their defaults, so a verdict is shown at the first question it concerns.
    return withDefaults(merged, facts, (k) => answers !== undefined && k in answers);
  };
}

/** Options for buildQuestions. */
export interface BuildOptions {
  /** Keys whose current value (flag or saved) is the question's default (`--ask`). */
  readonly askAgain?: boolean;
  /** Where choices for text questions come from (the AWS look-ups), if anywhere. */
  readonly offers?: OfferSource;
}

function question(
  key: OptionKey,
  known: RawValues,
  facts: DefaultFacts,
  others: ReturnType<typeof valuesFor>,
  opts: BuildOptions,
): Question {
  const spec = OPTION_TABLE[key] as OptionSpec<unknown>;
  const current = others(undefined);
  const savedValid = known[key] !== undefined && checkValue(key, known[key]).error === undefined;
  const def = displayDefault(
    savedValid && opts.askAgain ? checkValue(key, known[key]).value : spec.defaultValue(facts, current),
  );
  const skippable = spec.accountSpecific === true && (def === undefined || def === '');
  // Asked even when advanced: a value the user has (a saved one no longer valid, or any under --ask), or one without a default.
  const advanced = spec.advanced === true && known[key] === undefined && (def !== undefined || spec.optional === true);
  const when = spec.when ? (answers: Record<string, unknown>) => spec.when!(facts, others(answers)) : undefined;
  const notes = COMBINATION_KEYS.includes(key)
    ? (answers: Record<string, unknown>) => combinationAt(key, others(answers)).warnings
    : undefined;
  const base = { name: key, when, advanced, notes };
  if (spec.kind === 'boolean') return { ...base, type: 'confirm', message: spec.message, default: def ?? true };
  if (spec.kind === 'enum') {
    const choices = (spec.choices ?? []).map((c) => ({ name: c, value: c, description: spec.choiceHelp?.[c] }));
    return { ...base, type: 'select', message: spec.message, default: def, choices };
  }
  const validate = (input: unknown, answers?: Record<string, unknown>): true | string => {
    const values = others(answers);
    const answer = normaliseAnswer(spec, input, skippable);
    if (answer === undefined && (spec.optional || skippable)) return true;
    const { value, error } = checkValue(key, answer);
    return error ?? combinationAt(key, { ...values, [key]: value }).errors[0] ?? true;
  };
  const message = skippable ? `${spec.message} (${SKIP_HINT})` : spec.message;
  const source = opts.offers;
  const offer = source
    ? async (answers: Record<string, unknown>): Promise<Offer> => source(key, others(answers))
    : undefined;
  return {
    ...base,
    type: 'input',
    message,
    default: def,
    validate,
    filter: (i) => normaliseAnswer(spec, i, skippable),
    offer,
    skippable,
  };
}

/** A paired answer (text, or the picked choices) as the two options' raw values; undefined when skipped. */
function splitPair(pair: Pair, input: unknown, skippable: boolean): ReturnType<Pair['parse']> | undefined {
  const text = Array.isArray(input) ? input.join(' ') : typeof input === 'string' ? input : '';
  return skippable && text.trim() === '' ? undefined : pair.parse(text);
}

/** One question for the two options of `pair`, in place of `first` and `second` (both essential). */
function pairQuestion(
  pair: Pair,
  first: Question,
  second: Question,
  others: ReturnType<typeof valuesFor>,
  opts: BuildOptions,
): Question {
  const [ka, kb] = pair.keys;
  const skippable = first.skippable === true;
  const validate = (input: unknown, answers?: Record<string, unknown>): true | string => {
    const split = splitPair(pair, input, skippable);
    if (!split) return true;
    if (!split.ok) return split.message;
    const a = checkValue(ka, split.raw[0]);
    const b = checkValue(kb, split.raw[1]);
    if (a.error !== undefined) return `${pair.labels[0]}: ${a.error}`;
    if (b.error !== undefined) return `${pair.labels[1]}: ${b.error}`;
    // The rules across options shown at either part (the subnet overlap, the canary rule), named by the part they head.
    const found = validateCombination({ ...others(answers), [ka]: a.value, [kb]: b.value }).errors.find(
      (f) => f.askedAt.includes(ka) || f.askedAt.includes(kb),
    );
    if (found === undefined) return true;
    const part = found.key === ka ? pair.labels[0] : found.key === kb ? pair.labels[1] : undefined;
    return part === undefined ? found.message : `${part}: ${found.message}`;
  };
  const filter = (input: unknown): unknown => {
    const split = splitPair(pair, input, skippable);
    return split?.ok ? { [ka]: split.raw[0], [kb]: split.raw[1] } : { [ka]: undefined, [kb]: undefined };
  };
  const echo = (answer: unknown): string | undefined => {
    const v = answer as Record<string, unknown>;
    return v[ka] === undefined ? undefined : pair.understood(v[ka], v[kb]);
  };
  const source = opts.offers;
  const offer = source
    ? async (answers: Record<string, unknown>): Promise<Offer> => source(pair.name, others(answers))
    : undefined;
  const message = skippable ? `${pair.message} (${SKIP_HINT})` : pair.message;
  return {
    type: 'input',
    name: pair.name,
    sets: pair.keys,
    message,
    default: pair.show(first.default, second.default),
    when: first.when,
    notes: first.notes ?? second.notes,
    validate,
    filter,
    echo,
    offer,
    skippable,
  };
}

/** The questions with each pair whose two options are both asked before the gate merged into one. */
function mergePairs(
  questions: readonly Question[],
  others: ReturnType<typeof valuesFor>,
  opts: BuildOptions,
): Question[] {
  let out = [...questions];
  for (const pair of PAIRS) {
    const [first, second] = pair.keys.map((k) => out.find((q) => q.name === k && !q.advanced));
    if (!first || !second) continue;
    out = out
      .filter((q) => q !== second)
      .map((q) => (q === first ? pairQuestion(pair, first, second, others, opts) : q));
  }
  return out;
}

/**
 * Questions for `keys`, essentials first, then the advanced ones (each group in table order). `known`
 * holds values already fixed (flags, saved answers) so dependent rules (certificate region, memory for
 * cpu, canary range per engine) judge answers correctly.
 */
export function buildQuestions(
  keys: readonly OptionKey[],
  known: RawValues,
  facts: DefaultFacts,
  opts: BuildOptions = {},
): Question[] {
  const others = valuesFor(known, facts);
  const all = mergePairs(
    keys.map((key) => question(key, known, facts, others, opts)),
    others,
    opts,
  );
  return [...all.filter((q) => !q.advanced), ...all.filter((q) => q.advanced)];
}
