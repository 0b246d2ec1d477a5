/** The account part of the render context: the AWS and GitHub values, and which are still placeholders. */
import type { AccountSpecificKey, Options } from '../options/table.js';
import { githubIdsCommand } from '../options/github-ids.js';
import { tfvarsTodos, type TfvarsTodos } from './contract.js';

export interface AccountContext {
  /** Account-specific values; when a placeholder, the string is empty and `placeholders.X` is true. */
  readonly vpcId: string;
  readonly publicSubnetIds: readonly string[];
  readonly privateSubnetIds: readonly string[];
  readonly certificateArn: string;
  readonly githubOwner: string;
  readonly githubRepoName: string;
  /** Numeric owner and repository ids (empty when unknown: `placeholders.githubOwnerId` / `githubRepoId`). */
  readonly githubOwnerId: string;
  readonly githubRepoId: string;
  /** Both ids known: the trust policies accept the immutable subject and pin repository_id. */
  readonly hasGithubIds: boolean;
  /** `owner/repo` for gh api paths (gh's `{owner}/{repo}` placeholders while the repository is unknown). */
  readonly githubRepoPath: string;
  /** The command that prints the two ids. */
  readonly githubIdsCommand: string;
  /** OIDC subject prefixes the roles accept: the immutable one (when the ids are known), then `repo:OWNER/REPO`. */
  readonly githubSubPrefixes: readonly string[];
  readonly placeholders: Readonly<Record<AccountSpecificKey, boolean>>;
  /** The placeholders as lines to fill in (docs' first step; the network ones in terraform.tfvars). */
  readonly tfvarsTodos: TfvarsTodos;
  readonly hasPlaceholders: boolean;
}

/** The OIDC subject prefixes: the immutable one when both ids are known, then `repo:OWNER/REPO`. */
function subjectPrefixes(o: Options, owner: string, repo: string): string[] {
  return [
    ...(o.githubOwnerId !== undefined && o.githubRepoId !== undefined
      ? [`repo:${owner}@${o.githubOwnerId}/${repo}@${o.githubRepoId}`]
      : []),
    `repo:${owner || 'OWNER'}/${repo || 'REPO'}`,
  ];
}

export function accountContext(o: Options): AccountContext {
  const [owner = '', repo = ''] = (o.githubRepo ?? '').split('/');
  const placeholders = {
    vpcId: o.vpcId === undefined,
    publicSubnetIds: o.publicSubnetIds === undefined,
    privateSubnetIds: o.privateSubnetIds === undefined,
    certificateArn: o.certificateArn === undefined,
    githubRepo: o.githubRepo === undefined,
    githubOwnerId: o.githubOwnerId === undefined,
    githubRepoId: o.githubRepoId === undefined,
  };
  const idsCommand = githubIdsCommand(o.githubRepo);
  return {
    vpcId: o.vpcId ?? '',
    publicSubnetIds: o.publicSubnetIds ?? [],
    privateSubnetIds: o.privateSubnetIds ?? [],
    certificateArn: o.certificateArn ?? '',
    githubOwner: owner,
    githubRepoName: repo,
    githubOwnerId: o.githubOwnerId ?? '',
    githubRepoId: o.githubRepoId ?? '',
    hasGithubIds: o.githubOwnerId !== undefined && o.githubRepoId !== undefined,
    githubRepoPath: o.githubRepo ?? '{owner}/{repo}',
    githubIdsCommand: idsCommand,
    githubSubPrefixes: subjectPrefixes(o, owner, repo),
    placeholders,
    tfvarsTodos: tfvarsTodos(placeholders, o.region, idsCommand),
    hasPlaceholders: Object.values(placeholders).some(Boolean),
  };
}
