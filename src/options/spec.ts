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
  /** The literal port an existing service listens on (it then ignores PORT), if any. */
  readonly listenPort?: number;
}

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
  /** Choices for enums (also shown in prompts and --help). */
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
  /** Default from facts; undefined means "no default". */
  readonly defaultValue: (facts: DefaultFacts, partial: Partial<Record<string, unknown>>) => T | undefined;
  /** Rule check on a parsed value; other already-parsed options are given for dependent ranges. */
  readonly validate: (value: T, others: Partial<Record<string, unknown>>) => string | undefined;
  /** Whether the answer is saved in .yo-rc.json (never for secrets). */
  readonly saved: boolean;
}

/** Identity helper that keeps `T` inferred per option. */
export function option<T>(spec: OptionSpec<T>): OptionSpec<T> {
  return spec;
}

/** Parse a raw value according to `kind`; values already of the right type pass through. */
export function parseRaw(kind: OptionKind, raw: unknown, choices?: readonly string[]): Parsed<unknown> {
  switch (kind) {
    case 'string':
      return typeof raw === 'string' ? { ok: true, value: raw.trim() } : bad('expected text');
    case 'enum': {
      const v = typeof raw === 'string' ? raw.trim() : raw;
      return typeof v === 'string' && choices?.includes(v) ? { ok: true, value: v } : bad(`expected one of ${choices?.join(', ')}`);
    }
    case 'integer':
    case 'number': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      if (!Number.isFinite(n)) return bad('expected a number');
      if (kind === 'integer' && !Number.isInteger(n)) return bad('expected a whole number');
      return { ok: true, value: n };
    }
    case 'boolean':
      if (typeof raw === 'boolean') return { ok: true, value: raw };
      if (raw === 'true' || raw === 'yes') return { ok: true, value: true };
      if (raw === 'false' || raw === 'no') return { ok: true, value: false };
      return bad('expected true or false');
    case 'list': {
      const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : null;
      if (!items || !items.every((i) => typeof i === 'string')) return bad('expected a comma-separated list');
      return { ok: true, value: (items as string[]).map((i) => i.trim()).filter((i) => i !== '') };
    }
  }
}

function bad(message: string): Parsed<never> {
  return { ok: false, message };
}
