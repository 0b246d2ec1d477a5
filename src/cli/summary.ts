/**
 * The numbered next steps printed after a run: the same steps, in the same order, as docs/DEPLOYMENT.md's
 * "First deployment" (both come from context/first-deployment.ts), with the commands that matter most.
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

const indent = (lines: readonly string[]): string => lines.map((l) => `\n       ${l}`).join('');

/** The commands shown under a step (the full set is in docs/DEPLOYMENT.md). */
function details(step: FirstDeploymentStep, ctx: RenderContext, placeholders: readonly AccountSpecificKey[], dir: string): string {
  switch (step.id) {
    case 'tfvars': {
      const list = placeholders.map((k) => `${TFVARS_NAMES[k]} (--${OPTION_TABLE[k].flag})`).join(', ');
      const ids = placeholders.includes('githubOwnerId') || placeholders.includes('githubRepoId') ? [`ids: ${ctx.githubIdsCommand}`] : [];
      return indent([list, ...ids]);
    }
    case 'init':
      return indent([`cd ${dir}terraform && terraform init -backend-config="bucket=<state-bucket>" -backend-config="key=${ctx.serviceName}/terraform.tfstate" -backend-config="region=${ctx.region}"`]);
    case 'github':
      return indent([
        ...ctx.githubEnvironmentCommands,
        `cd ${dir}terraform && ${ctx.repositoryVariablesCommand}`.split('\n'),
        ...(ctx.slack ? [`gh secret set ${ctx.slackSecretName}`] : []),
      ].flat());
    case 'variables':
      return indent(`cd ${dir}terraform && ${ctx.environmentVariablesCommand}`.split('\n'));
    case 'smoke-test':
      return indent([`aws ec2 describe-nat-gateways --filter "Name=vpc-id,Values=${ctx.vpcId || '<vpc-id>'}" --query 'NatGateways[].NatGatewayAddresses[].PublicIp' --output text`]);
    case 'rerun':
      return indent(['gh run rerun <run-id> --failed']);
    default:
      return '';
  }
}

/** Numbered next steps; `lockfileMissing` adds the lockfile step a new service needs before its first commit. */
export function nextSteps(ctx: RenderContext, placeholders: readonly AccountSpecificKey[], targetLabel: string, lockfileMissing = false): string[] {
  const steps: string[] = [];
  if (lockfileMissing) {
    const pm = ctx.app.packageManager;
    steps.push(`${targetLabel ? `cd ${targetLabel} && ` : ''}${installCommand(pm)} — creates ${LOCKFILES[pm]}, which the workflow's ${ctx.app.installCommand} and the Dockerfile need; commit it.`);
  }
  for (const step of ctx.firstDeployment) steps.push(`${step.title.replace(/`/g, '')}${details(step, ctx, placeholders, targetLabel)}`);
  return steps.map((s, i) => `  ${i + 1}. ${s}`);
}
