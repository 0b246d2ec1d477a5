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
    const { confirm, input, select } = await import('./inquirer.js');
    if (q.type === 'confirm') return confirm({ message: q.message, default: q.default as boolean | undefined }, context);
    if (q.type === 'select') {
      const choices = (q.choices ?? []).map((c) => ({ name: c.name, value: c.value, description: c.description }));
      return select({ message: q.message, choices, default: q.default as string | undefined }, context);
    }
    const validate = q.validate;
    return input({
      message: q.message,
      default: q.default === undefined || q.default === '' ? undefined : String(q.default),
      validate: validate ? (value: string) => validate(value, answers) : undefined,
    }, context);
  };
}

function advancedConfirm(count: number): Question {
  return { type: 'confirm', name: 'customizeAdvanced', message: `Customize advanced settings? (${count} more, each with a default that fits most services)`, default: false };
}

async function askEach(questions: readonly Question[], ask: Ask, answers: Record<string, unknown>, say: (line: string) => void, said: Set<string>): Promise<void> {
  for (const q of questions) {
    if (q.when && !q.when(answers)) continue;
    const raw = await ask(q, answers);
    answers[q.name] = q.filter ? q.filter(raw) : raw;
    for (const note of q.notes?.(answers) ?? []) if (!said.has(note)) said.add(note), say(`warning: ${note}`);
  }
}

/**
 * Ask the essential questions in order, then, when any advanced one applies, whether to customize them.
 * Each validator sees the answers before it; a question whose `when` says no is skipped (its default
 * holds). Warnings are shown by `say` right after the answer they concern. Returns answers by option key.
 */
export async function askQuestions(questions: readonly Question[], ask: Ask, say: (line: string) => void = () => {}): Promise<RawValues> {
  const answers: Record<string, unknown> = {};
  const said = new Set<string>();
  await askEach(questions.filter((q) => !q.advanced), ask, answers, say, said);
  const advanced = questions.filter((q) => q.advanced);
  const applicable = advanced.filter((q) => !q.when || q.when(answers));
  if (applicable.length > 0 && (await ask(advancedConfirm(applicable.length), answers)) === true) await askEach(advanced, ask, answers, say, said);
  return answers;
}
