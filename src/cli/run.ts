/**
 * The `npm create` door: parse → detect → ask what is missing → resolve once → generate → report.
 * Runs the pure pipeline directly (no Yeoman on this path). Returns the exit code; only the bin exits.
 */
import { relative, resolve } from 'node:path';
import { parseCli, type CliArgs } from './args.js';
import { helpText } from './help.js';
import { askQuestions, isPromptAbort, terminalAsk, type Ask } from './prompt.js';
import { checkFlags, InvalidOptionsError, type RawValues } from '../options/resolve.js';
import { confirmWrite } from './preview.js';
import { awsOffers } from './aws-choices.js';
import { EXIT, exampleOutcome, generate, loadTarget, withExample, resolveRun, targetNotices } from '../pipeline.js';
import { questionsToAsk } from './target-questions.js';
import { reportFiles, reportNextSteps } from './report.js';
import { installNewService, invokingPackageManager, oldBunWarning } from './install.js';
import { withTargetLock } from '../regen/target.js';
import { GENERATOR_VERSION } from '../paths.js';
import { UserError } from '../errors.js';

export { EXIT } from '../pipeline.js';

/** Streams and environment of one CLI run (injectable for tests). */
export interface CliIO {
  readonly cwd: string;
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
  /** Prompt override (tests); the default draws @inquirer/prompts on stdin/stdout. */
  readonly ask?: Ask;
  /** The AWS look-ups' time limit (tests whose subject is the choices, not the limit); default AWS_LOOKUP_TIMEOUT_MS. */
  readonly awsLookupTimeoutMs?: number;
}

function printProblems(io: CliIO, err: InvalidOptionsError): number {
  io.stderr.write(
    `create-canary-pipeline: nothing was written. Fix ${err.problems.length === 1 ? 'this' : 'these'}:\n`,
  );
  for (const p of err.problems) io.stderr.write(`  - ${p.message}\n`);
  return EXIT.invalid;
}

/** Run the CLI with argv (no node/script). */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  try {
    return await runUnsafe(argv, io);
  } catch (err) {
    if (err instanceof InvalidOptionsError) return printProblems(io, err);
    if (isPromptAbort(err)) {
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
  if (args.help || args.version) {
    io.stdout.write(`${args.help ? helpText(GENERATOR_VERSION) : GENERATOR_VERSION}\n`);
    return EXIT.ok;
  }
  const dir = resolve(io.cwd, args.targetDir);
  // The whole run holds the folder's lock; an interrupted earlier run is completed or rolled back first.
  return withTargetLock(dir, { dryRun: args.dryRun, notice: (l) => io.stderr.write(`note: ${l}\n`) }, () =>
    runLocked(dir, args, io),
  );
}

async function runLocked(dir: string, args: CliArgs, io: CliIO): Promise<number> {
  const savedFile = relative(io.cwd, resolve(dir, '.yo-rc.json')) || '.yo-rc.json';
  const invoker = invokingPackageManager(io.env.npm_config_user_agent);
  const target = loadTarget(dir, { savedFile, targetLabel: args.targetDir, invoker, flags: args.flags, env: io.env });
  const { flags, used: exampleUsed } = withExample(target, args.flags, args.example);
  const interactive = Boolean(io.stdin.isTTY && io.stdout.isTTY) && !args.yes && !args.noInteractive && !io.env.CI;
  if (args.ask && !interactive)
    throw new UserError(
      '--ask asks again on a terminal: without one (or with CI set) there is nothing to ask. Nothing was written.',
    );
  const notices = targetNotices(target, flags);
  const oldBun = target.facts.mode === 'new' && !target.saved ? oldBunWarning(invoker) : undefined;
  if (oldBun) io.stderr.write(`warning: ${oldBun}\n`);
  for (const line of notices.info) io.stdout.write(`${line}\n`);
  for (const w of notices.warnings) io.stderr.write(`warning: ${w}\n`);
  let answers: RawValues = {};
  const say = (line: string): void => void io.stdout.write(`${line}\n`);
  const ask = io.ask ?? terminalAsk({ input: io.stdin, output: io.stdout });
  if (interactive) {
    checkFlags(flags); // before any question: a bad flag is not worth answering sixteen prompts for
    const offers = awsOffers(io.env, say, io.awsLookupTimeoutMs);
    answers = await askQuestions(questionsToAsk(target, flags, { askAgain: args.ask, offers }), ask, say);
  }
  // Non-interactive runs never prompt: every problem is reported at once, nothing written. An
  // interactive run offered to skip each account value: a skipped one becomes a TODO, as with --yes.
  const resolution = resolveRun(target, flags, answers, args.yes || interactive ? 'yes' : 'strict');
  const { marks: exampleValues, warning: exampleNote } = exampleOutcome(target, exampleUsed, resolution);
  if (exampleNote) io.stderr.write(`warning: ${exampleNote}\n`);
  const input = {
    dir,
    options: resolution.options,
    facts: target.facts,
    defaultFacts: target.defaultFacts,
    saved: target.saved,
    dryRun: args.dryRun,
    force: args.force,
    exampleValues,
  };
  if (interactive && !args.dryRun && !(await confirmWrite(input, resolution.placeholders, args.targetDir, say, ask))) {
    io.stderr.write('Nothing was written.\n');
    return EXIT.invalid;
  }
  const result = generate(input);
  const files = reportFiles(resolution, result, args.dryRun);
  for (const { stream, text } of files.output) io[stream].write(text);
  if (files.code !== undefined) return files.code;
  const install = await installNewService(target, args.skipInstall, io);
  const next = reportNextSteps(resolution, result, args.targetDir, install);
  for (const { stream, text } of next.output) io[stream].write(text);
  return next.code;
}
