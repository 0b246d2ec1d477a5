/**
 * One generation run after options are resolved: render the plan, find the merge base, reconcile
 * with what is on disk, and (unless --dry-run) commit the change under the target's lock: journal
 * first, then the files, the upgrade base and `.yo-rc.json` last (see regen/commit.ts).
 */
import { dirname } from 'node:path';
import { buildContext, type RenderContext } from './context/build-context.js';
import type { ProjectFacts } from './detect/facts.js';
import { resolveOptions, type RawValues } from './options/resolve.js';
import { OPTION_KEYS, OPTION_TABLE, type Options } from './options/table.js';
import type { DefaultFacts, OptionSpec } from './options/spec.js';
import type { FileSpec, PlannedFile } from './plan/file-spec.js';
import { planFiles } from './plan/plan-files.js';
import { renderFile } from './plan/render.js';
import { producePlanned } from './plan/produce.js';
import { reconcile, type FileOutcome } from './regen/reconcile.js';
import { diskReader } from './regen/apply.js';
import { removeStaleTempFiles } from './regen/atomic-write.js';
import { BASE_STORE, readBaseStore, verifiedTexts, type StoreRead } from './regen/base-store.js';
import { commit } from './regen/commit.js';
import { checkWritable, preflight } from './regen/preflight.js';
import { SCHEMA_VERSION, STATE_DIR, STATE_FILE, type Manifest, type SavedState } from './regen/state.js';
import { enterTarget } from './regen/target.js';
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
  /** Options holding a built-in --example value, marked as such in .yo-rc.json. */
  readonly exampleValues?: readonly string[];
}

export interface GenerateResult {
  readonly ctx: RenderContext;
  readonly outcomes: readonly FileOutcome[];
  readonly conflicts: readonly string[];
  readonly wroteAnything: boolean;
  /** Lines for the run summary: generator upgrade, stale lock or temp files cleaned up, ignored upgrade base. */
  readonly notices: readonly string[];
}

/** Answers to persist: every saved option that has a value (placeholders are left out). */
export function answersToSave(options: Options): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of OPTION_KEYS) {
    if ((OPTION_TABLE[key] as OptionSpec<unknown>).saved && options[key] !== undefined) out[key] = options[key];
  }
  return out;
}

/** Re-render the saved answers with the CURRENT templates: a valid base only while the templates are unchanged. */
function rerenderedBase(saved: SavedState, facts: ProjectFacts, defaultFacts: DefaultFacts): Map<string, string> {
  try {
    const { options } = resolveOptions({
      flags: {},
      saved: saved.answers as RawValues,
      facts: defaultFacts,
      mode: 'yes',
    });
    const ctx = buildContext(options, facts);
    const base = new Map<string, string>();
    for (const spec of planFiles(ctx, facts)) if (spec.kind === 'managed') base.set(spec.path, renderFile(spec, ctx));
    return base;
  } catch {
    return new Map(); // unverifiable base: every edited file becomes a conflict, never an overwrite
  }
}

interface MergeBase {
  /** Candidate base per path; reconcile() uses one only when its hash equals the manifest's. */
  readonly base: Map<string, string>;
  /** Texts of the upgrade base that match the manifest. */
  readonly stored: Map<string, string>;
  readonly store: StoreRead;
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
function userEditedManaged(
  planned: readonly PlannedFile[],
  manifest: Manifest,
  readDisk: (path: string) => string | undefined,
): boolean {
  return planned.some((p) => {
    if (p.spec.kind !== 'managed' || !('text' in p)) return false;
    const disk = readDisk(p.spec.path);
    return disk !== undefined && disk !== p.text && manifest[p.spec.path]?.sha256 !== sha256(disk);
  });
}

/**
 * The base: what the generator really wrote last time, from the upgrade base; else (only when a managed
 * file was edited and some stored text is missing) a re-render of the saved answers.
 */
function mergeBase(input: GenerateInput, manifest: Manifest, edited: boolean): MergeBase {
  const store = readBaseStore(input.dir);
  const stored = verifiedTexts(store.store, manifest);
  const missing = Object.entries(manifest).some(([p, e]) => e.kind === 'managed' && !stored.has(p));
  const base =
    edited && missing && input.saved
      ? rerenderedBase(input.saved, input.facts, input.defaultFacts)
      : new Map<string, string>();
  for (const [path, text] of stored) base.set(path, text);
  return { base, stored, store };
}

/** The summary's line about a generator upgrade (or downgrade) since the last run. */
function versionNotice(saved: SavedState | undefined, manifest: Manifest, mb: MergeBase): string[] {
  if (!saved || saved.generatorVersion === GENERATOR_VERSION) return [];
  const managed = Object.values(manifest).filter((e) => e.kind === 'managed').length;
  const older = saved.generatorVersion.localeCompare(GENERATOR_VERSION, undefined, { numeric: true }) > 0;
  const head = `generator ${older ? 'downgraded' : 'upgraded'} from ${saved.generatorVersion} to ${GENERATOR_VERSION}`;
  const rest =
    mb.stored.size === managed
      ? `edited files are merged against what ${saved.generatorVersion} generated (kept in ${BASE_STORE})`
      : `${managed - mb.stored.size} of ${managed} managed file(s) have no verified base in ${BASE_STORE}, so an edit there is a conflict`;
  return [`${head}: ${rest}.`];
}

interface Reconciled {
  readonly planned: readonly PlannedFile[];
  readonly outcomes: FileOutcome[];
  readonly mb: MergeBase;
}

function reconcileRun(
  input: GenerateInput,
  ctx: RenderContext,
  specs: readonly FileSpec[],
  manifest: Manifest,
): Reconciled {
  const readDisk = cachedReader(input.dir);
  const planned = producePlanned(specs, ctx, input.facts, readDisk);
  const mb = mergeBase(input, manifest, userEditedManaged(planned, manifest, readDisk));
  const outcomes = reconcile(
    { dir: input.dir, planned, base: mb.base, manifest, force: input.force, diffs: input.dryRun },
    readDisk,
  );
  return { planned, outcomes, mb };
}

/** Temp files a killed run left beside the files this run may write. */
function cleanTemps(dir: string, paths: readonly string[]): string[] {
  const removed = removeStaleTempFiles(dir, ['.', STATE_DIR, ...paths.map((p) => dirname(p))]);
  return removed.length
    ? [`removed ${removed.length} temp file(s) an interrupted run left: ${removed.join(', ')}.`]
    : [];
}

function renders(planned: readonly PlannedFile[]): Map<string, string> {
  return new Map(
    planned.flatMap((p) => (p.spec.kind === 'managed' && 'text' in p ? [[p.spec.path, p.text] as const] : [])),
  );
}

/** Paths the outcomes write or delete (backups included). */
function changedPaths(outcomes: readonly FileOutcome[]): string[] {
  return outcomes.flatMap((o) =>
    o.text !== undefined || o.action === 'delete-orphan' ? [o.path, ...(o.backup ? [o.backup.path] : [])] : [],
  );
}

/** Run one generation. Writes nothing when dryRun is set. */
export function generate(input: GenerateInput): GenerateResult {
  const ctx = buildContext(input.options, input.facts);
  const specs = planFiles(ctx, input.facts);
  const manifest = input.saved?.manifest ?? {};
  const paths = [...specs.map((s) => s.path), ...Object.keys(manifest)];
  preflight(input.dir, [...paths, STATE_FILE, BASE_STORE]);
  if (input.dryRun) {
    const { outcomes, mb } = reconcileRun(input, ctx, specs, manifest);
    const notices = [...versionNotice(input.saved, manifest, mb), ...(mb.store.problem ? [mb.store.problem] : [])];
    return {
      ctx,
      outcomes,
      conflicts: outcomes.filter((o) => o.action === 'conflict').map((o) => o.path),
      wroteAnything: false,
      notices,
    };
  }
  const hold = enterTarget(input.dir, input.saved);
  try {
    const notices = [...hold.notices, ...cleanTemps(input.dir, paths)];
    const { planned, outcomes, mb } = reconcileRun(input, ctx, specs, manifest);
    notices.push(...versionNotice(input.saved, manifest, mb), ...(mb.store.problem ? [mb.store.problem] : []));
    checkWritable(input.dir, changedPaths(outcomes));
    const state = {
      schemaVersion: SCHEMA_VERSION,
      generatorVersion: GENERATOR_VERSION,
      answers: answersToSave(input.options),
      exampleValues: input.exampleValues,
    };
    const applied = commit({
      dir: input.dir,
      outcomes,
      previous: manifest,
      state,
      renders: renders(planned),
      previousBase: mb.stored,
      previousStore: mb.store,
    });
    return {
      ctx,
      outcomes: applied.outcomes,
      conflicts: applied.conflicts,
      wroteAnything: applied.wroteAnything,
      notices,
    };
  } finally {
    hold.release();
  }
}
