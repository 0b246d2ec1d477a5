/**
 * The Yeoman generator: I/O only. Each lifecycle step maps to one call of the pure pipeline:
 * prompting → ask what is missing; configuring → resolveOptions; writing → generate (render,
 * reconcile with disk, apply, persist state last). Inputs arrive from the CLI in `options.job`.
 */
import Generator from 'yeoman-generator';
import type { ProjectFacts } from '../../src/context/facts.js';
import { buildQuestions } from '../../src/cli/questions.js';
import { InvalidOptionsError, keysToPrompt, resolveOptions, type RawValues, type Resolution } from '../../src/options/resolve.js';
import type { DefaultFacts } from '../../src/options/spec.js';
import type { SavedState } from '../../src/regen/state.js';
import { generate, type GenerateResult } from '../../src/generate.js';
import { UserError } from '../../src/errors.js';

/** What the CLI hands the generator, and where the generator leaves its result. */
export interface GeneratorRun {
  readonly dir: string;
  readonly flags: RawValues;
  readonly saved?: SavedState;
  readonly savedFile: string;
  readonly facts: ProjectFacts;
  readonly defaultFacts: DefaultFacts;
  readonly interactive: boolean;
  readonly mode: 'yes' | 'strict';
  readonly dryRun: boolean;
  readonly force: boolean;
  /** Filled by the generator. */
  resolution?: Resolution;
  /** Set instead of `resolution` when the answers are invalid (reported by the CLI, not by Yeoman). */
  invalid?: InvalidOptionsError;
  /** Set when the user aborted a prompt (Ctrl-C). */
  aborted?: Error;
  /** A user error while writing (target not writable, another run in progress): reported by the CLI. */
  failed?: Error;
  result?: GenerateResult;
}

export default class CanaryPipelineGenerator extends Generator {
  private readonly job: GeneratorRun;
  private answers: RawValues = {};

  constructor(args: string[], options: Record<string, unknown>) {
    // customInstallTask: this generator never runs a package manager (and Yeoman stays quiet about it).
    super(args, options as never, { customInstallTask: true } as never);
    this.job = options.job as GeneratorRun;
  }

  async prompting(): Promise<void> {
    // Non-interactive runs never prompt (inquirer without a TTY would exit 0 silently): the CLI has
    // already resolved every option, and configuring() re-checks them with defaults for the rest.
    if (!this.job.interactive) return;
    const savedAnswers = this.job.saved?.answers as RawValues | undefined;
    const keys = keysToPrompt(this.job.flags, savedAnswers);
    if (keys.length === 0) return;
    const known = { ...savedAnswers, ...this.job.flags };
    try {
      this.answers = (await this.prompt(buildQuestions(keys, known, this.job.defaultFacts) as never)) as RawValues;
    } catch (err) {
      // Ctrl-C: end quietly (no Yeoman task error); the CLI reports it and exits 1.
      if (!(err instanceof Error && (err.name === 'ExitPromptError' || err.name === 'AbortPromptError'))) throw err;
      this.job.aborted = err;
    }
  }

  configuring(): void {
    if (this.job.aborted) return;
    try {
      this.job.resolution = this.resolve();
    } catch (err) {
      if (!(err instanceof InvalidOptionsError)) throw err;
      this.job.invalid = err;
    }
  }

  private resolve(): Resolution {
    return resolveOptions({
      flags: this.job.flags,
      answers: this.answers,
      saved: this.job.saved?.answers as RawValues | undefined,
      savedFile: this.job.savedFile,
      facts: this.job.defaultFacts,
      mode: this.job.mode,
    });
  }

  writing(): void {
    const resolution = this.job.resolution;
    if (!resolution) return; // invalid options: nothing is written, the CLI reports why

    try {
      this.job.result = generateFor(this.job, resolution);
    } catch (err) {
      // Not a Yeoman task error: the CLI prints it in one line and exits 1 (a bug still shows its stack).
      if (!(err instanceof UserError)) throw err;
      this.job.failed = err;
    }
  }
}

/** Outside the class: Yeoman runs every method of a generator as a task. */
function generateFor(job: GeneratorRun, resolution: Resolution): GenerateResult {
  return generate({
    dir: job.dir,
    options: resolution.options,
    facts: job.facts,
    defaultFacts: job.defaultFacts,
    saved: job.saved,
    dryRun: job.dryRun,
    force: job.force,
  });
}
