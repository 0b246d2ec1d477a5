/** The short summary and numbered next steps printed after a run. */
import type { RenderContext } from '../context/build-context.js';
import type { AccountSpecificKey } from '../options/table.js';
import { OPTION_TABLE } from '../options/table.js';

const TFVARS_NAMES: Readonly<Record<AccountSpecificKey, string>> = {
  vpcId: 'vpc_id',
  publicSubnetIds: 'public_subnet_ids',
  privateSubnetIds: 'private_subnet_ids',
  certificateArn: 'certificate_arn',
  githubRepo: 'github_org / github_repo',
};

/** Numbered next steps for the chosen options. */
export function nextSteps(ctx: RenderContext, placeholders: readonly AccountSpecificKey[], targetLabel: string): string[] {
  const steps: string[] = [];
  if (placeholders.length) {
    const list = placeholders.map((k) => `${TFVARS_NAMES[k]} (--${OPTION_TABLE[k].flag})`).join(', ');
    steps.push(`Fill in the TODO values in ${targetLabel}terraform/terraform.tfvars: ${list}. Or re-run with those flags.`);
  }
  if (ctx.app.mode === 'new') {
    steps.push(`${targetLabel ? `cd ${targetLabel} && ` : ''}npm install — creates package-lock.json, which the workflow's npm ci and the Dockerfile need; commit it.`);
  }
  steps.push(`Create an S3 bucket for Terraform state, then: cd ${targetLabel}terraform && terraform init -backend-config="bucket=<state-bucket>" -backend-config="key=${ctx.serviceName}/terraform.tfstate" -backend-config="region=${ctx.region}"`);
  steps.push('Set the secret values (DB/cache URLs) out of band, then terraform apply (see docs/DEPLOYMENT.md for the bootstrap image).');
  steps.push(`Create the GitHub environments (${ctx.environments.map((e) => e.name).join(', ')}; add required reviewers to production) and set the variables from \`terraform output\` with gh variable set — the exact commands are in docs/DEPLOYMENT.md.`);
  if (ctx.slack) steps.push(`gh secret set ${ctx.slackSecretName} (your Slack incoming-webhook URL).`);
  steps.push('Commit and push to main: the workflow tests, builds, migrates and runs the canary.');
  return steps.map((s, i) => `  ${i + 1}. ${s}`);
}
