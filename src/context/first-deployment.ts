/**
 * The bootstrap of a new stack, declared once: docs/DEPLOYMENT.md ("First deployment") renders these
 * steps with their commands, and the CLI's next steps print the same titles in the same order.
 */

/** Name of the deploy jobs' first step, where the first push stops until the variables exist. */
export const VARIABLE_CHECK_STEP = "Check the environment's GitHub variables";

/** One step of the first deployment. `id` selects the commands docs/DEPLOYMENT.md shows for it. */
export interface FirstDeploymentStep {
  readonly id:
    | 'tfvars'
    | 'init'
    | 'prerequisites'
    | 'secrets'
    | 'github'
    | 'push'
    | 'smoke-test'
    | 'bootstrap'
    | 'variables'
    | 'alerts-slack'
    | 'rerun';
  readonly title: string;
}

/** What decides the steps. */
export interface FirstDeploymentInput {
  readonly hasPlaceholders: boolean;
  readonly hasSecrets: boolean;
  readonly environments: readonly string[];
  readonly slackSecretName: string;
  /** Alarm alerts already routed to Slack (--alerts-slack-team-id/--alerts-slack-channel-id). */
  readonly alertsSlack: boolean;
}

/** The steps, in order. */
export function firstDeploymentSteps(i: FirstDeploymentInput): FirstDeploymentStep[] {
  const envs = i.environments.map((e) => `\`${e}\``).join(' and ');
  const steps: Array<FirstDeploymentStep | false> = [
    i.hasPlaceholders && {
      id: 'tfvars',
      title:
        'Fill in the `TODO(create-canary-pipeline)` entries of `terraform/terraform.tfvars` (or re-run the generator with the matching options).',
    },
    {
      id: 'init',
      title: 'Create the Terraform state bucket (versioned, public access blocked) and run `terraform init`.',
    },
    {
      id: 'prerequisites',
      title: `Apply what the first build needs: the image repository and the build role${i.hasSecrets ? ', and the secrets' : ''}.`,
    },
    i.hasSecrets && {
      id: 'secrets',
      title: 'Store the secret values (Terraform never sees them), for every environment.',
    },
    {
      id: 'github',
      title:
        `Create the GitHub environments ${envs}, deployable from \`main\` only${i.environments.includes('production') ? ', production with required reviewers' : ''}; ` +
        `set the repository variables${i.slackSecretName ? ` and the \`${i.slackSecretName}\` secret` : ''}.`,
    },
    {
      id: 'push',
      title: `Commit and push to \`main\`: \`test\` and \`build\` push the first image; each deploy job stops at its first step, "${VARIABLE_CHECK_STEP}".`,
    },
    {
      id: 'smoke-test',
      title:
        'Let the smoke test through: set `test_traffic_cidrs` in `terraform/terraform.tfvars` to the public addresses of the NAT gateways of the private subnets.',
    },
    {
      id: 'bootstrap',
      title: 'Put that image, by digest, into `bootstrap_image` in `terraform/terraform.tfvars` and apply everything.',
    },
    { id: 'variables', title: "Set each environment's GitHub variables from the Terraform outputs." },
    i.alertsSlack
      ? {
          id: 'alerts-slack',
          title:
            'Authorise the Slack workspace in Amazon Q Developer in chat applications and invite the app into the alerts channel.',
        }
      : {
          id: 'alerts-slack',
          title:
            'Get the alarms into Slack: authorise the workspace in Amazon Q Developer in chat applications, then re-run the generator with --alerts-slack-team-id and --alerts-slack-channel-id.',
        },
    {
      id: 'rerun',
      title: 'Re-run the failed deploy jobs, point your domain at the load balancer and subscribe to the alarm topic.',
    },
  ];
  return steps.filter((s): s is FirstDeploymentStep => s !== false);
}

/**
 * `gh api` commands that create the environments: each deployable only from `main` (a custom deployment
 * branch policy), production with the person running them as required reviewer.
 */
export function environmentCommands(repo: string, environments: readonly string[]): string[] {
  const path = (e: string, rest = ''): string => `"repos/${repo}/environments/${e}${rest}"`;
  const policy = 'deployment_branch_policy: {protected_branches: false, custom_branch_policies: true}';
  return environments.flatMap((e) => [
    e === 'production'
      ? `jq -n --argjson id "$(gh api user --jq .id)" '{${policy}, reviewers: [{type: "User", id: $id}]}' | gh api --method PUT ${path(e)} --input -`
      : `jq -n '{${policy}}' | gh api --method PUT ${path(e)} --input -`,
    `gh api --method POST ${path(e, '/deployment-branch-policies')} -f name=main -f type=branch`,
  ]);
}

/** The first apply, before any image exists: the build role, the image repository and the secrets (run in terraform/). */
export function prerequisitesCommand(secretAddresses: readonly string[]): string {
  const targets = ['aws_iam_role_policy.build', 'aws_ecr_lifecycle_policy.app', ...secretAddresses];
  // One target a line (a shell continuation): the docs show it so; the CLI's next steps join it (oneLine).
  return ['terraform apply', ...targets.map((t) => `  -target=${t}`)].join(' \\\n');
}

/** One put-secret-value per environment and secret, the value from `$<ENV>_<NAME>` (run in terraform/). */
export function secretValueCommands(environments: readonly string[], secretNames: readonly string[]): string[] {
  return environments.flatMap((e) =>
    secretNames.map(
      (n) =>
        `aws secretsmanager put-secret-value --secret-id "$(terraform output -json secret_arns | jq -r '.${e}.${n}')" --secret-string "$${e.toUpperCase()}_${n}"`,
    ),
  );
}

/** Prints the public addresses of the NAT gateways of the VPC, for `test_traffic_cidrs` (step "smoke-test"). */
export function natAddressesCommand(vpcId: string): string {
  return (
    `aws ec2 describe-nat-gateways --filter "Name=vpc-id,Values=${vpcId || '<vpc-id>'}" \\\n` +
    "  --query 'NatGateways[].NatGatewayAddresses[].PublicIp' --output text"
  );
}

/** Prints the digest of the newest image (step "bootstrap", run in terraform/). */
export const BOOTSTRAP_DIGEST_COMMAND =
  'aws ecr describe-images --repository-name "$(terraform output -raw ecr_repository_name)" \\\n' +
  "  --query 'sort_by(imageDetails, &imagePushedAt)[-1].imageDigest' --output text";

/** Sets the repository variables from Terraform's output (run in terraform/). */
export const REPOSITORY_VARIABLES_COMMAND =
  'terraform output -json github_repository_variables \\\n' +
  "  | jq -r 'to_entries[] | [.key, .value] | @tsv' \\\n" +
  '  | while IFS=$\'\\t\' read -r name value; do gh variable set "$name" --body "$value"; done';

/** Sets every environment's variables from Terraform's output (run in terraform/). */
export const ENVIRONMENT_VARIABLES_COMMAND =
  'terraform output -json github_environment_variables \\\n' +
  "  | jq -r 'to_entries[] | .key as $env | .value | to_entries[] | [$env, .key, .value] | @tsv' \\\n" +
  '  | while IFS=$\'\\t\' read -r env name value; do gh variable set "$name" --env "$env" --body "$value"; done';
