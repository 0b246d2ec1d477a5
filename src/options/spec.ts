/**
 * The shape of one option declaration. Everything user-facing about an option (flag, prompt,
 * --help line, default, validation, persistence) comes from one of these.
 */

/** Facts about the target folder that options may default from (see detect.ts). */
export interface DefaultFacts {
  /** `name` from package.json, if any. */
  readonly packageName?: string;
  /** Base name of the target folder. */
  readonly folderName: string;
  /** `owner/repo` parsed from `git remote get-url origin`, when it is a GitHub URL. */
  readonly githubRepo?: string;
  /** Whether a database client dependency was detected (adopt mode); undefined for a new repo. */
  readonly hasDatabaseClient?: boolean;
  /** Whether a cache client dependency was detected (adopt mode); undefined for a new repo. */
  readonly hasCacheClient?: boolean;
  /** Node major from engines/.nvmrc, if any. */
  readonly nodeMajor?: string;
  /** Whether the existing project is TypeScript; undefined for a new repo. */
  readonly typescript?: boolean;
  /**
   * A re-run over answers saved before --staging-strategy existed: staging keeps the canary it was
   * generated with (switching a deployed service to rolling needs a check first, see DEPLOYMENT.md).
   */
  readonly savedWithoutStagingStrategy?: boolean;
  /** Owner and repository ids read with `gh api` for `repo` (see detect/github-ids.ts). */
  readonly githubIds?: { readonly repo: string; readonly ownerId: string; readonly repoId: string };
  /** The literal port an existing service listens on (it then ignores PORT), if any. */
  readonly listenPort?: number;
  /** An existing service is adopted (its language, port and clients are detected, not chosen). */
  readonly adopting?: boolean;
}

/** Where an option appears in --help. */
export type OptionGroup = 'essentials' | 'canary' | 'service';

/** How a raw value (flag string, prompt answer, saved JSON) is turned into a typed value. */
export type OptionKind = 'string' | 'integer' | 'number' | 'boolean' | 'list' | 'enum';

/** Result of parsing a raw value: the typed value or a message saying why it is not one. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** One option of the generator. `T` is the resolved type (null = deliberately absent). */
export interface OptionSpec<T> {
  /** Long flag without dashes, e.g. `canary-percent`. */
  readonly flag: string;
  /** Extra negative flag (e.g. `no-slack`) that sets the option to `negatedValue`. */
  readonly negatedFlag?: string;
  readonly negatedValue?: T;
  readonly kind: OptionKind;
  /** Choices for enums (also shown in prompts and --help); for a string option, every valid value (e.g. regions), which tests enumerate. */
  readonly choices?: readonly string[];
  /** Prompt question. */
  readonly message: string;
  /** One-line --help text. */
  readonly help: string;
  /** Placeholder shown in --help after the flag, e.g. `<n>`. */
  readonly valueName?: string;
  /**
   * Account-specific values have no sensible default: `--yes` leaves a marked placeholder in
   * terraform.tfvars; `--no-interactive` treats them as missing.
   */
  readonly accountSpecific?: boolean;
  /**
   * An account-specific value that may stay unknown in every mode (also --no-interactive and at the
   * prompt, where an empty answer means "not known yet"): it becomes a placeholder with a warning.
   */
  readonly optional?: boolean;
  /** Default from facts; undefined means "no default". */
  readonly defaultValue: (facts: DefaultFacts, partial: Partial<Record<string, unknown>>) => T | undefined;
  /** Rule check on a parsed value alone; rules that read other options are in combination.ts. */
  readonly validate: (value: T) => string | undefined;
  /** Whether the answer is saved in .yo-rc.json (never for secrets). */
  readonly saved: boolean;
  /** Section of --help. */
  readonly group: OptionGroup;
  /**
   * Asked only after "Customize advanced settings?" (its default fits most services); a value the
   * prompt must have (none saved, no default) is asked anyway.
   */
  readonly advanced?: boolean;
  /**
   * Whether the question applies, given the facts and the values known so far (flags, saved answers,
   * earlier answers): a question that does not apply is never asked and takes its default. Absent: always.
   */
  readonly when?: (facts: DefaultFacts, values: Partial<Record<string, unknown>>) => boolean;
  /** One line per choice of an enum, shown at the prompt beside it. */
  readonly choiceHelp?: Readonly<Record<string, string>>;
}

/** Identity helper that keeps `T` inferred per option. */
export function option<T>(spec: OptionSpec<T>): OptionSpec<T> {
  return spec;
}

/** Longest text value accepted (a service name, an ARN and a subnet list all fit well within it). */
export const MAX_TEXT_LENGTH = 512;

// Control and format characters (newline, tab, NUL, bidi overrides, line separators) never belong in a value.
export const CONTROL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
// Characters that quote, comment, interpolate or separate in YAML, HCL, JSON or a shell; no option needs them.
const META = /[\s"'`$\\;&|<>*?!#%^~{}[\]()]/;

/** Why a text value (or list item) can never be a valid option value, or undefined when it may be. */
export function textProblem(text: string): string | undefined {
  const control = CONTROL.exec(text);
  if (control)
    return `contains a control character (U+${control[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`;
  if (text.length > MAX_TEXT_LENGTH)
    return `is ${text.length} characters long; at most ${MAX_TEXT_LENGTH} are accepted`;
  const meta = META.exec(text.trim());
  if (meta)
    return `contains ${meta[0].trim() === '' ? 'a space' : `"${meta[0]}"`}, which no option accepts (quotes, $, backslashes, spaces and other YAML/HCL/shell metacharacters)`;
  return undefined;
}

// Plain decimal only: Number() would also take 0x10, 0b11, 0o7, 1e3, " 1 " and "" (= 0).
const INTEGER = /^-?(0|[1-9][0-9]*)$/;
const DECIMAL = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/;

function parseNumber(kind: 'integer' | 'number', raw: unknown): Parsed<unknown> {
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return bad('expected a number');
    return kind === 'integer' && !Number.isInteger(raw)
      ? bad(`expected a whole number, got ${raw}`)
      : { ok: true, value: raw };
  }
  if (typeof raw !== 'string') return bad('expected a number');
  const text = raw.trim();
  if (text === '') return bad('is empty; expected a number');
  const problem = textProblem(raw);
  if (problem) return bad(problem);
  if (kind === 'integer' && DECIMAL.test(text) && !INTEGER.test(text))
    return bad(`expected a whole number, got ${text}`);
  if (!(kind === 'integer' ? INTEGER : DECIMAL).test(text)) {
    return bad(
      `"${text}" is not a plain decimal number (digits${kind === 'number' ? ' and one optional decimal point' : ' only'}; no hex, binary, octal, exponent, sign or leading zeros)`,
    );
  }
  return { ok: true, value: Number(text) };
}

function parseText(raw: unknown): Parsed<unknown> {
  if (typeof raw !== 'string') return bad('expected text');
  const problem = textProblem(raw);
  if (problem) return bad(problem);
  const value = raw.trim();
  return value === '' ? bad('is empty') : { ok: true, value };
}

function parseList(raw: unknown): Parsed<unknown> {
  const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : null;
  if (!items?.every((i) => typeof i === 'string')) return bad('expected a comma-separated list');
  for (const item of items as string[]) {
    const problem = textProblem(item);
    if (problem) return bad(`item ${JSON.stringify(item.trim().slice(0, 40))} ${problem}`);
  }
  const value = (items as string[]).map((i) => i.trim()).filter((i) => i !== '');
  return value.length === 0 ? bad('is empty') : { ok: true, value };
}

/** Parse a raw value according to `kind`; values already of the right type pass through. */
export function parseRaw(kind: OptionKind, raw: unknown, choices?: readonly string[]): Parsed<unknown> {
  switch (kind) {
    case 'string':
      return parseText(raw);
    case 'enum': {
      const problem = typeof raw === 'string' ? textProblem(raw) : undefined;
      if (problem) return bad(problem);
      const v = typeof raw === 'string' ? raw.trim() : raw;
      return typeof v === 'string' && choices?.includes(v)
        ? { ok: true, value: v }
        : bad(`expected one of ${choices?.join(', ')}`);
    }
    case 'integer':
    case 'number':
      return parseNumber(kind, raw);
    case 'boolean':
      if (typeof raw === 'boolean') return { ok: true, value: raw };
      if (raw === 'true' || raw === 'yes') return { ok: true, value: true };
      if (raw === 'false' || raw === 'no') return { ok: true, value: false };
      return bad('expected true or false');
    case 'list':
      return parseList(raw);
  }
}

function bad(message: string): Parsed<never> {
  return { ok: false, message };
}
