/**
 * The next steps printed after a run, as lines to paste into a shell: one command per line, each step
 * introduced by a `# N.` comment with the same title, in the same order, as docs/DEPLOYMENT.md's "First
 * deployment" (both come from context/first-deployment.ts, and so do the commands both show). Paths are
 * relative to where the user stands at that line: the first line enters the target folder, `init`
 * enters terraform/, the last line goes back to the repository root, where the docs are.
 */
import type { RenderContext } from '../context/build-context.js';
import type { FirstDeploymentStep } from '../context/first-deployment.js';
import type { AccountSpecificKey } from '../options/table.js';
import { OPTION_TABLE } from '../options/table.js';
import { installCommand, LOCKFILES } from './install.js';

/** The terraform.tfvars entry of each account value. */
export const TFVARS_NAMES: Readonly<Record<AccountSpecificKey, string>> = {
  vpcId: 'vpc_id',
  publicSubnetIds: 'public_subnet_ids',
  privateSubnetIds: 'private_subnet_ids',
  certificateArn: 'certificate_arn',
  githubRepo: 'github_org / github_repo',
  githubOwnerId: 'github_owner_id',
  githubRepoId: 'github_repo_id',
};

// Fails with this message, before terraform runs, when the variable is not set: no placeholder to edit in the line.
const STATE_BUCKET = ': "${STATE_BUCKET:?set STATE_BUCKET to the name of your Terraform state bucket}"';
const LATEST_RUN = '"$(gh run list --workflow deploy.yml --limit 1 --json databaseId --jq \'.[0].databaseId\')"';

/** A path as one shell word: as it is when it is plain, else single-quoted. */
const shellWord = (path: string): string =>
  /^[A-Za-z0-9._/@+-]+$/.test(path) ? path : `'${path.replace(/'/g, "'\\''")}'`;

const oneLine = (command: string): string => command.replace(/ \\\n\s*/g, ' ');

/** The lines under a step's `# N.` comment (run where the previous step left the user). */
function commands(
  step: FirstDeploymentStep,
  ctx: RenderContext,
  placeholders: readonly AccountSpecificKey[],
): string[] {
  switch (step.id) {
    case 'tfvars': {
      const ids =
        placeholders.includes('githubOwnerId') || placeholders.includes('githubRepoId')
          ? [`${ctx.githubIdsCommand}  # the two ids`]
          : [];
      return [`#    ${placeholders.map((k) => `${TFVARS_NAMES[k]} (--${OPTION_TABLE[k].flag})`).join(', ')}`, ...ids];
    }
    case 'init':
      return [
        STATE_BUCKET,
        'cd terraform',
        `terraform init -backend-config="bucket=$STATE_BUCKET" -backend-config="key=${ctx.serviceName}/terraform.tfstate" -backend-config="region=${ctx.region}"`,
      ];
    case 'prerequisites':
      return [oneLine(ctx.prerequisitesCommand)];
    case 'secrets':
      return [...ctx.secretValueCommands];
    case 'github':
      return [
        ...ctx.githubEnvironmentCommands,
        oneLine(ctx.repositoryVariablesCommand),
        ...(ctx.slack ? [`gh secret set ${ctx.slackSecretName}`] : []),
      ];
    case 'push':
      return ['git add -A', 'git commit -m "Add the canary deployment pipeline"', 'git push origin main'];
    case 'smoke-test':
      return [
        `${oneLine(ctx.natAddressesCommand)}  # each address as "<ip>/32" into test_traffic_cidrs in terraform.tfvars`,
      ];
    case 'bootstrap':
      return [
        `${oneLine(ctx.bootstrapDigestCommand)}  # bootstrap_image = "<ecr_repository_url output>@sha256:<digest>" in terraform.tfvars`,
        'terraform apply',
      ];
    case 'variables':
      return [oneLine(ctx.environmentVariablesCommand)];
    case 'rerun':
      return [`gh run rerun ${LATEST_RUN} --failed  # the latest deploy run`];
    default:
      return [];
  }
}

/**
 * The next steps, one shell line each. `targetLabel` is the target folder as the user named it ('' for
 * the current folder); `lockfileMissing` adds the install a new service needs before its first commit.
 */
export function nextSteps(
  ctx: RenderContext,
  placeholders: readonly AccountSpecificKey[],
  targetLabel: string,
  lockfileMissing = false,
): string[] {
  const lines: string[] = targetLabel ? [`cd ${shellWord(targetLabel)}`] : [];
  if (lockfileMissing) {
    const pm = ctx.app.packageManager;
    lines.push(
      `${installCommand(pm)}  # creates ${LOCKFILES[pm]}, which the workflow's ${ctx.app.installCommand} and the Dockerfile need; commit it`,
    );
  }
  ctx.firstDeployment.forEach((step, i) => {
    lines.push(`# ${i + 1}. ${step.title.replace(/`/g, '')}`, ...commands(step, ctx, placeholders));
  });
  if (ctx.firstDeployment.some((s) => s.id === 'init')) lines.push('cd ..  # back to the repository root');
  lines.push(
    '# Read on: docs/DEPLOYMENT.md ("First deployment" has every step in full; then rollbacks, costs, alarms)',
  );
  return lines.map((l) => `  ${l}`);
}
