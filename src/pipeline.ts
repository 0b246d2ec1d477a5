/**
 * The steps both doors run, in order: the `npm create` bin (src/cli/run.ts) and the Yeoman generator
 * (generators/app). Neither door holds logic of its own; each calls these and does its own I/O.
 *
 *   loadTarget → targetNotices → questionsToAsk (interactive only; cli/target-questions.ts) → resolveRun
 *   → generate → reportRun (cli/report.ts)
 */
import { existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { newRepoFacts, type NewRepoPackageManager, type ProjectFacts } from './detect/facts.js';
import { detectProject, describeFacts, toDefaultFacts } from './detect/index.js';
import { readGithubRepo } from './detect/git.js';
import { parseManifest } from './detect/manifest.js';
import { ownServicePackageManager } from './detect/install.js';
import { detectGithubIds } from './detect/github-ids.js';
import { readText } from './detect/read.js';
import { InvalidOptionsError, resolveOptions, type RawValues, type Resolution } from './options/resolve.js';
import type { DefaultFacts } from './options/spec.js';
import { exampleDefaults, exampleMarks, exampleWarning, type ExampleBasis } from './options/example.js';
import { readSavedState, type SavedState } from './regen/state.js';
import { NODE_LTS_LINES, type OptionKey } from './options/table.js';
import { UserError } from './errors.js';

export { generate, type GenerateResult } from './generate.js';

/** Exit codes (the CLI's; the Yeoman door reports the same outcome through its result). */
export const EXIT = { ok: 0, invalid: 1, conflicts: 2, installFailed: 3 } as const;

/** What is known about the target folder before any question: saved state and detected facts. */
export interface Target {
  readonly dir: string;
  readonly saved?: SavedState;
  /** `.yo-rc.json` as the user names it (relative to where they ran the command), for messages. */
  readonly savedFile: string;
  readonly facts: ProjectFacts;
  readonly defaultFacts: DefaultFacts;
}

function readSaved(dir: string): SavedState | undefined {
  try {
    return readSavedState(dir);
  } catch (err) {
    throw new UserError(`${(err as Error).message} Fix or delete it, then re-run. Nothing was written.`, {
      cause: err,
    });
  }
}

/**
 * Facts of the target. A service this generator created itself (it wrote package.json as a seed) stays
 * in new-repo mode on re-runs, although it now looks like an existing Express service. A new repo uses
 * the package manager that ran us (`invoker`); a re-run keeps the one its lockfile or "packageManager" names.
 */
function projectFacts(dir: string, saved: SavedState | undefined, invoker: NewRepoPackageManager): ProjectFacts {
  if (!existsSync(dir)) return newRepoFacts(basename(dir), undefined, invoker);
  if (saved?.manifest['package.json']?.kind !== 'seed') {
    const detected = detectProject(dir);
    return detected.mode === 'new' ? newRepoFacts(detected.folderName, detected.githubRepo, invoker) : detected;
  }
  // Our own service: its code needs no detection (nor the parser), only the package name and manager.
  const text = readText(dir, 'package.json');
  let manifest: ReturnType<typeof parseManifest> | undefined;
  try {
    manifest = text === undefined ? undefined : parseManifest(text);
  } catch (err) {
    throw new UserError(`${(err as Error).message}. Fix package.json, then re-run. Nothing was written.`, {
      cause: err,
    });
  }
  return {
    ...newRepoFacts(basename(dir), readGithubRepo(dir), ownServicePackageManager(dir, manifest?.packageManager)),
    packageName: manifest?.name,
  };
}

/**
 * Ask gh for the owner and repository ids only when they are not given and the repository is known
 * (flag, saved answer or origin remote): a re-run with saved ids never calls gh.
 */
function githubIdsToDetect(
  flags: RawValues,
  saved: SavedState | undefined,
  facts: ProjectFacts,
  env: NodeJS.ProcessEnv,
): DefaultFacts['githubIds'] {
  const answers = (saved?.answers ?? {}) as RawValues;
  const known = (key: 'githubOwnerId' | 'githubRepoId'): boolean =>
    flags[key] !== undefined || answers[key] !== undefined;
  if (known('githubOwnerId') && known('githubRepoId')) return undefined;
  const repo = flags.githubRepo ?? answers.githubRepo ?? facts.githubRepo;
  return detectGithubIds(typeof repo === 'string' ? repo.trim() : undefined, env);
}

/** What loadTarget needs to know about the run beyond the folder. */
export interface TargetContext {
  /** `.yo-rc.json` as the user names it, for messages. */
  readonly savedFile: string;
  /** The target as the user named it, for messages. */
  readonly targetLabel?: string;
  /** The package manager that ran us (npm_config_user_agent); npm when unknown. */
  readonly invoker?: NewRepoPackageManager;
  /** Flags of the run: ids given there are not looked up with gh. */
  readonly flags?: RawValues;
  /** Environment for the gh look-up; without it, gh is never asked. */
  readonly env?: NodeJS.ProcessEnv;
}

/** Read the saved state and detect the project in `dir` (absolute). Throws user errors only for bad input. */
export function loadTarget(dir: string, run: TargetContext): Target {
  const targetLabel = run.targetLabel ?? dir;
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    throw new InvalidOptionsError([
      { key: 'combination', message: `target ${targetLabel} exists and is not a directory` },
    ]);
  }
  const saved = readSaved(dir);
  const facts = projectFacts(dir, saved, run.invoker ?? { pm: 'npm' });
  const answers = saved?.answers ?? {};
  const defaultFacts: DefaultFacts = {
    ...toDefaultFacts(facts),
    githubIds: run.env ? githubIdsToDetect(run.flags ?? {}, saved, facts, run.env) : undefined,
    savedWithoutStagingStrategy: Object.keys(answers).length > 0 && answers.stagingStrategy === undefined,
  };
  return { dir, saved, savedFile: run.savedFile, facts, defaultFacts };
}

function exampleBasis(target: Target): ExampleBasis {
  return {
    packageName: target.defaultFacts.packageName,
    githubRepo: target.defaultFacts.githubRepo,
    saved: target.saved,
  };
}

/**
 * The flags of a run with --example: its values fill only what nothing else does (detected, saved,
 * given). `used` lists the options an example value filled.
 */
export function withExample(
  target: Target,
  given: RawValues,
  example: boolean,
): { readonly flags: RawValues; readonly used: readonly string[] } {
  if (!example) return { flags: given, used: [] };
  const values = exampleDefaults(exampleBasis(target), given.region as string | undefined);
  return {
    flags: { ...values, ...given },
    used: Object.keys(values).filter((k) => given[k as OptionKey] === undefined),
  };
}

/** The options to mark as example values in .yo-rc.json, and the warning for those a previous run marked. */
export function exampleOutcome(
  target: Target,
  used: readonly string[],
  resolution: Resolution,
): { readonly marks: string[]; readonly warning?: string } {
  const marks = exampleMarks(exampleBasis(target), used, resolution.options as unknown as Record<string, unknown>);
  // Warned from the run after the one that used them: that one asked for them.
  return { marks, warning: exampleWarning(marks.filter((k) => target.saved?.exampleValues?.includes(k))) };
}

/** What to tell the user about the target before asking: detected facts (info) and warnings. */
export function targetNotices(
  target: Target,
  flags: RawValues,
): { readonly info: string[]; readonly warnings: string[] } {
  if (target.facts.mode !== 'adopt') return { info: [], warnings: [] };
  const warnings =
    flags.language === undefined
      ? []
      : [
          `--language is ignored in an existing service: added files follow its ${target.facts.typescript ? 'TypeScript' : 'JavaScript'}.`,
        ];
  const savedNode = target.saved?.answers?.nodeVersion;
  const valid = (v: unknown): v is string => typeof v === 'string' && (NODE_LTS_LINES as readonly string[]).includes(v);
  const chosen = valid(flags.nodeVersion)
    ? { version: flags.nodeVersion, from: '--node-version' }
    : valid(savedNode)
      ? { version: savedNode, from: 'saved in .yo-rc.json' }
      : undefined;
  return { info: describeFacts(target.facts, chosen), warnings };
}

/** Resolve every option once: flags > answers > saved answers > defaults. Throws InvalidOptionsError with every problem. */
export function resolveRun(target: Target, flags: RawValues, answers: RawValues, mode: 'yes' | 'strict'): Resolution {
  return resolveOptions({
    flags,
    answers,
    saved: target.saved?.answers as RawValues | undefined,
    savedFile: target.savedFile,
    facts: target.defaultFacts,
    mode,
  });
}
