/**
 * The prompt layer of the `npm create` door: asks the questions the option table derives
 * (src/cli/questions.ts), one after the other, with @inquirer/prompts on the terminal. Everything about
 * *what* is asked lives in the table; this module only decides *how* a question is shown.
 */
import type { RawValues } from '../options/resolve.js';
import type { Question } from './questions.js';

/** Asks one question; `answers` holds the (filtered) answers given so far. Rejects on Ctrl-C. */
export type Ask = (question: Question, answers: Readonly<RawValues>) => Promise<unknown>;

/** Where the terminal prompts read keys and draw. */
export interface PromptStreams {
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
}

/** True for the error @inquirer/prompts raises when the user presses Ctrl-C (or the terminal closes). */
export function isPromptAbort(err: unknown): boolean {
  return err instanceof Error && (err.name === 'ExitPromptError' || err.name === 'AbortPromptError');
}

/** An Ask that draws each question with @inquirer/prompts on `streams`. */
export function terminalAsk(streams: PromptStreams): Ask {
  const context = { input: streams.input, output: streams.output };
  return async (q, answers) => {
    // Loaded on the first question: a non-interactive run never evaluates the prompt library.
    const { checkbox, confirm, input, select } = await import('./inquirer.js');
    if (q.type === 'confirm')
      return confirm({ message: q.message, default: q.default as boolean | undefined }, context);
    if (q.type === 'select') {
      const choices = (q.choices ?? []).map((c) => ({ name: c.name, value: c.value, description: c.description }));
      return select({ message: q.message, choices, default: q.default as string | undefined }, context);
    }
    if (q.type === 'checkbox') {
      const choices = (q.choices ?? []).map((c) => ({
        name: c.name,
        value: c.value,
        description: c.description,
        checked: c.checked,
      }));
      return checkbox({ message: q.message, choices, validate: checkPicked(q, answers) }, context);
    }
    const validate = q.validate;
    return input(
      {
        message: q.message,
        default: inputDefault(q),
        validate: validate ? (value: string) => validate(value, answers) : undefined,
      },
      context,
    );
  };
}

/** A text question's default as the prompt shows it (none for an empty one). */
const inputDefault = (q: Question): string | undefined =>
  q.default === undefined || q.default === '' ? undefined : String(q.default);

/**
 * A checkbox's check: nothing picked (a TODO) and "type it in" pass; otherwise the question's own rule
 * judges the picked values (the prompt libraries give them as choices or as values).
 */
function checkPicked(q: Question, answers: Readonly<RawValues>): (picked: ReadonlyArray<unknown>) => true | string {
  return (picked) => {
    const values = picked.map((c) =>
      typeof c === 'object' && c !== null && 'value' in c ? (c as { value: unknown }).value : c,
    );
    return values.length === 0 || values.includes(TYPE_IT) || !q.validate ? true : q.validate(values, answers);
  };
}

/** An inquirer-style prompt module, as Yeoman's `this.prompt` is: questions in, answers by name out. */
export type PromptModule = (questions: ReadonlyArray<Record<string, unknown>>) => Promise<Record<string, unknown>>;

/**
 * An Ask through an inquirer-style prompt module (the Yeoman door): one question at a time, with the
 * same checks as terminalAsk; `when` and `filter` stay with askQuestions, which applies them once.
 */
export function promptModuleAsk(prompt: PromptModule): Ask {
  return async (q, answers) => {
    const validate = q.validate;
    const check =
      q.type === 'checkbox' ? checkPicked(q, answers) : validate && ((input: unknown) => validate(input, answers));
    const question = {
      type: q.type,
      name: q.name,
      message: q.message,
      choices: q.choices,
      validate: check,
      default: q.type === 'input' ? inputDefault(q) : q.default,
    };
    return (await prompt([question]))[q.name];
  };
}

function advancedConfirm(count: number): Question {
  return {
    type: 'confirm',
    name: 'customizeAdvanced',
    message: `Customize advanced settings? (${count} more, each with a default that fits most services)`,
    default: false,
  };
}

/** The choice that leads to the text question after all. */
export const TYPE_IT = '(type it)';

/**
 * Ask `q` with the choices its look-up found: a select (a checkbox for a list), plus "type it in" and, for
 * an account value, "skip". No choices, or a look-up that failed or took too long: the text question.
 */
async function askOffered(
  q: Question,
  ask: Ask,
  answers: Record<string, unknown>,
  say: (line: string) => void,
  said: Set<string>,
): Promise<unknown> {
  const offer = q.offer ? await q.offer(answers) : undefined;
  if (offer && 'reason' in offer && !said.has(offer.reason)) {
    said.add(offer.reason);
    say(`note: ${offer.reason}; type the value instead.`);
  }
  if (!offer || !('choices' in offer) || offer.choices.length === 0) return ask(q, answers);
  const byHand = { name: 'Type it in', value: TYPE_IT };
  const skip =
    q.skippable && !offer.multiple ? [{ name: 'Skip: a TODO in terraform/terraform.tfvars', value: '' }] : [];
  const hint = offer.multiple
    ? ' (space to select, Enter to confirm; none selected: a TODO in terraform/terraform.tfvars)'
    : '';
  const picked = await ask(
    {
      ...q,
      type: offer.multiple ? 'checkbox' : 'select',
      message: `${q.message.replace(/ \(Enter to skip[^)]*\)$/, '')}${hint}`,
      choices: [...offer.choices, byHand, ...skip],
      default: undefined,
    },
    answers,
  );
  if (picked === TYPE_IT || (Array.isArray(picked) && picked.includes(TYPE_IT))) return ask(q, answers);
  return Array.isArray(picked) && picked.length === 0 ? '' : picked;
}

async function askEach(
  questions: readonly Question[],
  ask: Ask,
  answers: Record<string, unknown>,
  say: (line: string) => void,
  said: Set<string>,
): Promise<void> {
  for (const q of questions) {
    if (q.when && !q.when(answers)) continue;
    const raw = await askOffered(q, ask, answers, say, said);
    const value = q.filter ? q.filter(raw) : raw;
    if (q.sets) Object.assign(answers, value);
    else answers[q.name] = value;
    const understood = q.echo?.(value);
    if (understood) say(`  ${understood}`);
    for (const note of q.notes?.(answers) ?? []) {
      if (said.has(note)) continue;
      said.add(note);
      say(`warning: ${note}`);
    }
  }
}

/**
 * Ask the essential questions in order, then, when any advanced one applies, whether to customize them.
 * Each validator sees the answers before it; a question whose `when` says no is skipped (its default
 * holds). Warnings are shown by `say` right after the answer they concern. Returns answers by option key.
 */
export async function askQuestions(
  questions: readonly Question[],
  ask: Ask,
  say: (line: string) => void = () => {},
): Promise<RawValues> {
  const answers: Record<string, unknown> = {};
  const said = new Set<string>();
  await askEach(
    questions.filter((q) => !q.advanced),
    ask,
    answers,
    say,
    said,
  );
  const advanced = questions.filter((q) => q.advanced);
  const applicable = advanced.filter((q) => !q.when || q.when(answers));
  if (applicable.length > 0 && (await ask(advancedConfirm(applicable.length), answers)) === true)
    await askEach(advanced, ask, answers, say, said);
  return answers;
}
