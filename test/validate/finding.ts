/**
 * The unit every validator returns: one problem in one file, with the rule that found it and a fix hint.
 */

/** One problem found in a generated tree. `file` is relative to the tree root, `line` is 1-based. */
export interface Finding {
  readonly file: string;
  readonly line?: number;
  readonly rule: string;
  readonly message: string;
  readonly hint: string;
}

/** Build a Finding, omitting `line` when it is unknown (keeps toEqual-style assertions simple). */
export function finding(file: string, line: number | undefined, rule: string, message: string, hint: string): Finding {
  return line === undefined ? { file, rule, message, hint } : { file, line, rule, message, hint };
}

/** Stable order: by file, then line, then rule. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      a.rule.localeCompare(b.rule) ||
      a.message.localeCompare(b.message),
  );
}

/** One line per finding: `file:line rule: message (fix: hint)`. */
export function formatFindings(findings: readonly Finding[]): string {
  return findings
    .map((f) => `${f.file}${f.line === undefined ? '' : `:${f.line}`} ${f.rule}: ${f.message} (fix: ${f.hint})`)
    .join('\n');
}

/** 1-based line of a character offset in `text`. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
