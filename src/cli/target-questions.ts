/**
 * Which questions an interactive run asks about its target (both doors call it before prompting).
 */
import { OPTION_KEYS } from '../options/table.js';
import { keysToPrompt, type RawValues } from '../options/resolve.js';
import type { Target } from '../pipeline.js';
import { buildQuestions, type BuildOptions, type Question } from './questions.js';

/**
 * The questions an interactive run asks: options without a flag and without a valid saved answer; with
 * `askAgain` (--ask) every option without a flag, its saved answer as the default.
 */
export function questionsToAsk(target: Target, flags: RawValues, opts: BuildOptions = {}): Question[] {
  const savedAnswers = target.saved?.answers as RawValues | undefined;
  const keys = opts.askAgain ? OPTION_KEYS.filter((k) => flags[k] === undefined) : keysToPrompt(flags, savedAnswers);
  return keys.length ? buildQuestions(keys, { ...savedAnswers, ...flags }, target.defaultFacts, opts) : [];
}
