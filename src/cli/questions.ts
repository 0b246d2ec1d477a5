/** Prompt questions derived from the option table (inquirer question objects, as Yeoman's prompt takes them). */
import { OPTION_TABLE, type OptionKey } from '../options/table.js';
import type { DefaultFacts, OptionSpec } from '../options/spec.js';
import { canarySettings, checkValue, type RawValues } from '../options/resolve.js';
import { validateCombination } from '../context/timeline.js';

/** The subset of an inquirer question this generator uses. */
export interface Question {
  readonly type: 'input' | 'select' | 'confirm';
  readonly name: OptionKey;
  readonly message: string;
  readonly default?: unknown;
  readonly choices?: ReadonlyArray<{ name: string; value: string }>;
  readonly validate?: (input: unknown, answers?: Record<string, unknown>) => true | string;
  readonly filter?: (input: unknown) => unknown;
}

function displayDefault(value: unknown): unknown {
  if (Array.isArray(value)) return value.join(',');
  if (value === null) return '';
  return typeof value === 'number' ? String(value) : value;
}

/** "none" answered to an option with a negated flag (e.g. Slack) means "off"; empty for an optional one, "not known yet". */
function normaliseAnswer(spec: OptionSpec<unknown>, input: unknown): unknown {
  const blank = typeof input === 'string' ? input.trim().toLowerCase() : undefined;
  if (spec.optional && blank === '') return undefined;
  return spec.negatedFlag && blank !== undefined && ['', 'none'].includes(blank) ? null : input;
}

/** The cross-field canary rule, as soon as all three of its values are known. */
function combinationError(v: Record<string, unknown>): string | undefined {
  const s = canarySettings(v);
  if ([s.canaryPercent, s.canaryMinutes, s.rollbackWindowMinutes, s.expectedRpm].some((n) => typeof n !== 'number')) return undefined;
  return validateCombination(s).errors[0];
}

/**
 * Questions for `keys`. `known` holds values already fixed (flags, valid saved answers) so dependent
 * rules (certificate region, memory for cpu, canary range per engine) judge answers correctly.
 */
export function buildQuestions(keys: readonly OptionKey[], known: RawValues, facts: DefaultFacts): Question[] {
  const resolved: Record<string, unknown> = {};
  for (const [k, raw] of Object.entries(known)) {
    const { value, error } = checkValue(k as OptionKey, raw, resolved);
    if (error === undefined) resolved[k] = value;
  }
  return keys.map((key) => {
    const spec = OPTION_TABLE[key] as OptionSpec<unknown>;
    const others = (answers?: Record<string, unknown>): Record<string, unknown> => {
      const merged: Record<string, unknown> = { ...resolved };
      for (const [k, raw] of Object.entries(answers ?? {})) {
        const { value } = checkValue(k as OptionKey, raw, merged);
        if (value !== undefined) merged[k] = value;
      }
      return merged;
    };
    const validate = (input: unknown, answers?: Record<string, unknown>): true | string => {
      const known = others(answers);
      const answer = normaliseAnswer(spec, input);
      if (answer === undefined && spec.optional) return true;
      const { value, error } = checkValue(key, answer, known);
      return error ?? combinationError({ ...known, [key]: value }) ?? true;
    };
    const def = displayDefault(spec.defaultValue(facts, resolved));
    if (spec.kind === 'boolean') return { type: 'confirm', name: key, message: spec.message, default: def ?? true };
    if (spec.kind === 'enum') {
      const choices = (spec.choices ?? []).map((c) => ({ name: c, value: c }));
      return { type: 'select', name: key, message: spec.message, default: def, choices };
    }
    return { type: 'input', name: key, message: spec.message, default: def, validate, filter: (i) => normaliseAnswer(spec, i) };
  });
}
