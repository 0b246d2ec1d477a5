/**
 * Options the prompt asks as ONE question (the option table keeps their separate flags and saved
 * answers): the public and private subnets ("public: a,b  private: c,d"), and the canary's share and
 * window ("10% for 10 min", or "10 10"). Declared here once; buildQuestions merges the two questions of
 * a pair when both are asked before the gate. The answer is parsed strictly into the two options' raw
 * values, which their own table rules then judge.
 */
import type { OptionKey } from '../options/table.js';

/** The name a paired question goes by (its answer is stored under the two option keys). */
export type PairName = 'subnets' | 'canary';

/** A paired answer split into the raw values of its two options, or why it is not one. */
export type PairParse =
  | { readonly ok: true; readonly raw: readonly [string, string] }
  | { readonly ok: false; readonly message: string };

/** Two options asked as one question. */
export interface Pair {
  readonly name: PairName;
  readonly keys: readonly [OptionKey, OptionKey];
  /** What each part is called in a refusal, e.g. "percent: must be between 0.1 and 100". */
  readonly labels: readonly [string, string];
  readonly message: string;
  /** The answer as the user would type it, from the two values (the default shown); undefined without both. */
  readonly show: (a: unknown, b: unknown) => string | undefined;
  /** The typed answer (or the picked choices, joined by spaces) as the two options' raw values. */
  readonly parse: (text: string) => PairParse;
  /** What was understood, said after the answer is taken. */
  readonly understood: (a: unknown, b: unknown) => string;
}

const list = (v: unknown): string => (Array.isArray(v) ? v.join(',') : String(v));

const SUBNETS_EXAMPLE = 'public: subnet-a,subnet-b  private: subnet-c,subnet-d';

/**
 * "public: a,b  private: c,d": every id after the label it belongs to (a label may come again, as the
 * joined checkbox choices "public:a public:b private:c" do); ids separated by commas or spaces.
 */
export function parseSubnets(text: string): PairParse {
  const lists: Record<'public' | 'private', string[]> = { public: [], private: [] };
  let label: 'public' | 'private' | undefined;
  for (const token of text
    .replace(/:/g, ': ')
    .split(/[\s,]+/)
    .filter(Boolean)) {
    const named = /^([^:]*):$/.exec(token);
    if (named) {
      const word = named[1]!.toLowerCase();
      if (word !== 'public' && word !== 'private')
        return { ok: false, message: `"${named[1]}:" is not public: or private: (e.g. ${SUBNETS_EXAMPLE})` };
      label = word;
    } else if (!label) {
      return {
        ok: false,
        message: `say which list ${token} belongs to: public: (the load balancer) or private: (the tasks), e.g. ${SUBNETS_EXAMPLE}`,
      };
    } else lists[label].push(token);
  }
  for (const kind of ['public', 'private'] as const) {
    if (lists[kind].length === 0) return { ok: false, message: `no ${kind} subnets given (e.g. ${SUBNETS_EXAMPLE})` };
  }
  return { ok: true, raw: [lists.public.join(','), lists.private.join(',')] };
}

// The two numbers need a separator (a space, "%" or ","): "1010" is refused, not read as 1% for 010 min.
const CANARY_FORM = /^([^\s%,]+)(?=[\s%,])\s*%?\s*,?\s*(?:for\s+)?([^\s%,]+?)\s*(?:m|min|mins|minutes?)?$/i;

/** "10% for 10 min", "10%, 10 min", "10 10" (percent, then minutes); the numbers are judged by the table. */
export function parseCanary(text: string): PairParse {
  const m = CANARY_FORM.exec(text.trim());
  if (!m || /[a-z]/i.test(m[1]!) || /[a-z]/i.test(m[2]!))
    return {
      ok: false,
      message: `expected the percent and the minutes, e.g. "10% for 10 min" or "10 10"; got "${text.trim()}"`,
    };
  return { ok: true, raw: [m[1]!, m[2]!] };
}

/** Every paired question, in no particular order (each takes the place of its first option's question). */
export const PAIRS: readonly Pair[] = [
  {
    name: 'subnets',
    keys: ['publicSubnetIds', 'privateSubnetIds'],
    labels: ['public', 'private'],
    message: `Subnets: 2+ public for the load balancer, 2+ private for the tasks (e.g. ${SUBNETS_EXAMPLE})`,
    show: (a, b) => (a === undefined || b === undefined ? undefined : `public: ${list(a)}  private: ${list(b)}`),
    parse: parseSubnets,
    understood: (a, b) =>
      `public (load balancer): ${list(a).replace(/,/g, ', ')}; private (tasks): ${list(b).replace(/,/g, ', ')}`,
  },
  {
    name: 'canary',
    keys: ['canaryPercent', 'canaryMinutes'],
    labels: ['percent', 'minutes'],
    message:
      'Canary: percent of traffic and minutes it bakes before the full shift (e.g. "10% for 10 min", or "10 10")',
    show: (a, b) => (a === undefined || b === undefined ? undefined : `${String(a)}% for ${String(b)} min`),
    parse: parseCanary,
    understood: (a, b) => `the canary gets ${String(a)}% of the traffic for ${String(b)} min, then the full shift`,
  },
];
