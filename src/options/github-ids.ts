/**
 * The immutable numeric ids of the GitHub owner and repository.
 *
 * Repositories created (or renamed, or transferred) after 2026-07-15, and older ones that opted in, send
 * the OIDC subject `repo:OWNER@OWNER-ID/REPO@REPO-ID:…` instead of `repo:OWNER/REPO:…` (GitHub docs,
 * "OpenID Connect reference", "Immutable subject claims"). The trust policies can accept that subject
 * only when they know both ids. Without them the generator still works, with a warning, a tfvars TODO
 * and the exact command that prints them.
 */
import type { DefaultFacts } from './spec.js';

/** A GitHub account or repository id: a positive integer (kept as text: it goes into HCL strings). */
const NUMERIC_ID = /^[1-9][0-9]{0,18}$/;

/** The `gh api` command that prints the owner id and the repository id, one per line. */
export function githubIdsCommand(repo: string | undefined): string {
  return `gh api repos/${repo ?? 'OWNER/REPO'} --jq '.owner.id, .id'`;
}

/** Validator of either id. */
export function validateGithubId(v: string): string | undefined {
  return NUMERIC_ID.test(v)
    ? undefined
    : `"${v}" is not a numeric GitHub id (${githubIdsCommand(undefined)} prints both)`;
}

/** Default from detection (gh), only for the repository the detection was run for. */
export function detectedGithubId(
  which: 'ownerId' | 'repoId',
  facts: DefaultFacts,
  partial: Partial<Record<string, unknown>>,
): string | undefined {
  const ids = facts.githubIds;
  return ids && ids.repo === partial.githubRepo ? ids[which] : undefined;
}

/** The warning for a known repository whose ids are missing; undefined when nothing is missing. */
export function missingIdsWarning(repo: unknown, ownerId: unknown, repoId: unknown): string | undefined {
  if (typeof repo !== 'string' || (ownerId !== undefined && repoId !== undefined)) return undefined;
  const [owner, name] = repo.split('/');
  return (
    `the numeric ids of ${repo} are unknown (--github-owner-id, --github-repo-id): the roles trust only the subject ` +
    `repo:${repo}:…, but repositories created after 2026-07-15 send repo:${owner}@<owner-id>/${name}@<repo-id>:… and their first ` +
    `deployment is refused. Set github_owner_id and github_repo_id in terraform/terraform.tfvars from: ${githubIdsCommand(repo)}`
  );
}
