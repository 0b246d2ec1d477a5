/**
 * resolveOptions: the one place where flags, prompt answers, saved answers and defaults meet.
 * Precedence: flags > prompt answers > saved answers > defaults. Every source is validated by the
 * option table; every problem is collected so the user sees all of them at once.
 */
import { OPTION_KEYS, OPTION_TABLE, type AccountSpecificKey, type OptionKey, type Options, type ResolvedOptions } from './table.js';
import { parseRaw, type DefaultFacts, type OptionSpec } from './spec.js';
import { validateCombination, type CanarySettings } from '../context/timeline.js';
import { missingIdsWarning } from './github-ids.js';

/** Where a value came from (for error messages). */
export type Source = 'flag' | 'answer' | 'saved' | 'default';

/** One problem with the options, phrased for the user. */
export interface OptionProblem {
  readonly key: OptionKey | 'combination';
  readonly message: string;
}

/** A user error: bad or missing options. Printed without a stack, exit code 1. */
export class InvalidOptionsError extends Error {
  constructor(readonly problems: readonly OptionProblem[]) {
    super(problems.map((p) => p.message).join('\n'));
    this.name = 'InvalidOptionsError';
  }
}

/** Raw values per option from one source (strings from flags, JSON values from saved answers). */
export type RawValues = Partial<Record<OptionKey, unknown>>;

export interface ResolveInput {
  readonly flags: RawValues;
  readonly answers?: RawValues;
  readonly saved?: RawValues;
  /** File the saved answers came from, for messages. */
  readonly savedFile?: string;
  readonly facts: DefaultFacts;
  /** `yes`: account-specific gaps become placeholders; `strict`: they are errors. */
  readonly mode: 'yes' | 'strict';
}

export interface Resolution extends ResolvedOptions {
  readonly warnings: readonly string[];
}

const ACCOUNT_SPECIFIC = OPTION_KEYS.filter((k) => (OPTION_TABLE[k] as OptionSpec<unknown>).accountSpecific) as AccountSpecificKey[];

/** The label naming where a value came from, e.g. `--region` or `region in .yo-rc.json`. */
export function describeSource(key: OptionKey, source: Source, savedFile = '.yo-rc.json', value?: unknown): string {
  const flag = `--${OPTION_TABLE[key].flag}`;
  if (source === 'saved') return `${key} in ${savedFile} (flag ${flag})`;
  if (source === 'answer') return `${flag} (answer)`;
  if (source === 'default') return `${flag} (default ${JSON.stringify(value)}; pass ${flag} to choose another)`;
  return flag;
}

/** Parse and check one value against its own rule. Returns the value or a message. */
export function checkValue(key: OptionKey, raw: unknown, others: Partial<Record<string, unknown>>): { value?: unknown; error?: string } {
  const spec = OPTION_TABLE[key] as OptionSpec<unknown>;
  // null is how "switched off" is saved (e.g. no Slack); for any other option it is a wrong type.
  if (raw === null && spec.negatedFlag && spec.negatedValue === null) return { value: null };
  const parsed = parseRaw(spec.kind, raw, spec.choices);
  if (!parsed.ok) return { error: parsed.message };
  const error = spec.validate(parsed.value, others);
  return error ? { error } : { value: parsed.value };
}

/** Pick the raw value with the highest precedence. */
function pick(key: OptionKey, input: ResolveInput): { raw: unknown; source: Source } | undefined {
  if (input.flags[key] !== undefined) return { raw: input.flags[key], source: 'flag' };
  if (input.answers?.[key] !== undefined) return { raw: input.answers[key], source: 'answer' };
  if (input.saved?.[key] !== undefined) return { raw: input.saved[key], source: 'saved' };
  return undefined;
}

/** The options the cross-field canary rule reads. */
export const COMBINATION_KEYS: readonly OptionKey[] = ['deploymentEngine', 'expectedRpm', 'canaryPercent', 'canaryMinutes', 'rollbackWindowMinutes'];

/** The cross-field rule's input from resolved values (undefined while one of them is missing). */
export function canarySettings(v: Partial<Record<string, unknown>>): CanarySettings {
  const codedeploy = v.deploymentEngine === 'codedeploy';
  return {
    canaryPercent: v.canaryPercent as number,
    canaryMinutes: v.canaryMinutes as number,
    rollbackWindowMinutes: v.rollbackWindowMinutes as number,
    expectedRpm: v.expectedRpm as number,
    percentStep: codedeploy ? 1 : 0.1,
    percentMax: codedeploy ? 99 : 100,
  };
}

interface Collected {
  readonly values: Record<string, unknown>;
  readonly sources: Partial<Record<OptionKey, Source>>;
  readonly problems: OptionProblem[];
  readonly placeholders: AccountSpecificKey[];
}

/** First pass, in table order: each value from its source, checked against the values before it. */
function collect(input: ResolveInput): Collected {
  const c: Collected = { values: {}, sources: {}, problems: [], placeholders: [] };
  for (const key of Object.keys(input.saved ?? {})) {
    if (!(OPTION_KEYS as string[]).includes(key)) {
      c.problems.push({ key: 'combination', message: `${JSON.stringify(key)} in ${input.savedFile ?? '.yo-rc.json'} is not an option of this generator (written by a newer version, or edited by hand): remove it` });
    }
  }
  for (const key of OPTION_KEYS) {
    const spec = OPTION_TABLE[key] as OptionSpec<unknown>;
    const chosen = pick(key, input);
    if (chosen) {
      const { value, error } = checkValue(key, chosen.raw, c.values);
      if (error === undefined) (c.values[key] = value), (c.sources[key] = chosen.source);
      else c.problems.push({ key, message: `${describeSource(key, chosen.source, input.savedFile)}: ${error}` });
      continue;
    }
    const fallback = spec.defaultValue(input.facts, c.values);
    if (fallback !== undefined) (c.values[key] = fallback), (c.sources[key] = 'default');
    else if ((input.mode === 'yes' || spec.optional) && (ACCOUNT_SPECIFIC as string[]).includes(key)) c.placeholders.push(key as AccountSpecificKey);
    else c.problems.push({ key, message: `--${spec.flag}: missing (${spec.help})` });
  }
  return c;
}

/**
 * Second pass: every resolved value, defaults included, against ALL the others (a default memory
 * that does not fit the chosen CPU, a folder-derived service name AWS rejects, a rule that depends
 * on an option later in the table). A value that failed the first pass is not judged again.
 */
function validateWhole(c: Collected, savedFile: string | undefined): void {
  const failed = new Set(c.problems.map((p) => p.key));
  for (const key of OPTION_KEYS) {
    if (failed.has(key) || c.values[key] === undefined) continue;
    const error = (OPTION_TABLE[key] as OptionSpec<unknown>).validate(c.values[key], c.values);
    if (error) c.problems.push({ key, message: `${describeSource(key, c.sources[key] ?? 'default', savedFile, c.values[key])}: ${error}` });
  }
}

/** Resolve every option, or throw InvalidOptionsError listing every problem. */
export function resolveOptions(input: ResolveInput): Resolution {
  const c = collect(input);
  validateWhole(c, input.savedFile);
  const { values, problems } = c;
  const warnings: string[] = [];
  const idsWarning = missingIdsWarning(values.githubRepo, values.githubOwnerId, values.githubRepoId);
  if (idsWarning) warnings.push(idsWarning);
  if (!problems.some((p) => COMBINATION_KEYS.includes(p.key as OptionKey))) {
    const verdict = validateCombination(canarySettings(values));
    problems.push(...verdict.errors.map((message) => ({ key: 'combination' as const, message })));
    warnings.push(...verdict.warnings);
  }
  const slackPair = [values.alertsSlackTeamId, values.alertsSlackChannelId].filter((v) => typeof v === 'string').length;
  if (slackPair === 1 && !problems.some((p) => p.key === 'alertsSlackTeamId' || p.key === 'alertsSlackChannelId')) {
    problems.push({ key: 'combination', message: '--alerts-slack-team-id and --alerts-slack-channel-id go together: give both (or neither)' });
  }
  if (problems.length) throw new InvalidOptionsError(problems);
  return { options: values as unknown as Options, placeholders: c.placeholders, warnings };
}

/** Check the given flags on their own (interactive runs, before prompting); throws with every problem. */
export function checkFlags(flags: RawValues): void {
  const known: Record<string, unknown> = {};
  const problems: OptionProblem[] = [];
  for (const key of OPTION_KEYS) {
    if (flags[key] === undefined) continue;
    const { value, error } = checkValue(key, flags[key], known);
    if (error === undefined) known[key] = value;
    else problems.push({ key, message: `${describeSource(key, 'flag')}: ${error}` });
  }
  if (problems.length) throw new InvalidOptionsError(problems);
}

/**
 * Keys an interactive run must ask: not given by a flag, and not validly saved. On a first run that is
 * everything without a flag; on a re-run only new options and saved values that are no longer valid.
 */
export function keysToPrompt(flags: RawValues, saved: RawValues | undefined): OptionKey[] {
  const known: Record<string, unknown> = {};
  const out: OptionKey[] = [];
  for (const key of OPTION_KEYS) {
    const raw = flags[key] !== undefined ? flags[key] : saved?.[key];
    const { value, error } = raw === undefined ? { value: undefined, error: 'absent' } : checkValue(key, raw, known);
    if (error === undefined) known[key] = value;
    if (flags[key] === undefined && error !== undefined) out.push(key);
  }
  return out;
}
