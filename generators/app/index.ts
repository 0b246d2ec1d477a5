/**
 * The Yeoman door (`yo ./node_modules/create-canary-pipeline/generators/app`, or composeWith): the same
 * pipeline as the `npm create` bin, one step per lifecycle method — initializing → loadTarget;
 * prompting → the CLI's interactive flow (askQuestions: essentials, the gate, AWS choices) through Yeoman's
 * prompt; configuring → resolveRun; writing → the summary and confirm (confirmWrite), then generate; end → reportRun.
 * Yeoman is an optional peer dependency: nothing on the `npm create` path loads this file.
 */
import Generator, { type BaseOptions } from 'yeoman-generator';
import {
  askQuestions,
  awsOffers,
  checkFlags,
  CLI_SWITCHES,
  confirmWrite,
  EXIT,
  exampleOutcome,
  generate,
  loadTarget,
  OPTION_KEYS,
  OPTION_TABLE,
  promptModuleAsk,
  questionsToAsk,
  reportRun,
  resolveRun,
  targetNotices,
  UserError,
  withExample,
  type Ask,
  type GenerateResult,
  type OptionSpec,
  type PromptModule,
  type RawValues,
  type Resolution,
  type RunReport,
  type Target,
} from '../../src/index.js';

/** What a finished run produced (read it from the generator instance, e.g. yeoman-test's `result.generator`). */
export interface CanaryPipelineResult {
  readonly resolution: Resolution;
  readonly generated: GenerateResult;
  /** What `end` prints, and the exit code the CLI would return (0 done, 2 merge conflicts). */
  readonly report: RunReport;
}

/** The CLI's run-mode switches that mean something here, as Yeoman options (`no-interactive` → `interactive`). */
const SWITCHES = CLI_SWITCHES.filter((s) => s.flag !== 'help' && s.flag !== 'version').map((s) => ({
  name: s.flag.replace(/^no-/, ''),
  description: s.flag.startsWith('no-') ? `--${s.flag}: ${s.help}` : s.help,
}));

export default class CanaryPipelineGenerator extends Generator {
  #target?: Target;
  #answers: RawValues = {};
  #resolution?: Resolution;
  #exampleValues: readonly string[] = [];
  #result?: CanaryPipelineResult;

  constructor(args?: string[], options?: BaseOptions) {
    // customInstallTask: this generator never runs a package manager (and Yeoman stays quiet about it).
    super(args, options, { customInstallTask: true });
    for (const key of OPTION_KEYS) {
      const spec = OPTION_TABLE[key] as OptionSpec<unknown>;
      this.option(spec.flag, { type: spec.kind === 'boolean' ? Boolean : String, description: spec.help });
      // Yeoman reads --no-<name> as <name>=false; the table's other negated flags (--no-slack) become such a switch.
      if (spec.negatedFlag && spec.kind !== 'boolean')
        this.option(spec.negatedFlag.replace(/^no-/, ''), {
          type: Boolean,
          description: `--${spec.negatedFlag}: see --${spec.flag}`,
        });
    }
    for (const { name, description } of SWITCHES) this.option(name, { type: Boolean, description });
  }

  /** The result of the run once `writing` has finished; undefined before, and when the files were not confirmed. */
  get result(): CanaryPipelineResult | undefined {
    return this.#result;
  }

  /** One option as Yeoman parsed it (`--no-x` gives x = false), by flag name. */
  private opt(name: string): unknown {
    return (this.options as Record<string, unknown>)[name];
  }

  /** Option values as the table's raw values; the table's validators judge them (Yeoman's coercion does not). */
  private flags(): RawValues {
    const flags: Partial<Record<string, unknown>> = {};
    for (const key of OPTION_KEYS) {
      const spec = OPTION_TABLE[key] as OptionSpec<unknown>;
      const given = this.opt(spec.flag);
      const negated =
        spec.negatedFlag && spec.kind !== 'boolean' && this.opt(spec.negatedFlag.replace(/^no-/, '')) === false;
      if (negated) flags[key] = spec.negatedValue === undefined ? null : spec.negatedValue;
      else if (given !== undefined && given !== '') flags[key] = given;
    }
    return flags as RawValues;
  }

  /** The flags with the --example values that apply (only what nothing else fills), and the options they fill. */
  private exampleFlags(): ReturnType<typeof withExample> {
    return withExample(this.#target!, this.flags(), this.opt('example') === true);
  }

  private get interactive(): boolean {
    if (this.opt('yes')) return false;
    return (this.opt('interactive') as boolean | undefined) ?? (Boolean(process.stdin.isTTY) && !process.env.CI);
  }

  initializing(): void {
    this.#target = loadTarget(this.destinationRoot(), {
      savedFile: '.yo-rc.json',
      targetLabel: '.',
      flags: this.flags(),
      env: process.env,
    });
    const notices = targetNotices(this.#target, this.flags());
    for (const line of notices.info) this.log(line);
    for (const w of notices.warnings) this.log(`warning: ${w}`);
  }

  /** The CLI's questions through Yeoman's prompt (its adapter: a terminal, or yeoman-test's answers). A #method: Yeoman would run a public one as a task. */
  #ask(): Ask {
    return promptModuleAsk(this.prompt.bind(this) as unknown as PromptModule);
  }

  private readonly say = (line: string): void => void this.log(line);

  async prompting(): Promise<void> {
    // Without a terminal inquirer would end the process silently with code 0 at the first question: never prompt then.
    if (!this.interactive) return;
    const { flags } = this.exampleFlags();
    checkFlags(flags); // a bad flag is reported before any question
    // The same flow as `npm create`: essentials, "Customize advanced settings?", the AWS look-ups as choices.
    const questions = questionsToAsk(this.#target!, flags, {
      askAgain: this.opt('ask') === true,
      offers: awsOffers(process.env, this.say),
    });
    this.#answers = await askQuestions(questions, this.#ask(), this.say);
  }

  configuring(): void {
    // An account value skipped at its question becomes a TODO, as with --yes.
    const { flags, used } = this.exampleFlags();
    this.#resolution = resolveRun(
      this.#target!,
      flags,
      this.#answers,
      this.opt('yes') || this.interactive ? 'yes' : 'strict',
    );
    const example = exampleOutcome(this.#target!, used, this.#resolution);
    if (example.warning) this.log(`warning: ${example.warning}`);
    this.#exampleValues = example.marks;
  }

  async writing(): Promise<void> {
    const target = this.#target!;
    const resolution = this.#resolution!;
    const dryRun = this.opt('dry-run') === true;
    const input = {
      dir: target.dir,
      options: resolution.options,
      facts: target.facts,
      defaultFacts: target.defaultFacts,
      saved: target.saved,
      dryRun,
      force: this.opt('force') === true,
      exampleValues: this.#exampleValues,
    };
    // The summary (files, canary verdict, cost, TODOs) and "Write these files?", as the CLI shows them.
    if (
      this.interactive &&
      !dryRun &&
      !(await confirmWrite(input, resolution.placeholders, '.', this.say, this.#ask()))
    ) {
      this.log('Nothing was written.');
      return;
    }
    const generated = generate(input);
    const report = reportRun(resolution, generated, { dryRun, targetLabel: '.' });
    this.#result = { resolution, generated, report };
  }

  end(): void {
    if (!this.#result) return; // the files were not confirmed: nothing was written
    const { generated, report } = this.#result;
    for (const { text } of report.output) this.log(text.replace(/\n$/, ''));
    // Merge conflicts: fail the run, as the CLI does with exit code 2.
    if (report.code !== EXIT.ok)
      throw new UserError(
        `${generated.conflicts.length} file(s) with merge conflicts: ${generated.conflicts.join(', ')}`,
      );
  }
}
