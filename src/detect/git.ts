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

/** Which of `files` git tracks and which it ignores; undefined outside a git work tree (or without git). */
export function gitFileStatus(dir: string, files: readonly string[]): { tracked: Set<string>; ignored: Set<string> } | undefined {
  if (!files.length) return { tracked: new Set(), ignored: new Set() };
  const git = (args: string[]): string | undefined => {
    try {
      return execFileSync('git', args, { cwd: dir, encoding: 'utf8', timeout: 2000, stdio: ['ignore', 'pipe', 'ignore'] });
    } catch (e) {
      // check-ignore exits 1 when nothing is ignored; its output is still the answer.
      const out = (e as { status?: number; stdout?: string }).status === 1 ? (e as { stdout?: string }).stdout : undefined;
      return out;
    }
  };
  if (git(['rev-parse', '--is-inside-work-tree'])?.trim() !== 'true') return undefined;
  const lines = (s: string | undefined): Set<string> => new Set((s ?? '').split('\n').map((l) => l.trim()).filter(Boolean));
  return { tracked: lines(git(['ls-files', '--', ...files])), ignored: lines(git(['check-ignore', '--no-index', '--', ...files])) };
}
