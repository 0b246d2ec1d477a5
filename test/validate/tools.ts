/**
 * Policy for an external tool that is not installed: a failure in CI, a visible notice elsewhere.
 * A developer laptop without shellcheck should still run the suite; CI must never pass by skipping.
 */
import { hasTool } from './exec.js';
import { finding, type Finding } from './finding.js';

const warned = new Set<string>();

/** Install hints per tool, shown in the finding or the notice. */
const INSTALL: Record<string, string> = {
  shellcheck: 'install shellcheck (Debian/Ubuntu: apt-get install -y shellcheck)',
  terraform: 'install terraform ≥ 1.11 (https://developer.hashicorp.com/terraform/install)',
};

/**
 * Findings to return when `tool` is missing: none when it is present; one `tool/missing` finding on
 * `file` when CI is set; otherwise none, after a console.warn (once per tool and process).
 */
export function missingToolFindings(
  tool: string,
  file: string,
  env: NodeJS.ProcessEnv = process.env,
): Finding[] | null {
  if (hasTool(tool)) return null;
  const hint = INSTALL[tool] ?? `install ${tool}`;
  if (env.CI)
    return [finding(file, undefined, 'tool/missing', `${tool} is not installed, so this check cannot run`, hint)];
  if (!warned.has(tool)) {
    warned.add(tool);
    console.warn(
      `[validate] NOTICE: ${tool} is not installed; its checks are SKIPPED locally (CI fails instead). To run them: ${hint}.`,
    );
  }
  return [];
}
