/**
 * Case generators for the input fuzz, derived from the option table: every option gets the bad-value
 * classes of its kind, every flag the misuse classes, every choice and range end a valid case. A new
 * option in the table is fuzzed without touching this file.
 */
import { OPTION_KEYS, OPTION_TABLE, type OptionKey } from '../../src/options/table.js';
import type { OptionSpec } from '../../src/options/spec.js';
import { exampleFlags } from '../../src/options/example.js';
import { pick } from './regen-random.js';

type Rnd = () => number;

/** One command line to try. `names`: a flag the report must name (any of them). */
export interface InputCase {
  readonly cls: string;
  readonly argv: readonly string[];
  readonly names: readonly string[];
}

export const specOf = (key: OptionKey): OptionSpec<unknown> => OPTION_TABLE[key] as OptionSpec<unknown>;
export const VALUE_KEYS = OPTION_KEYS.filter((k) => specOf(k).kind !== 'boolean');
export const BOOLEAN_KEYS = OPTION_KEYS.filter((k) => specOf(k).kind === 'boolean');

/** A valid raw value for `key`: the example account value, else the default, else the first choice. */
export function sampleValue(key: OptionKey): string {
  const ex = exampleFlags()[key];
  if (ex !== undefined) return String(ex);
  const d = specOf(key).defaultValue({ folderName: 'api' }, {});
  if (Array.isArray(d)) return d.join(',');
  return d === undefined || d === null ? (specOf(key).choices?.[0] ?? 'x') : String(d);
}

const CONTROL = ['\0', '\t', '\n', '\r', '\x1b', '\x7f', '\u0085', '\u2028', '\u202e', '\ufeff', '\x08'];
const META = [...'"\'`$\\;&|<>*?!#%^~{}[]()', ' ', '${x}', '$(id)', '`id`', ': x', '\n- x'];

/** Insert `s` strictly inside `v` (never at an end or beside a comma, where trimming would drop a space). */
function insertInside(rnd: Rnd, v: string, s: string): string {
  const spots = [...v].map((_, i) => i).filter((i) => i > 0 && v[i - 1] !== ',' && v[i] !== ',');
  const at = spots.length ? spots[pick(rnd, spots.length)]! : 1;
  return v.slice(0, at) + s + v.slice(at);
}

/** Bad values for any option that takes a value, by class. */
const TEXT_BAD: Record<string, (rnd: Rnd, v: string) => string> = {
  empty: () => '',
  whitespace: (rnd) => ' '.repeat(1 + pick(rnd, 4)),
  control: (rnd, v) => insertInside(rnd, v, CONTROL[pick(rnd, CONTROL.length)]!),
  metachar: (rnd, v) => insertInside(rnd, v, META[pick(rnd, META.length)]!),
  long: (rnd, v) => v + 'a'.repeat(513 + pick(rnd, 4000)),
};

/** Number spellings Number() would take but a plain decimal is not (plus non-ASCII digits). */
const NUMBER_BAD: Record<string, (rnd: Rnd, n: number) => string> = {
  hex: (_r, n) => `0x${n.toString(16)}`,
  binary: (_r, n) => `0b${n.toString(2)}`,
  octal: (_r, n) => `0o${n.toString(8)}`,
  'leading-zero': (rnd, n) => `${'0'.repeat(1 + pick(rnd, 2))}${n}`,
  exponent: (_r, n) => `${n / 10}e1`,
  sign: (_r, n) => `+${n}`,
  'bare-dot': (rnd, n) => (rnd() < 0.5 ? `.${n}` : `${n}.`),
  underscore: (_r, n) => `${n}_0`,
  'non-ascii-digits': (_r, n) => String(n).replace(/[0-9]/g, (d) => String.fromCharCode(0x660 + Number(d))),
  'not-finite': (rnd) => ['Infinity', 'NaN', '-Infinity'][pick(rnd, 3)]!,
};

function valueArg(rnd: Rnd, flag: string, value: string): string[] {
  // `--flag=value` and `--flag value` are the same to the user; a value starting with '-' needs the = form.
  return rnd() < 0.5 || value.startsWith('-') ? [`--${flag}=${value}`] : [`--${flag}`, value];
}

function badValueCases(rnd: Rnd, key: OptionKey): InputCase[] {
  const spec = specOf(key);
  const v = sampleValue(key);
  const names = [`--${spec.flag}`];
  const out = Object.entries(TEXT_BAD).map(([cls, f]) => ({ cls, argv: valueArg(rnd, spec.flag, f(rnd, v)), names }));
  if (spec.kind === 'integer' || spec.kind === 'number') {
    const n = Number(v);
    out.push(
      ...Object.entries(NUMBER_BAD).map(([cls, f]) => ({ cls, argv: valueArg(rnd, spec.flag, f(rnd, n)), names })),
    );
    if (spec.kind === 'integer') out.push({ cls: 'fraction', argv: valueArg(rnd, spec.flag, `${n}.5`), names });
  }
  return out;
}

function misuseCases(rnd: Rnd, key: OptionKey): InputCase[] {
  const spec = specOf(key);
  const names = [`--${spec.flag}`];
  const v = sampleValue(key);
  const out: InputCase[] = [
    { cls: 'unknown-flag', argv: [`--${spec.flag}${['x', '-typo', 's'][pick(rnd, 3)]}`], names: [`--${spec.flag}`] },
    {
      cls: 'control-in-flag-name',
      argv: [`--${insertInside(rnd, spec.flag, CONTROL[pick(rnd, CONTROL.length)]!)}`],
      names: ['is not an option'],
    },
  ];
  if (spec.kind === 'boolean') {
    const word = ['true', 'false', 'yes', 'no', 'off', '1'][pick(rnd, 6)]!;
    out.push({
      cls: 'boolean-with-value',
      argv: rnd() < 0.5 ? [`--${spec.flag}=${word}`] : [`--${spec.flag}`, word],
      names,
    });
    out.push({ cls: 'duplicate', argv: [`--${spec.flag}`, `--${spec.flag}`], names });
  } else {
    out.push({ cls: 'missing-value', argv: [`--${spec.flag}`], names });
    out.push({ cls: 'value-is-a-flag', argv: [`--${spec.flag}`, '--force'], names });
    out.push({ cls: 'duplicate', argv: [...valueArg(rnd, spec.flag, v), ...valueArg(rnd, spec.flag, v)], names });
  }
  if (spec.negatedFlag) {
    const both = spec.kind === 'boolean' ? [`--${spec.flag}`] : valueArg(rnd, spec.flag, v);
    out.push({
      cls: 'conflicting-flags',
      argv: rnd() < 0.5 ? [`--${spec.negatedFlag}`, ...both] : [...both, `--${spec.negatedFlag}`],
      names: [`--${spec.flag}`, `--${spec.negatedFlag}`],
    });
    out.push({
      cls: 'boolean-with-value',
      argv: [`--${spec.negatedFlag}=${['1', 'true', 'x'][pick(rnd, 3)]}`],
      names: [`--${spec.negatedFlag}`],
    });
  }
  return out;
}

/** Every invalid command-line case for every option (order: table order, then class). */
export function invalidFlagCases(rnd: Rnd): InputCase[] {
  return OPTION_KEYS.flatMap((k) => [
    ...(specOf(k).kind === 'boolean' ? [] : badValueCases(rnd, k)),
    ...misuseCases(rnd, k),
  ]);
}

/** Numbers worth trying for a numeric option: ends of every "A-B" range its help states, ±1 step, the default. */
export function numericCandidates(key: OptionKey): number[] {
  const spec = specOf(key);
  const step = spec.kind === 'number' ? 0.1 : 1;
  const out = new Set<number>([Number(sampleValue(key))]);
  for (const m of spec.help.matchAll(/(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)/g)) {
    for (const end of [Number(m[1]), Number(m[2])])
      for (const d of [-step, 0, step]) out.add(Math.round((end + d) * 10) / 10);
  }
  for (const m of spec.help.matchAll(/\(([\d, ]+)\)/g)) for (const n of m[1]!.split(',')) out.add(Number(n));
  return [...out].filter((n) => n >= 0).sort((a, b) => a - b);
}

/** Words YAML 1.1/1.2 reads as null, booleans or numbers when unquoted. */
export const YAML_WORDS = ['null', 'true', 'false', 'yes', 'off', 'on', 'no', 'nan', 'inf', 'y', 'n', '~'];
