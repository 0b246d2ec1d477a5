/** --help text and the README options table, both derived from the option table. */
import { OPTION_KEYS, OPTION_TABLE } from '../options/table.js';
import type { OptionGroup, OptionSpec } from '../options/spec.js';
import { CLI_SWITCHES } from './args.js';

/** The widest line --help prints (a terminal's classic width). */
export const HELP_WIDTH = 80;
// Where the help column starts; a longer flag label puts its help on the next line.
const HELP_COLUMN = 30;

const GROUP_TITLES: Readonly<Record<OptionGroup, string>> = {
  essentials: 'Essentials (asked first; the rest after "Customize advanced settings?"):',
  canary: 'Canary and deployment:',
  service: 'Service and task:',
};

/** Commands a newcomer copies, each with what it does. */
const EXAMPLES: ReadonlyArray<readonly [string, string]> = [
  ['npm create canary-pipeline@latest my-api', 'ask the essentials, write a new service into ./my-api'],
  ['npm create canary-pipeline@latest my-api -- --example --yes', 'try it with example account values, no questions'],
  [
    'npm create canary-pipeline@latest -- --yes --canary-percent 5',
    're-run in a generated repo with one option changed',
  ],
  ['npm create canary-pipeline@latest -- --ask', 'ask every saved answer again'],
  [
    'npm create canary-pipeline@latest -- --dry-run --deployment-engine codedeploy',
    'show what would change, write nothing',
  ],
];

function flagLabel(spec: OptionSpec<unknown>): string {
  const main = spec.kind === 'boolean' ? `--${spec.flag}` : `--${spec.flag} ${spec.valueName ?? '<value>'}`;
  return spec.negatedFlag ? `${main} | --${spec.negatedFlag}` : main;
}

/** Break `text` into lines of at most `width` characters, at spaces (a longer word stays whole). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return line ? [...lines, line] : lines;
}

/** One entry: the label at 2 columns, its help wrapped in the help column (below the label when that is too wide). */
function entry(label: string, help: string): string[] {
  const pad = ' '.repeat(HELP_COLUMN);
  const body = wrap(help, HELP_WIDTH - HELP_COLUMN).map((l) => `${pad}${l}`);
  const head = `  ${label}`;
  if (head.length + 1 >= HELP_COLUMN) return [head, ...body];
  return [`${head.padEnd(HELP_COLUMN)}${body[0]?.trimStart() ?? ''}`, ...body.slice(1)];
}

function section(title: string, rows: ReadonlyArray<readonly [string, string]>): string[] {
  return ['', title, ...rows.flatMap(([l, h]) => entry(l, h))];
}

/**
 * The --help section of an option: Essentials are exactly the options the prompt asks before "Customize
 * advanced settings?" (the one `advanced` field decides both); an advanced option shows under its group.
 */
export function helpGroup(spec: OptionSpec<unknown>): OptionGroup {
  return spec.advanced ? spec.group : 'essentials';
}

/** The full --help text: every line at most HELP_WIDTH columns. */
export function helpText(version: string): string {
  const groups = (Object.keys(GROUP_TITLES) as OptionGroup[]).flatMap((g) =>
    section(
      GROUP_TITLES[g],
      OPTION_KEYS.map((k) => OPTION_TABLE[k] as OptionSpec<unknown>)
        .filter((s) => helpGroup(s) === g)
        .map((s) => [flagLabel(s), s.help] as const),
    ),
  );
  const switches = CLI_SWITCHES.map((s) => [`${'short' in s ? `-${s.short}, ` : ''}--${s.flag}`, s.help] as const);
  const examples = EXAMPLES.flatMap(([command, what]) => [
    `  ${command}`,
    ...wrap(`# ${what}`, HELP_WIDTH - 6).map((l) => `      ${l}`),
  ]);
  return [
    `create-canary-pipeline ${version}`,
    '',
    ...wrap(
      'Render a GitHub Actions → ECR → ECS Fargate canary pipeline (Terraform, Dockerfile, health endpoint, ' +
        'migration task) into a repository: a new one, an existing Express service, or again after changing options.',
      HELP_WIDTH,
    ),
    '',
    'Usage: npm create canary-pipeline@latest [target-dir] -- [options]',
    '       create-canary-pipeline [target-dir] [options]   (target-dir: default .)',
    ...groups,
    ...section('Run modes:', switches),
    '',
    'Examples:',
    ...examples,
    '',
    ...wrap(
      'Interactive only when stdin and stdout are terminals and neither --yes nor --no-interactive is given ' +
        '(and CI is unset). Exit codes: 0 done; 1 invalid or missing options, another run in progress, or a target that ' +
        'cannot take the files (nothing written); 2 merge conflicts to resolve; 3 files written but the dependency ' +
        'install failed.',
      HELP_WIDTH,
    ),
  ].join('\n');
}

/** Markdown table of every option, for the README (a test keeps README and table in sync). */
export function optionsMarkdown(): string {
  const lines = ['| option | flag | what it is |', '|---|---|---|'];
  for (const key of OPTION_KEYS) {
    const spec = OPTION_TABLE[key] as OptionSpec<unknown>;
    lines.push(`| \`${key}\` | \`${flagLabel(spec).replace(/\|/g, '\\|')}\` | ${spec.help.replace(/\|/g, '\\|')} |`);
  }
  return lines.join('\n');
}
