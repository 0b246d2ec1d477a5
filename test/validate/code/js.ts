/**
 * Generated JavaScript must at least parse: `node --check` on each file, in place so the tree's
 * package.json decides between ESM and CommonJS as it will at runtime.
 */
import { join } from 'node:path';
import { mapLimit, run } from '../exec.js';
import { finding, type Finding } from '../finding.js';

async function checkOne(dir: string, file: string): Promise<Finding[]> {
  const res = await run(process.execPath, ['--check', join(dir, file)]);
  if (res.code === 0) return [];
  // node prints "<path>:<line>\n<source>\n<caret>\n\nSyntaxError: …"
  const line = /:(\d+)\n/.exec(res.stderr)?.[1];
  const error =
    res.stderr
      .split('\n')
      .find((l) => /Error/.test(l))
      ?.trim() ?? res.stderr.trim();
  return [finding(file, line ? Number(line) : undefined, 'js/syntax', error, 'fix the JavaScript syntax error')];
}

/** `node --check` findings for the given tree-relative JS files. */
export async function validateJs(dir: string, files: readonly string[]): Promise<Finding[]> {
  return (await mapLimit(files, 4, (f) => checkOne(dir, f))).flat();
}
