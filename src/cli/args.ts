/**
 * Command-line parsing. Option flags come from the option table; the rest are the CLI's own
 * switches. Values stay raw strings here: the option table's validators judge them later.
 */
import { OPTION_KEYS, OPTION_TABLE, type OptionKey } from '../options/table.js';
import { CONTROL, type OptionSpec } from '../options/spec.js';
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
  /** Ask every saved answer again (interactive re-runs). */
  readonly ask: boolean;
}

/** The CLI's own switches (not options of the generated stack). */
export const CLI_SWITCHES = [
  {
    flag: 'yes',
    short: 'y',
    help: 'Accept defaults; account-specific values not given become TODOs in terraform/terraform.tfvars',
  },
  { flag: 'ask', help: 'Re-run: ask every saved answer again, with it as the default' },
  { flag: 'no-interactive', help: 'Never prompt; every missing or invalid value is an error' },
  {
    flag: 'example',
    help: 'Use built-in example account values (VPC, subnets, certificate, repo) — for trying the tool',
  },
  { flag: 'dry-run', help: 'Show what would be written (with diffs and merge outcomes), write nothing' },
  { flag: 'force', help: 'On conflicts the new render wins; your version is kept as <file>.orig' },
  {
    flag: 'skip-install',
    help: 'New service: do not install its dependencies (the next steps say how to create the lockfile)',
  },
  { flag: 'help', short: 'h', help: 'Show this help' },
  { flag: 'version', short: 'v', help: 'Show the version' },
] as const;

/** How a flag on the command line is read. */
interface FlagDef {
  readonly takesValue: boolean;
  /** The option it sets (absent for the CLI's own switches). */
  readonly key?: OptionKey;
  /** For negated flags: the option they switch off. */
  readonly negates?: OptionKey;
}

function flagTable(): Map<string, FlagDef> {
  const defs = new Map<string, FlagDef>();
  for (const key of OPTION_KEYS) {
    const spec = OPTION_TABLE[key] as OptionSpec<unknown>;
    defs.set(spec.flag, { takesValue: spec.kind !== 'boolean', key });
    if (spec.negatedFlag) defs.set(spec.negatedFlag, { takesValue: false, negates: key });
  }
  for (const s of CLI_SWITCHES) defs.set(s.flag, { takesValue: false });
  return defs;
}

const SHORT: ReadonlyMap<string, string> = new Map(
  CLI_SWITCHES.flatMap((s) => ('short' in s ? [[s.short, s.flag] as const] : [])),
);
// A word that reads as a value for a boolean flag: `--staging false` must not make ./false the target.
const BOOLEAN_WORD = /^(true|false|yes|no|on|off|y|n|0|1)$/i;

/** A raw argument as it may be shown in a one-line message: quoted, escaped, cut. */
function shown(raw: string): string {
  const q = JSON.stringify(raw);
  return q.length > 60 ? `${q.slice(0, 57)}…"` : q;
}

interface Scan {
  readonly given: Map<string, string | true>;
  readonly positionals: string[];
  readonly problems: string[];
}

/** Levenshtein distance between two short strings. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

/** The known flag nearest to a mistyped one: a third of its letters may differ (at least 2), else none. */
export function closest(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const ranked = known.map((k) => [k, editDistance(lower, k)] as const).sort((x, y) => x[1] - y[1]);
  const best = ranked[0];
  return best && best[1] <= Math.max(2, Math.floor(name.length / 3)) ? best[0] : undefined;
}

/** Read one `--flag`, `--flag=value` or `--flag value` at argv[i]; returns how many arguments it used. */
function scanLong(argv: readonly string[], i: number, defs: Map<string, FlagDef>, scan: Scan): number {
  const arg = argv[i]!;
  const eq = arg.indexOf('=');
  const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
  const def = defs.get(name);
  if (!def) {
    const near = closest(name, [...defs.keys()]);
    scan.problems.push(`${shown(`--${name}`)} is not an option${near ? `: did you mean --${near}?` : ''} (see --help)`);
    return 1;
  }
  if (scan.given.has(name)) scan.problems.push(`--${name} is given more than once: give it once`);
  if (!def.takesValue) {
    const next = argv[i + 1];
    if (eq !== -1 || (next !== undefined && BOOLEAN_WORD.test(next))) {
      const negated = (OPTION_TABLE[def.key ?? def.negates ?? ('' as OptionKey)] as OptionSpec<unknown> | undefined)
        ?.negatedFlag;
      const hint = def.key && negated ? `: use --${name} or --${negated}` : '';
      scan.problems.push(`--${name} takes no value (got ${shown(eq === -1 ? next! : arg.slice(eq + 1))})${hint}`);
      return eq === -1 ? 2 : 1;
    }
    scan.given.set(name, true);
    return 1;
  }
  if (eq !== -1) {
    scan.given.set(name, arg.slice(eq + 1));
    return 1;
  }
  const value = argv[i + 1];
  // A following flag is not a value (a negative number is: -1 is judged by the option's own range).
  if (value === undefined || (value.startsWith('-') && !/^-[0-9]/.test(value))) {
    scan.problems.push(
      `--${name} needs a value${value === undefined ? '' : ` (write --${name}=${shown(value)} if ${shown(value)} is meant as the value)`}`,
    );
    return 1;
  }
  scan.given.set(name, value);
  return 2;
}

/** Read `-y`, `-yh`: short switches only (none takes a value). */
function scanShort(arg: string, defs: Map<string, FlagDef>, scan: Scan): void {
  for (const ch of arg.slice(1)) {
    const flag = SHORT.get(ch);
    if (!flag || !defs.has(flag)) scan.problems.push(`${shown(`-${ch}`)} is not an option (see --help)`);
    else if (scan.given.has(flag)) scan.problems.push(`--${flag} is given more than once: give it once`);
    else scan.given.set(flag, true);
  }
}

function scanArgs(argv: readonly string[]): Scan {
  const defs = flagTable();
  const scan: Scan = { given: new Map(), positionals: [], problems: [] };
  for (let i = 0; i < argv.length; ) {
    const arg = argv[i]!;
    if (arg === '--') {
      scan.positionals.push(...argv.slice(i + 1));
      return scan;
    }
    if (arg.startsWith('--')) i += scanLong(argv, i, defs, scan);
    else {
      if (arg.startsWith('-') && arg.length > 1) scanShort(arg, defs, scan);
      else scan.positionals.push(arg);
      i += 1;
    }
  }
  return scan;
}

function flagValues(given: Map<string, string | true>): { flags: RawValues; problems: string[] } {
  const flags: Partial<Record<OptionKey, unknown>> = {};
  const problems: string[] = [];
  for (const key of OPTION_KEYS) {
    const spec = OPTION_TABLE[key] as OptionSpec<unknown>;
    const value = given.get(spec.flag);
    const negated = spec.negatedFlag ? given.get(spec.negatedFlag) === true : false;
    if (value !== undefined && negated)
      problems.push(`--${spec.flag} and --${spec.negatedFlag} contradict each other: give one`);
    else if (negated) flags[key] = spec.negatedValue === undefined ? null : spec.negatedValue;
    else if (value !== undefined) flags[key] = value;
  }
  return { flags, problems };
}

/** Parse argv (without node and script). Throws InvalidOptionsError listing every misuse at once. */
export function parseCli(argv: readonly string[]): CliArgs {
  const scan = scanArgs(argv);
  const { flags, problems } = flagValues(scan.given);
  problems.unshift(...scan.problems);
  const on = (flag: string): boolean => scan.given.get(flag) === true;
  if (scan.positionals.length > 1)
    problems.push(`expected at most one target directory, got: ${scan.positionals.map(shown).join(' ')}`);
  if (scan.positionals.some((p) => CONTROL.test(p)))
    problems.push(`the target directory ${shown(scan.positionals[0]!)} contains a control character`);
  if (scan.positionals[0] === '')
    problems.push('the target directory is an empty string: use . for the current directory');
  if (on('yes') && on('no-interactive')) problems.push('--yes and --no-interactive contradict each other: choose one');
  for (const other of ['yes', 'no-interactive'])
    if (on('ask') && on(other))
      problems.push(`--ask and --${other} contradict each other: --ask asks every question again`);
  if (problems.length)
    throw new InvalidOptionsError([...new Set(problems)].map((message) => ({ key: 'combination', message })));
  return {
    targetDir: scan.positionals[0] ?? '.',
    flags,
    help: on('help'),
    version: on('version'),
    yes: on('yes'),
    noInteractive: on('no-interactive'),
    dryRun: on('dry-run'),
    force: on('force'),
    example: on('example'),
    skipInstall: on('skip-install'),
    ask: on('ask'),
  };
}
