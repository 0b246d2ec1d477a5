/** GitHub `owner/repo` from the origin remote. */
import { execFileSync } from 'node:child_process';

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

/** The origin remote's GitHub repo, or undefined (no git, no origin, not GitHub, timeout). */
export function readGithubRepo(dir: string): string | undefined {
  try {
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
