/** --help text and the README options table, both derived from the option table. */
import { OPTION_KEYS, OPTION_TABLE } from '../options/table.js';
import type { OptionSpec } from '../options/spec.js';
import { CLI_SWITCHES } from './args.js';

function flagLabel(spec: OptionSpec<unknown>): string {
  const main = spec.kind === 'boolean' ? `--${spec.flag}` : `--${spec.flag} ${spec.valueName ?? '<value>'}`;
  return spec.negatedFlag ? `${main} | --${spec.negatedFlag}` : main;
}

/** The full --help text. */
export function helpText(version: string): string {
  const rows = OPTION_KEYS.map((k) => {
    const spec = OPTION_TABLE[k] as OptionSpec<unknown>;
    return [flagLabel(spec), spec.help] as const;
  });
  const switches = CLI_SWITCHES.map((s) => [`${'short' in s ? `-${s.short}, ` : ''}--${s.flag}`, s.help] as const);
  const width = Math.max(...[...rows, ...switches].map(([l]) => l.length)) + 2;
  const fmt = ([l, h]: readonly [string, string]): string => `  ${l.padEnd(width)}${h}`;
  return [
    `create-canary-pipeline ${version}`,
    '',
    'Render a GitHub Actions → ECR → ECS Fargate canary pipeline (Terraform, Dockerfile, health endpoint,',
    'migration task) into a repository: a new one, an existing Express service, or again after changing options.',
    '',
    'Usage: npm create canary-pipeline [target-dir] -- [options]',
    '       create-canary-pipeline [target-dir] [options]        (target-dir defaults to .)',
    '',
    'Options of the generated stack (prompted for when interactive):',
    ...rows.map(fmt),
    '',
    'Run modes:',
    ...switches.map(fmt),
    '',
    'Interactive only when stdin and stdout are terminals and neither --yes nor --no-interactive is given (and CI is unset).',
    'Exit codes: 0 done; 1 invalid or missing options, another run in progress, or a target that cannot take the files',
    '(nothing written); 2 merge conflicts to resolve; 3 files written but the dependency install failed.',
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
