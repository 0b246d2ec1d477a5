/**
 * The CLI: parse, decide the mode, resolve what can be resolved before any I/O, run the Yeoman
 * generator, report. Returns the exit code; only the bin calls process.exit.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, relative, resolve } from 'node:path';
import { parseCli } from './args.js';
import { helpText } from './help.js';
import { nextSteps } from './summary.js';
import { checkFlags, InvalidOptionsError, resolveOptions, type RawValues } from '../options/resolve.js';
import { exampleFlags } from '../options/example.js';
import { detectProject, describeFacts } from '../detect/index.js';
import { newRepoFacts, type ProjectFacts } from '../context/facts.js';
import type { DefaultFacts } from '../options/spec.js';
import { readSavedState, type SavedState } from '../regen/state.js';
import { formatOutcomes } from '../regen/apply.js';
import { GENERATOR_VERSION } from '../paths.js';
import { UserError } from '../errors.js';
import type { GeneratorRun } from '../../generators/app/index.js';

/** Streams and environment of one CLI run (injectable for tests). */
export interface CliIO {
  readonly cwd: string;
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
  /** Prompt adapter override (tests); the default is a terminal adapter on stdin/stdout. */
  readonly adapter?: unknown;
}

/** Exit codes. */
export const EXIT = { ok: 0, invalid: 1, conflicts: 2 } as const;

function toDefaultFacts(f: ProjectFacts): DefaultFacts {
  return {
    packageName: f.packageName, folderName: f.folderName, githubRepo: f.githubRepo, nodeMajor: f.nodeMajor,
    hasDatabaseClient: f.mode === 'adopt' ? f.databaseClient !== undefined : undefined,
    hasCacheClient: f.mode === 'adopt' ? f.cacheClient !== undefined : undefined,
    typescript: f.typescript, listenPort: f.mode === 'adopt' ? f.listenPort : undefined,
  };
}

function printProblems(io: CliIO, err: InvalidOptionsError): number {
  io.stderr.write(`create-canary-pipeline: nothing was written. Fix ${err.problems.length === 1 ? 'this' : 'these'}:\n`);
  for (const p of err.problems) io.stderr.write(`  - ${p.message}\n`);
  return EXIT.invalid;
}

/** Run the CLI with argv (no node/script). */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  try {
    return await runUnsafe(argv, io);
  } catch (err) {
    if (err instanceof InvalidOptionsError) return printProblems(io, err);
    if (err instanceof Error && (err.name === 'ExitPromptError' || err.name === 'AbortPromptError')) {
      io.stderr.write('\nAborted. Nothing was written.\n');
      return EXIT.invalid;
    }
    if (err instanceof UserError || (err instanceof Error && err.name === 'ApplyError')) {
      io.stderr.write(`create-canary-pipeline: ${err.message}\n`);
      return EXIT.invalid;
    }
    throw err;
  }
}

async function runUnsafe(argv: readonly string[], io: CliIO): Promise<number> {
  const args = parseCli(argv);
  if (args.help) return void io.stdout.write(`${helpText(GENERATOR_VERSION)}\n`), EXIT.ok;
  if (args.version) return void io.stdout.write(`${GENERATOR_VERSION}\n`), EXIT.ok;
  const dir = resolve(io.cwd, args.targetDir);
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    throw new InvalidOptionsError([{ key: 'combination', message: `target ${args.targetDir} exists and is not a directory` }]);
  }
  const saved = readSaved(dir);
  const facts = projectFacts(dir, saved);
  const defaultFacts = toDefaultFacts(facts);
  const flags: RawValues = args.example ? { ...exampleFlags(args.flags.region as string | undefined), ...args.flags } : args.flags;
  const interactive = Boolean(io.stdin.isTTY && io.stdout.isTTY) && !args.yes && !args.noInteractive && !io.env.CI;
  const mode = args.yes ? 'yes' : 'strict';
  const run: GeneratorRun = {
    dir, flags, saved, savedFile: relative(io.cwd, resolve(dir, '.yo-rc.json')) || '.yo-rc.json', facts, defaultFacts,
    interactive, mode, dryRun: args.dryRun, force: args.force,
  };
  if (facts.mode === 'adopt') {
    for (const line of describeFacts(facts)) io.stdout.write(`${line}\n`);
    if (args.flags.language !== undefined) {
      io.stderr.write(`warning: --language is ignored in an existing service: added files follow its ${facts.typescript ? 'TypeScript' : 'JavaScript'}.\n`);
    }
  }
  if (!interactive) {
    // Resolve before Yeoman loads: every problem at once, nothing written, no prompt ever reached.
    resolveOptions({ flags, saved: saved?.answers as RawValues | undefined, savedFile: run.savedFile, facts: defaultFacts, mode });
  } else {
    checkFlags(flags); // before any question: a bad flag is not worth answering sixteen prompts for
  }
  await runGenerator(run, io);
  if (run.aborted) throw run.aborted;
  if (run.invalid) throw run.invalid;
  return report(run, io, args.targetDir);
}

/**
 * Facts of the target. A service this generator created itself (it wrote package.json as a seed) stays
 * in new-repo mode on re-runs, although it now looks like an existing Express service.
 */
function projectFacts(dir: string, saved: SavedState | undefined): ProjectFacts {
  if (!existsSync(dir)) return newRepoFacts(basename(dir));
  const detected = detectProject(dir);
  if (saved?.manifest['package.json']?.kind !== 'seed') return detected;
  return { ...newRepoFacts(detected.folderName, detected.githubRepo), packageName: detected.packageName };
}

function readSaved(dir: string): ReturnType<typeof readSavedState> {
  try {
    return readSavedState(dir);
  } catch (err) {
    throw new UserError(`${(err as Error).message} Fix or delete it, then re-run. Nothing was written.`, { cause: err });
  }
}

async function runGenerator(run: GeneratorRun, io: CliIO): Promise<void> {
  // Loaded lazily: yeoman-environment is by far the slowest import, and --help or an invalid flag needs none of it.
  const [{ createEnv }, { TerminalAdapter }, { default: CanaryPipelineGenerator }] = await Promise.all([
    import('yeoman-environment'), import('@yeoman/adapter'), import('../../generators/app/index.js'),
  ]);
  const adapter = io.adapter ?? new TerminalAdapter({ stdin: io.stdin as never, stdout: io.stdout as never, stderr: io.stderr as never });
  const env = createEnv({ cwd: run.dir, adapter, skipInstall: true, force: true } as never);
  env.register(CanaryPipelineGenerator as never, { namespace: 'canary-pipeline:app' } as never);
  await env.run(['canary-pipeline:app'], { job: run, skipInstall: true, force: true } as never);
}

function report(run: GeneratorRun, io: CliIO, targetDir: string): number {
  const result = run.result;
  const resolution = run.resolution;
  if (!result || !resolution) throw new Error('generator finished without a result');
  for (const w of resolution.warnings) io.stderr.write(`warning: ${w}\n`);
  io.stdout.write(`${formatOutcomes(result.outcomes, { dryRun: run.dryRun }).trimEnd()}\n`);
  if (run.dryRun) return result.conflicts.length ? EXIT.conflicts : EXIT.ok;
  if (result.conflicts.length) {
    io.stderr.write(`create-canary-pipeline: ${result.conflicts.length} file(s) with merge conflicts (listed above).\n`);
    return EXIT.conflicts;
  }
  const label = targetDir === '.' ? '' : `${targetDir.replace(/\/$/, '')}/`;
  io.stdout.write(`\nNext steps:\n${nextSteps(result.ctx, resolution.placeholders, label).join('\n')}\n`);
  return EXIT.ok;
}
