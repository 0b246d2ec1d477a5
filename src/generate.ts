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
import { reconcile, type FileOutcome, type PlannedFile } from './regen/reconcile.js';
import { applyOutcomes, diskReader } from './regen/apply.js';
import { SCHEMA_VERSION, writeSavedState, type SavedState } from './regen/state.js';
import type { Manifest } from './regen/state.js';
import { sha256 } from './regen/text.js';
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

/** Reads each file once per run (nothing is written before reconcile has decided). */
function cachedReader(dir: string): (path: string) => string | undefined {
  const read = diskReader(dir);
  const seen = new Map<string, string | undefined>();
  return (path) => {
    if (!seen.has(path)) seen.set(path, read(path));
    return seen.get(path);
  };
}

/**
 * Reconcile consults the merge base only for a managed file the user edited (on disk, neither the new
 * text nor what the manifest recorded). Without one, rendering the saved answers a second time is waste.
 */
function userEditedManaged(planned: readonly PlannedFile[], manifest: Manifest, readDisk: (path: string) => string | undefined): boolean {
  return planned.some((p) => {
    if (p.spec.kind !== 'managed' || !('text' in p)) return false;
    const disk = readDisk(p.spec.path);
    return disk !== undefined && disk !== p.text && manifest[p.spec.path]?.sha256 !== sha256(disk);
  });
}

/** Run one generation. Writes nothing when dryRun is set. */
export function generate(input: GenerateInput): GenerateResult {
  const ctx = buildContext(input.options, input.facts);
  const readDisk = cachedReader(input.dir);
  const planned = producePlanned(planFiles(ctx, input.facts), ctx, input.facts, readDisk);
  const manifest = input.saved?.manifest ?? {};
  const base = userEditedManaged(planned, manifest, readDisk) ? baseTexts(input.saved, input.facts, input.defaultFacts) : undefined;
  const outcomes = reconcile({ dir: input.dir, planned, base, manifest, force: input.force, diffs: input.dryRun }, readDisk);
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
