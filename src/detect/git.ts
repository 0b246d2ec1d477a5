/** GitHub `owner/repo` from the origin remote. */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * `owner/repo` from a GitHub remote URL: https (with or without credentials or `.git`),
 * scp-like ssh (`git@github.com:o/r.git`) and `ssh://git@github.com[:port]/o/r.git`.
 */
export function githubRepoFromUrl(url: string): string | undefined {
  const u = url.trim();
  const m =
    /^(?:https?|git|ssh):\/\/(?:[^@/]+@)?(?:www\.)?github\.com(?::\d+)?\/([^/]+)\/([^/]+?)(?:\.git)?\/?$/i.exec(u) ??
    /^(?:[^@/]+@)?github\.com:\/?([^/]+)\/([^/]+?)(?:\.git)?\/?$/i.exec(u);
  return m ? `${m[1]}/${m[2]}` : undefined;
}

/** Whether `dir` or a parent holds `.git` (or git is pointed elsewhere by GIT_DIR): else git need not be started. */
function insideGitRepo(dir: string): boolean {
  if (process.env.GIT_DIR) return true;
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return true;
    if (dirname(d) === d) return false;
  }
}

/** The origin remote's GitHub repo, or undefined (no git, no origin, not GitHub, timeout). */
export function readGithubRepo(dir: string): string | undefined {
  if (!insideGitRepo(dir)) return undefined; // spawning git costs more than the rest of a scaffold's detection
  try {
    // Loaded here, not imported: a run outside a repository never needs child_process.
    const { execFileSync } = process.getBuiltinModule('node:child_process');
    const url = execFileSync('git', ['remote', 'get-url', 'origin'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 2000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return githubRepoFromUrl(url);
  } catch {
    return undefined;
  }
}

/** Which of `files` git tracks and which it ignores; undefined outside a git work tree (or without git). */
export function gitFileStatus(
  dir: string,
  files: readonly string[],
): { tracked: Set<string>; ignored: Set<string> } | undefined {
  if (!files.length) return { tracked: new Set(), ignored: new Set() };
  if (!insideGitRepo(dir)) return undefined;
  const { execFileSync } = process.getBuiltinModule('node:child_process');
  const git = (args: string[]): string | undefined => {
    try {
      return execFileSync('git', args, {
        cwd: dir,
        encoding: 'utf8',
        timeout: 2000,
        stdio: ['ignore', 'pipe', 'ignore'],
      });
    } catch (e) {
      // check-ignore exits 1 when nothing is ignored; its output is still the answer.
      const out =
        (e as { status?: number; stdout?: string }).status === 1 ? (e as { stdout?: string }).stdout : undefined;
      return out;
    }
  };
  if (git(['rev-parse', '--is-inside-work-tree'])?.trim() !== 'true') return undefined;
  const lines = (s: string | undefined): Set<string> =>
    new Set(
      (s ?? '')
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
    );
  return {
    tracked: lines(git(['ls-files', '--', ...files])),
    ignored: lines(git(['check-ignore', '--no-index', '--', ...files])),
  };
}
