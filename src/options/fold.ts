/**
 * The one fold over the option table: flags > prompt answers > saved answers > defaults, each value
 * judged by its own rule, then every value together by validateCombination, every problem collected
 * so the user sees all of them at once. A run folds once (resolve.ts); the checks before prompting
 * share its per-value step (`judge`) and its defaults (`withDefaults`).
 */
import { OPTION_KEYS, OPTION_TABLE, type AccountSpecificKey, type OptionKey } from './table.js';
import { parseRaw, type DefaultFacts, type OptionSpec } from './spec.js';
import { validateCombination, type Finding, type Values } from './combination.js';
import { missingIdsWarning } from './github-ids.js';

/** Where a value came from (for error messages). */
export type Source = 'flag' | 'answer' | 'saved' | 'default';

/** One problem with the options, phrased for the user. */
export interface OptionProblem {
  readonly key: OptionKey | 'combination';
  readonly message: string;
}

/** Raw values per option from one source (strings from flags, JSON values from saved answers). */
export type RawValues = Partial<Record<OptionKey, unknown>>;

export interface FoldInput {
  readonly flags: RawValues;
  readonly answers?: RawValues;
  readonly saved?: RawValues;
  /** File the saved answers came from, for messages. */
  readonly savedFile?: string;
  readonly facts: DefaultFacts;
  /** `yes`: account-specific gaps become placeholders; `strict`: they are errors. */
  readonly mode: 'yes' | 'strict';
}

/** What the fold found: every value it could resolve, and everything wrong. */
export interface Fold {
  readonly values: Values;
  readonly problems: readonly OptionProblem[];
  readonly placeholders: readonly AccountSpecificKey[];
  readonly warnings: readonly string[];
}

const spec = (key: OptionKey): OptionSpec<unknown> => OPTION_TABLE[key] as OptionSpec<unknown>;

/** The label naming where a value came from, e.g. `--region` or `region in .yo-rc.json`. */
export function describeSource(key: OptionKey, source: Source, savedFile = '.yo-rc.json', value?: unknown): string {
  const flag = `--${OPTION_TABLE[key].flag}`;
  if (source === 'saved') return `${key} in ${savedFile} (flag ${flag})`;
  if (source === 'answer') return `${flag} (answer)`;
  if (source === 'default') return `${flag} (default ${JSON.stringify(value)}; pass ${flag} to choose another)`;
  return flag;
}

/** Parse and check one value against its own rule (cross-field rules: validateCombination). */
export function checkValue(key: OptionKey, raw: unknown): { value?: unknown; error?: string } {
  const s = spec(key);
  // null is how "switched off" is saved (e.g. no Slack); for any other option it is a wrong type.
  if (raw === null && s.negatedFlag && s.negatedValue === null) return { value: null };
  const parsed = parseRaw(s.kind, raw, s.choices);
  if (!parsed.ok) return { error: parsed.message };
  const error = s.validate(parsed.value);
  return error ? { error } : { value: parsed.value };
}

/** Every given raw value against its own rule, in table order. */
export function judge(raws: RawValues): { readonly values: Values; readonly errors: ReadonlyMap<OptionKey, string> } {
  const values: Values = {};
  const errors = new Map<OptionKey, string>();
  for (const key of OPTION_KEYS) {
    if (raws[key] === undefined) continue;
    const { value, error } = checkValue(key, raws[key]);
    if (error === undefined) values[key] = value;
    else errors.set(key, error);
  }
  return { values, errors };
}

/** `values` with the default of every option it lacks (except `skip`), in table order: a default may read the values before it. */
export function withDefaults(
  values: Values,
  facts: DefaultFacts,
  skip: (key: OptionKey) => boolean = () => false,
): Values {
  const out: Values = { ...values };
  for (const key of OPTION_KEYS)
    if (out[key] === undefined && !skip(key)) out[key] = spec(key).defaultValue(facts, out);
  return out;
}

/** The raw value with the highest precedence for every option that has one. */
function pick(input: FoldInput): { raws: RawValues; sources: Partial<Record<OptionKey, Source>> } {
  const raws: RawValues = {};
  const sources: Partial<Record<OptionKey, Source>> = {};
  const order: ReadonlyArray<[Source, RawValues | undefined]> = [
    ['flag', input.flags],
    ['answer', input.answers],
    ['saved', input.saved],
  ];
  for (const key of OPTION_KEYS) {
    const found = order.find(([, from]) => from?.[key] !== undefined);
    if (!found) continue;
    raws[key] = found[1]![key];
    sources[key] = found[0];
  }
  return { raws, sources };
}

function unknownSaved(input: FoldInput): OptionProblem[] {
  return Object.keys(input.saved ?? {})
    .filter((key) => !(OPTION_KEYS as string[]).includes(key))
    .map((key) => ({
      key: 'combination' as const,
      message: `${JSON.stringify(key)} in ${input.savedFile ?? '.yo-rc.json'} is not an option of this generator (written by a newer version, or edited by hand): remove it`,
    }));
}

/** Fold every source into values; never throws (resolveOptions does). */
export function foldOptions(input: FoldInput): Fold {
  const problems = unknownSaved(input);
  const { raws, sources } = pick(input);
  const judged = judge(raws);
  const values: Values = { ...judged.values };
  const placeholders: AccountSpecificKey[] = [];
  const failed = new Set<string>(judged.errors.keys());
  const label = (key: OptionKey): string =>
    describeSource(key, sources[key] ?? 'default', input.savedFile, values[key]);
  for (const key of OPTION_KEYS) {
    const s = spec(key);
    const error = judged.errors.get(key);
    if (error !== undefined) problems.push({ key, message: `${label(key)}: ${error}` });
    if (raws[key] !== undefined) continue;
    const fallback = s.defaultValue(input.facts, values);
    // A default is judged like any value (a folder name AWS rejects as a service name).
    const defaultError = fallback === undefined ? undefined : s.validate(fallback);
    if (fallback !== undefined) {
      values[key] = fallback;
      sources[key] = 'default';
    }
    if (defaultError !== undefined) {
      failed.add(key);
      problems.push({ key, message: `${label(key)}: ${defaultError}` });
    } else if (fallback === undefined && (input.mode === 'yes' || s.optional) && s.accountSpecific)
      placeholders.push(key as AccountSpecificKey);
    else if (fallback === undefined) problems.push({ key, message: `--${s.flag}: missing (${s.help})` });
  }
  const verdict = validateCombination(values, failed);
  const phrase = (f: Finding): OptionProblem => ({
    key: f.key,
    message: f.key === 'combination' ? f.message : `${label(f.key)}: ${f.message}`,
  });
  problems.push(...verdict.errors.map(phrase));
  const idsWarning = missingIdsWarning(values.githubRepo, values.githubOwnerId, values.githubRepoId);
  const warnings = [...(idsWarning ? [idsWarning] : []), ...verdict.warnings.map((f) => f.message)];
  return { values, problems, placeholders, warnings };
}
