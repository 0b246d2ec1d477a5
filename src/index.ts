/**
 * The package's module API, bundled into dist/cli.js: the CLI entry (the bin calls runCli) and the
 * pipeline steps both doors run. The Yeoman generator imports only this module, so its bundle reuses
 * dist/cli.js instead of carrying a second copy of the pipeline.
 */
export { runCli, type CliIO } from './cli/run.js';
export { CLI_SWITCHES } from './cli/args.js';
export * from './pipeline.js';
export { questionsToAsk } from './cli/target-questions.js';
export { CAUGHT_LABEL, NEXT_STEPS, reportFiles, reportNextSteps, reportRun, type RunReport } from './cli/report.js';
export { OPTION_KEYS, OPTION_TABLE } from './options/table.js';
export type { OptionSpec } from './options/spec.js';
export { checkFlags, InvalidOptionsError, type RawValues, type Resolution } from './options/resolve.js';
export { exampleDefaults, exampleFlags } from './options/example.js';
export { UserError } from './errors.js';
// The interactive flow, for the Yeoman door to run through its own prompt and log.
export { askQuestions, promptModuleAsk, type Ask, type PromptModule } from './cli/prompt.js';
export { awsOffers } from './cli/aws-choices.js';
export { confirmWrite } from './cli/preview.js';
