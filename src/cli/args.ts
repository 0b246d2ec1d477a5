/**
 * Command-line parsing. Option flags come from the option table; the rest are the CLI's own
 * switches. Values stay raw strings here: the option table's validators judge them later.
 */
import { parseArgs } from 'node:util';
import { OPTION_KEYS, OPTION_TABLE, type OptionKey } from '../options/table.js';
import type { OptionSpec } from '../options/spec.js';
import type { RawValues } from '../options/resolve.js';
import { InvalidOptionsError } from '../options/resolve.js';

/** Parsed command line. */
export interface CliArgs {
  readonly targetDir: string;
  readonly flags: RawValues;
  readonly help: boolean;
  readonly version: boolean;
  readonly yes: boolean;
  readonly noInteractive: boolean;
  readonly dryRun: boolean;
  readonly force: boolean;
  readonly example: boolean;
  readonly skipInstall: boolean;
}

/** The CLI's own switches (not options of the generated stack). */
export const CLI_SWITCHES = [
  { flag: 'yes', short: 'y', help: 'Accept defaults; account-specific values not given become TODOs in terraform/terraform.tfvars' },
  { flag: 'no-interactive', help: 'Never prompt; every missing or invalid value is an error' },
  { flag: 'example', help: 'Use built-in example account values (VPC, subnets, certificate, repo) — for trying the tool' },
  { flag: 'dry-run', help: 'Show what would be written (with diffs and merge outcomes), write nothing' },
  { flag: 'force', help: 'On conflicts the new render wins; your version is kept as <file>.orig' },
  { flag: 'skip-install', help: 'New service: do not install its dependencies (the next steps say how to create the lockfile)' },
  { flag: 'help', short: 'h', help: 'Show this help' },
  { flag: 'version', short: 'v', help: 'Show the version' },
] as const;

type ParseConfig = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

function parseConfig(): ParseConfig {
  const config: NonNullable<ParseConfig> = {};
  for (const key of OPTION_KEYS) {
    const spec = OPTION_TABLE[key] as OptionSpec<unknown>;
    config[spec.flag] = { type: spec.kind === 'boolean' ? 'boolean' : 'string' };
    if (spec.negatedFlag) config[spec.negatedFlag] = { type: 'boolean' };
  }
  for (const s of CLI_SWITCHES) config[s.flag] = 'short' in s ? { type: 'boolean', short: s.short } : { type: 'boolean' };
  return config;
}

function flagValues(values: Record<string, unknown>): { flags: RawValues; problems: string[] } {
  const flags: Partial<Record<OptionKey, unknown>> = {};
  const problems: string[] = [];
  for (const key of OPTION_KEYS) {
    const spec = OPTION_TABLE[key] as OptionSpec<unknown>;
    const given = values[spec.flag];
    const negated = spec.negatedFlag ? values[spec.negatedFlag] === true : false;
    if (given !== undefined && negated) problems.push(`--${spec.flag} and --${spec.negatedFlag} contradict each other`);
    else if (negated) flags[key] = spec.negatedValue === undefined ? null : spec.negatedValue;
    else if (given !== undefined) flags[key] = given;
  }
  return { flags, problems };
}

/** Parse argv (without node and script). Throws InvalidOptionsError for unknown flags and misuse. */
export function parseCli(argv: readonly string[]): CliArgs {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options: parseConfig(), allowPositionals: true, strict: true });
  } catch (err) {
    const message = (err as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new InvalidOptionsError([{ key: 'combination', message: `${message} (see --help)` }]);
  }
  const v = parsed.values as Record<string, unknown>;
  const { flags, problems } = flagValues(v);
  if (parsed.positionals.length > 1) problems.push(`expected at most one target directory, got: ${parsed.positionals.join(' ')}`);
  if (v.yes === true && v['no-interactive'] === true) problems.push('--yes and --no-interactive contradict each other: choose one');
  if (problems.length) throw new InvalidOptionsError(problems.map((message) => ({ key: 'combination', message })));
  return {
    targetDir: parsed.positionals[0] ?? '.',
    flags,
    help: v.help === true,
    version: v.version === true,
    yes: v.yes === true,
    noInteractive: v['no-interactive'] === true,
    dryRun: v['dry-run'] === true,
    force: v.force === true,
    example: v.example === true,
    skipInstall: v['skip-install'] === true,
  };
}
