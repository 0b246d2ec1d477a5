/**
 * What an interactive run is about to write, shown before the confirm: the files by action, the canary's
 * detection verdict and the monthly cost (both computed once in src/context), and the TODOs left.
 */
import { generate, type GenerateInput, type GenerateResult } from '../generate.js';
import type { Ask } from './prompt.js';
import type { Action } from '../regen/reconcile.js';
import type { AccountSpecificKey } from '../options/table.js';
import { TFVARS_NAMES } from './summary.js';

// What each action does to the disk, in the order the summary lists them; the others change nothing.
const WRITES: ReadonlyArray<readonly [Action, string]> = [
  ['create', 'new'],
  ['update', 'updated'],
  ['merged', 'merged with your edits'],
  ['forced', 'overwritten (yours kept as .orig)'],
  ['patch', 'patched'],
  ['delete-orphan', 'deleted'],
  ['conflict', 'with merge conflicts'],
];

/** How many files the run changes on disk (or leaves in conflict). */
export function changedFiles(dry: GenerateResult): number {
  return dry.outcomes.filter((o) => WRITES.some(([action]) => action === o.action)).length;
}

/** The summary lines (no trailing newline). `targetLabel` names the folder as the user gave it. */
export function previewLines(
  dry: GenerateResult,
  placeholders: readonly AccountSpecificKey[],
  targetLabel: string,
): string[] {
  const counts = WRITES.map(
    ([action, label]) => [dry.outcomes.filter((o) => o.action === action).length, label] as const,
  ).filter(([n]) => n > 0);
  const changed = counts.reduce((sum, [n]) => sum + n, 0);
  const files =
    changed === 0 ? 'no file changes' : `${changed} file(s): ${counts.map(([n, label]) => `${n} ${label}`).join(', ')}`;
  const cost = dry.ctx.cost;
  return [
    '',
    `About to write into ${targetLabel === '.' ? 'the current folder' : targetLabel}: ${files}.`,
    `Canary: ${dry.ctx.detection.summary}`,
    `Cost: about ${cost.totalUsd.toFixed(2)} USD a month (${cost.region} prices as of ${cost.asOf}; the lines are in docs/DEPLOYMENT.md).`,
    ...(placeholders.length
      ? [`Left as TODO in terraform/terraform.tfvars: ${placeholders.map((k) => TFVARS_NAMES[k]).join(', ')}.`]
      : []),
  ];
}

/**
 * Show what the run will write (a dry run of the same input) and ask before writing it; true to write.
 * Both doors call it (the CLI, generators/app) with their own `say` and `ask`.
 */
export async function confirmWrite(
  input: GenerateInput,
  placeholders: readonly AccountSpecificKey[],
  targetLabel: string,
  say: (line: string) => void,
  ask: Ask,
): Promise<boolean> {
  const dry = generate({ ...input, dryRun: true });
  if (changedFiles(dry) === 0) return true; // nothing to write: the run only says so
  for (const line of previewLines(dry, placeholders, targetLabel)) say(line);
  return (
    (await ask({ type: 'confirm', name: 'writeFiles', message: 'Write these files?', default: true }, {})) === true
  );
}
