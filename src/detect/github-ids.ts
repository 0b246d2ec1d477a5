/**
 * The owner and repository ids of a GitHub repository, read with the GitHub CLI when it is installed and
 * logged in: `gh api repos/OWNER/REPO`. Bounded by a timeout and never interactive (no TTY, no prompt);
 * any failure (no gh, not logged in, offline, repository not created yet, timeout) means "unknown".
 */

/** The ids of one repository, as text (they go into HCL strings and tfvars). */
export interface GithubIds {
  readonly repo: string;
  readonly ownerId: string;
  readonly repoId: string;
}

const REPO = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/;
const ID = /^[1-9][0-9]{0,18}$/;

/** How long the CLI may take before detection gives up (a slow network must not hold up the generator). */
export const GH_TIMEOUT_MS = 5000;

/** Read the ids of `repo` with `gh`, or undefined. `env` is the environment gh runs with (its PATH finds gh). */
export function detectGithubIds(
  repo: string | undefined,
  env: NodeJS.ProcessEnv,
  timeoutMs = GH_TIMEOUT_MS,
): GithubIds | undefined {
  if (repo === undefined || !REPO.test(repo)) return undefined;
  let out: string;
  try {
    // Loaded here, not imported: child_process costs ~4 ms to load and most runs never ask gh.
    const { execFileSync } = process.getBuiltinModule('node:child_process');
    out = execFileSync('gh', ['api', `repos/${repo}`, '--jq', '[.owner.id, .id] | @tsv'], {
      encoding: 'utf8',
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
      stdio: ['ignore', 'pipe', 'ignore'],
      // No prompts, no pager, no update notice: detection must never wait for a person.
      env: { ...env, GH_PROMPT_DISABLED: '1', GH_NO_UPDATE_NOTIFIER: '1', GH_PAGER: '', NO_COLOR: '1' },
    });
  } catch {
    return undefined;
  }
  const [ownerId = '', repoId = ''] = out.trim().split('\t');
  return ID.test(ownerId) && ID.test(repoId) ? { repo, ownerId, repoId } : undefined;
}
