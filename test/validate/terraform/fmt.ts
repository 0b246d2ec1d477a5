/**
 * `terraform fmt -check -recursive -diff` on the tree's terraform directory; each diff hunk becomes a
 * finding at its first changed line, with the formatted line as the hint.
 */
import { run } from '../exec.js';
import { finding, type Finding } from '../finding.js';
import { missingToolFindings } from '../tools.js';

/** Turn fmt's unified diff into findings (exported for tests). */
export function parseFmtDiff(diff: string): Finding[] {
  const out: Finding[] = [];
  let file = '';
  let line = 0;
  let pending: { line: number; old: string } | undefined;
  let changed = false; // a '-' line was seen since the last context line
  let inserted = false;
  const flush = (replacement: string | undefined): void => {
    if (!pending) return;
    const hint =
      replacement === undefined
        ? 'run `terraform fmt -recursive`'
        : `run \`terraform fmt -recursive\`; expected: ${JSON.stringify(replacement)}`;
    out.push(
      finding(
        file,
        pending.line,
        'terraform/fmt',
        `not formatted as terraform fmt writes it: ${JSON.stringify(pending.old)}`,
        hint,
      ),
    );
    pending = undefined;
  };
  for (const text of diff.split('\n')) {
    if (text.startsWith('--- old/')) {
      flush(undefined);
      file = text.slice('--- old/'.length);
      continue;
    }
    if (text.startsWith('+++ ')) continue;
    const hunk = /^@@ -(\d+)/.exec(text);
    if (hunk) {
      flush(undefined);
      line = Number(hunk[1]);
      changed = inserted = false;
      continue;
    }
    if (text.startsWith('-')) {
      if (!pending && !changed) pending = { line, old: text.slice(1) };
      changed = true;
      line++;
    } else if (text.startsWith('+')) {
      if (!changed && !inserted) {
        inserted = true; // a pure insertion (e.g. a missing blank line)
        out.push(
          finding(
            file,
            line,
            'terraform/fmt',
            'terraform fmt would insert a line here',
            `run \`terraform fmt -recursive\`; expected: ${JSON.stringify(text.slice(1))}`,
          ),
        );
      }
      flush(text.slice(1));
    } else if (text.startsWith(' ')) {
      flush(undefined);
      changed = inserted = false;
      line++;
    }
  }
  flush(undefined);
  return out;
}

/** fmt findings for `target` (a directory relative to `dir`). */
export async function fmtFindings(dir: string, target: string): Promise<Finding[]> {
  const missing = missingToolFindings('terraform', target, process.env);
  if (missing) return missing;
  const res = await run('terraform', ['fmt', '-check', '-recursive', '-diff', '-no-color', target], {
    cwd: dir,
    env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', CHECKPOINT_DISABLE: '1' },
  });
  if (res.code === 0) return [];
  if (res.code === 3) {
    const found = parseFmtDiff(res.stdout);
    return found.length
      ? found
      : [
          finding(
            target,
            undefined,
            'terraform/fmt',
            'terraform fmt -check reports unformatted files',
            'run `terraform fmt -recursive`',
          ),
        ];
  }
  const msg = res.stderr.replace(/[│╷╵]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 400);
  const at = /on (\S+) line (\d+)/.exec(msg);
  return [
    finding(
      at?.[1] ?? target,
      at ? Number(at[2]) : undefined,
      'terraform/fmt',
      `terraform fmt failed (exit ${res.code}): ${msg}`,
      'fix the HCL syntax error it reports',
    ),
  ];
}
