/**
 * One generation run after options are resolved: render the plan, compute the merge base from the
 * saved answers, reconcile with what is on disk, apply (unless --dry-run), persist state last.
 */
import { buildContext, type RenderContext } from './context/build-context.js';
import type { ProjectFacts } from './context/facts.js';
import { resolveOptions, type RawValues } from './options/resolve.js';
import { OPTION_KEYS, OPTION_TABLE, type Options } from './options/table.js';
import type { DefaultFacts, OptionSpec } from './options/spec.js';
import { planFiles } from './plan/plan-files.js';
import { renderFile } from './plan/render.js';
import { producePlanned } from './plan/produce.js';
import { reconcile, type FileOutcome } from './regen/reconcile.js';
import { applyOutcomes, diskReader } from './regen/apply.js';
import { SCHEMA_VERSION, writeSavedState, type SavedState } from './regen/state.js';
import { GENERATOR_VERSION } from './paths.js';

export interface GenerateInput {
  readonly dir: string;
  readonly options: Options;
  readonly facts: ProjectFacts;
  readonly defaultFacts: DefaultFacts;
  readonly saved?: SavedState;
  readonly dryRun: boolean;
  readonly force: boolean;
}

export interface GenerateResult {
  readonly ctx: RenderContext;
  readonly outcomes: readonly FileOutcome[];
  readonly conflicts: readonly string[];
  readonly wroteAnything: boolean;
}

/** Answers to persist: every saved option that has a value (placeholders are left out). */
export function answersToSave(options: Options): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of OPTION_KEYS) {
    if ((OPTION_TABLE[key] as OptionSpec<unknown>).saved && options[key] !== undefined) out[key] = options[key];
  }
  return out;
}

/** Render what the saved answers produced last time: the merge base. Undefined when not reproducible. */
function baseTexts(saved: SavedState | undefined, facts: ProjectFacts, defaultFacts: DefaultFacts): Map<string, string> | undefined {
  if (!saved || Object.keys(saved.manifest).length === 0) return undefined;
  try {
    const { options } = resolveOptions({ flags: {}, saved: saved.answers as RawValues, facts: defaultFacts, mode: 'yes' });
    const ctx = buildContext(options, facts);
    const base = new Map<string, string>();
    for (const spec of planFiles(ctx, facts)) if (spec.kind === 'managed') base.set(spec.path, renderFile(spec, ctx));
    return base;
  } catch {
    return undefined; // unverifiable base: every edited file becomes a conflict, never an overwrite
  }
}

/** Run one generation. Writes nothing when dryRun is set. */
export function generate(input: GenerateInput): GenerateResult {
  const ctx = buildContext(input.options, input.facts);
  const planned = producePlanned(planFiles(ctx, input.facts), ctx, input.facts, diskReader(input.dir));
  const manifest = input.saved?.manifest ?? {};
  const outcomes = reconcile(
    { dir: input.dir, planned, base: baseTexts(input.saved, input.facts, input.defaultFacts), manifest, force: input.force },
    diskReader(input.dir),
  );
  if (input.dryRun) {
    const conflicts = outcomes.filter((o) => o.action === 'conflict').map((o) => o.path);
    return { ctx, outcomes, conflicts, wroteAnything: false };
  }
  const applied = applyOutcomes(input.dir, outcomes, manifest);
  const state: SavedState = {
    schemaVersion: SCHEMA_VERSION,
    generatorVersion: GENERATOR_VERSION,
    answers: answersToSave(input.options),
    manifest: applied.manifest,
  };
  writeSavedState(input.dir, state);
  return { ctx, outcomes: applied.outcomes, conflicts: applied.conflicts, wroteAnything: applied.wroteAnything };
}
