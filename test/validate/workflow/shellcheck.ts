/**
 * shellcheck on every `run:` block, as GitHub runs it: bash with `-e` (the default shell on Linux
 * runners), `${{ … }}` replaced by a plain word so only the shell code is judged. One shellcheck
 * process per block, a few in parallel; line numbers are mapped back to the workflow file.
 */
import { run, mapLimit } from '../exec.js';
import { finding, type Finding } from '../finding.js';
import { missingToolFindings } from '../tools.js';
import type { RunBlock } from './model.js';

/** The word that stands in for a GitHub expression; unquoted, it is one safe word to shellcheck. */
export const EXPR_PLACEHOLDER = '__GHA_EXPR__';

interface ShellcheckComment {
  readonly line: number;
  readonly level: string;
  readonly code: number;
  readonly message: string;
}

/** `bash -e` is GitHub's default; `shell: bash` means `bash --noprofile --norc -eo pipefail`. */
function prologue(shell: string | undefined): { dialect: string; header: string } | null {
  const name = (shell ?? 'bash').split(/\s+/)[0] ?? 'bash';
  if (name === 'sh') return { dialect: 'sh', header: 'set -e' };
  if (name !== 'bash') return null; // pwsh, python, cmd: not shell scripts
  return { dialect: 'bash', header: shell === undefined ? 'set -e' : 'set -eo pipefail' };
}

/** The script as shellcheck sees it (expressions replaced), without the prologue line. */
export function shellcheckInput(script: string): string {
  return script.replace(/\$\{\{[\s\S]*?\}\}/g, EXPR_PLACEHOLDER);
}

async function checkBlock(file: string, block: RunBlock): Promise<Finding[]> {
  const pro = prologue(block.shell);
  if (!pro) return [];
  const input = `${pro.header}\n${shellcheckInput(block.script)}`;
  const res = await run('shellcheck', ['-s', pro.dialect, '-f', 'json', '-'], { input });
  if (res.code !== 0 && res.code !== 1) {
    return [
      finding(
        file,
        block.firstLine,
        'shellcheck/error',
        `shellcheck failed: ${res.stderr.trim() || `exit ${res.code}`}`,
        'run shellcheck on this block by hand',
      ),
    ];
  }
  const comments = JSON.parse(res.stdout || '[]') as ShellcheckComment[];
  return comments.map((c) => {
    const scriptLine = c.line - 2; // 0-based line in the script (line 1 is the prologue)
    const line = block.exactLines ? block.firstLine + Math.max(0, scriptLine) : block.firstLine;
    return finding(
      file,
      line,
      `shellcheck/SC${c.code}`,
      `${c.message} [${c.level}, job ${block.jobId}]`,
      `see https://www.shellcheck.net/wiki/SC${c.code}`,
    );
  });
}

/** shellcheck findings for every run block of one workflow. */
export async function shellcheckFindings(file: string, blocks: readonly RunBlock[]): Promise<Finding[]> {
  if (blocks.length === 0) return [];
  const missing = missingToolFindings('shellcheck', file);
  if (missing) return missing;
  return (await mapLimit(blocks, 4, (b) => checkBlock(file, b))).flat();
}
