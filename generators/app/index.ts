/**
 * The Yeoman door (`yo ./node_modules/create-canary-pipeline/generators/app`, or composeWith): the same
 * pipeline as the `npm create` bin, one step per lifecycle method — initializing → loadTarget;
 * prompting → the missing answers; configuring → resolveRun; writing → generate; end → reportRun.
 * Yeoman is an optional peer dependency: nothing on the `npm create` path loads this file.
 */
import Generator, { type BaseOptions } from 'yeoman-generator';
import {
  checkFlags, CLI_SWITCHES, EXIT, exampleOutcome, generate, loadTarget, OPTION_KEYS, OPTION_TABLE, questionsToAsk, reportRun, resolveRun, targetNotices, UserError, withExample,
  type GenerateResult, type OptionSpec, type RawValues, type Resolution, type RunReport, type Target,
} from '../../src/index.js';

/** What a finished run produced (read it from the generator instance, e.g. yeoman-test's `result.generator`). */
export interface CanaryPipelineResult {
  readonly resolution: Resolution;
  readonly generated: GenerateResult;
  /** What `end` prints, and the exit code the CLI would return (0 done, 2 merge conflicts). */
  readonly report: RunReport;
}

/** The CLI's run-mode switches that mean something here, as Yeoman options (`no-interactive` → `interactive`). */
const SWITCHES = CLI_SWITCHES.filter((s) => s.flag !== 'help' && s.flag !== 'version')
  .map((s) => ({ name: s.flag.replace(/^no-/, ''), description: s.flag.startsWith('no-') ? `--${s.flag}: ${s.help}` : s.help }));

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
      if (spec.negatedFlag && spec.kind !== 'boolean') this.option(spec.negatedFlag.replace(/^no-/, ''), { type: Boolean, description: `--${spec.negatedFlag}: see --${spec.flag}` });
    }
    for (const { name, description } of SWITCHES) this.option(name, { type: Boolean, description });
  }

  /** The result of the run once `writing` has finished; undefined before. */
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
      const negated = spec.negatedFlag && spec.kind !== 'boolean' && this.opt(spec.negatedFlag.replace(/^no-/, '')) === false;
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
    this.#target = loadTarget(this.destinationRoot(), { savedFile: '.yo-rc.json', targetLabel: '.', flags: this.flags(), env: process.env });
    const notices = targetNotices(this.#target, this.flags());
    for (const line of notices.info) this.log(line);
    for (const w of notices.warnings) this.log(`warning: ${w}`);
  }

  async prompting(): Promise<void> {
    // Without a terminal inquirer would end the process silently with code 0 at the first question: never prompt then.
    if (!this.interactive) return;
    const { flags } = this.exampleFlags();
    checkFlags(flags); // a bad flag is reported before any question
    const questions = questionsToAsk(this.#target!, flags, { askAgain: this.opt('ask') === true });
    if (questions.length) this.#answers = (await this.prompt(questions as never)) as RawValues;
  }

  configuring(): void {
    // An account value skipped at its question becomes a TODO, as with --yes.
    const { flags, used } = this.exampleFlags();
    this.#resolution = resolveRun(this.#target!, flags, this.#answers, this.opt('yes') || this.interactive ? 'yes' : 'strict');
    const example = exampleOutcome(this.#target!, used, this.#resolution);
    if (example.warning) this.log(`warning: ${example.warning}`);
    this.#exampleValues = example.marks;
  }

  writing(): void {
    const target = this.#target!;
    const resolution = this.#resolution!;
    const generated = generate({
      dir: target.dir, options: resolution.options, facts: target.facts, defaultFacts: target.defaultFacts, saved: target.saved,
      dryRun: this.opt('dry-run') === true, force: this.opt('force') === true, exampleValues: this.#exampleValues,
    });
    const report = reportRun(resolution, generated, { dryRun: this.opt('dry-run') === true, targetLabel: '.' });
    this.#result = { resolution, generated, report };
  }

  end(): void {
    const { generated, report } = this.#result!;
    for (const { text } of report.output) this.log(text.replace(/\n$/, ''));
    // Merge conflicts: fail the run, as the CLI does with exit code 2.
    if (report.code !== EXIT.ok) throw new UserError(`${generated.conflicts.length} file(s) with merge conflicts: ${generated.conflicts.join(', ')}`);
  }
}
