/**
 * The end of a run as the user reads it, for both doors: warnings, what happened to every file, the
 * canary's verdicts for these settings, then the next steps; with the exit code.
 */
import { EXIT } from '../pipeline.js';
import type { Resolution } from '../options/resolve.js';
import type { GenerateResult } from '../generate.js';
import { formatOutcomes } from '../regen/apply.js';
import { nextSteps } from './summary.js';
import type { InstallReport } from './install.js';

/** The end of a run for the user: what to print, in order, on which stream, and the exit code. */
export interface RunReport {
  readonly code: number;
  readonly output: ReadonlyArray<{ readonly stream: 'stdout' | 'stderr'; readonly text: string }>;
}

/** How the CLI introduces the docs' "Caught during the canary?" verdict. */
export const CAUGHT_LABEL = 'Caught during the canary (a fully broken release):';

/**
 * The first half of a run's report: warnings and what happened to every file. `code` is set when the
 * run ends here (dry run, conflicts); otherwise the next steps follow (after an install, in the CLI).
 */
export function reportFiles(
  resolution: Resolution,
  result: GenerateResult,
  dryRun: boolean,
): { readonly code?: number; readonly output: RunReport['output'] } {
  const output: Array<RunReport['output'][number]> = resolution.warnings.map((w) => ({
    stream: 'stderr',
    text: `warning: ${w}\n`,
  }));
  for (const n of result.notices) output.push({ stream: 'stdout', text: `${n}\n` });
  output.push({ stream: 'stdout', text: `${formatOutcomes(result.outcomes, { dryRun }).trimEnd()}\n` });
  // The rollback's detection power and timeline for these settings (src/model/detection-model.ts, timeline.ts), as the docs state them.
  output.push({
    stream: 'stdout',
    text: `\n${result.ctx.detection.summary}\n${CAUGHT_LABEL} ${result.ctx.timeline.caughtDuringCanary}.\n`,
  });
  const conflicts = result.conflicts.length;
  if (dryRun) return { code: conflicts ? EXIT.conflicts : EXIT.ok, output };
  if (conflicts) {
    output.push({
      stream: 'stderr',
      text: `create-canary-pipeline: ${conflicts} file(s) with merge conflicts (listed above).\n`,
    });
    return { code: EXIT.conflicts, output };
  }
  return { output };
}

/** How the next steps begin (tests find them by it). */
export const NEXT_STEPS = 'Next steps';

/** The second half: the next steps, and the exit code (3 when the dependency install failed). */
export function reportNextSteps(
  resolution: Resolution,
  result: GenerateResult,
  targetLabel: string,
  install?: InstallReport,
): RunReport {
  const label = targetLabel === '.' ? '' : `${targetLabel.replace(/\/$/, '')}/`;
  const steps = nextSteps(result.ctx, resolution.placeholders, label, install?.lockfileMissing ?? false);
  const head = `${NEXT_STEPS}, to paste line by line where you ran this (each "# N." is that step of docs/DEPLOYMENT.md, "First deployment"):`;
  return {
    code: install?.failed ? EXIT.installFailed : EXIT.ok,
    output: [{ stream: 'stdout', text: `\n${head}\n${steps.join('\n')}\n` }],
  };
}

/** Report a finished run without an install step (the Yeoman door): both halves. */
export function reportRun(
  resolution: Resolution,
  result: GenerateResult,
  opts: { dryRun: boolean; targetLabel: string },
): RunReport {
  const files = reportFiles(resolution, result, opts.dryRun);
  if (files.code !== undefined) return { code: files.code, output: files.output };
  const next = reportNextSteps(resolution, result, opts.targetLabel);
  return { code: next.code, output: [...files.output, ...next.output] };
}
