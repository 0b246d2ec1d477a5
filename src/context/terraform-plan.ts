/**
 * What .github/workflows/terraform.yml and the read-only plan role in terraform/iam.tf need:
 * the Terraform CLI the workflow installs, the state object's key, and the read actions of the role.
 *
 * The role is assumable by any pull request from a branch of the repository, and that pull request
 * controls the workflow and the Terraform code it plans. So it may read the stack's configuration and
 * nothing else: describe/list/get actions of the services the stack uses, never a data-plane read
 * (secret values, S3 objects, log events, image layers, ECR login tokens). The state is read through a
 * separate statement on the state bucket (iam.tf).
 */
import type { Options } from '../options/table.js';

/** Read actions of the plan role and the workflow's Terraform settings. */
export interface TerraformPlanContext {
  /** `terraform_version` for hashicorp/setup-terraform: the newest release below the required major's end. */
  readonly cliVersion: string;
  /** Default of var.state_key: the key the docs pass to `terraform init -backend-config`. */
  readonly stateKey: string;
  /** IAM actions the plan role may call on `*` (sorted), enough to refresh every resource the stack has. */
  readonly readActions: readonly string[];
}

/**
 * Per IAM service prefix: the read actions `terraform plan` needs to refresh the stack's resources.
 * Wildcards only where a service has no data-plane read behind Get/List/Describe.
 */
const READ_ACTIONS = {
  // aws_security_group, aws_vpc_security_group_*_rule, data.aws_vpc (as in AWS's ReadOnlyAccess)
  ec2: ['ec2:Describe*'],
  // aws_lb, aws_lb_listener, aws_lb_listener_rule, aws_lb_target_group (and their attributes and tags)
  elasticloadbalancing: ['elasticloadbalancing:Describe*'],
  // aws_ecs_cluster, aws_ecs_service, aws_ecs_task_definition
  ecs: ['ecs:Describe*', 'ecs:List*'],
  // aws_ecr_repository, aws_ecr_lifecycle_policy: metadata only (no login token, manifests or layers)
  ecr: ['ecr:Describe*', 'ecr:GetLifecyclePolicy', 'ecr:GetRepositoryPolicy', 'ecr:ListTagsForResource'],
  // roles, role policies and attachments, the OIDC provider: configuration, no secrets
  iam: ['iam:Get*', 'iam:List*'],
  // aws_cloudwatch_log_group: the group, never its events (no GetLogEvents, FilterLogEvents)
  logs: ['logs:Describe*', 'logs:ListTagsForResource', 'logs:ListTagsLogGroup'],
  // aws_cloudwatch_metric_alarm, aws_cloudwatch_dashboard
  cloudwatch: ['cloudwatch:Describe*', 'cloudwatch:GetDashboard', 'cloudwatch:List*'],
  // aws_cloudwatch_event_rule, aws_cloudwatch_event_target
  events: ['events:Describe*', 'events:List*'],
  // aws_sns_topic, aws_sns_topic_policy (SNS stores no messages)
  sns: ['sns:Get*', 'sns:List*'],
  // aws_lambda_function (the smoke test): the provider reads it with GetFunction, which also returns a
  // download link for the code, the generated terraform/lambda/smoke-test of this repository (no secret).
  lambda: [
    'lambda:GetFunction',
    'lambda:GetFunctionCodeSigningConfig',
    'lambda:GetPolicy',
    'lambda:ListTags',
    'lambda:ListVersionsByFunction',
  ],
} as const;

/** aws_chatbot_slack_channel_configuration (alarm alerts to Slack). */
const CHATBOT_READ = ['chatbot:DescribeSlackChannelConfigurations', 'chatbot:ListTagsForResource'] as const;

/** Secrets Manager: the secret's metadata and policy, never secretsmanager:GetSecretValue. */
const SECRETS_READ = ['secretsmanager:DescribeSecret', 'secretsmanager:GetResourcePolicy'] as const;

/** CodeDeploy application, deployment group and deployment config. */
const CODEDEPLOY_READ = ['codedeploy:BatchGet*', 'codedeploy:Get*', 'codedeploy:List*'] as const;

/** setup-terraform's `terraform_version` from a `>= A, < B` constraint: `<B` (latest release below B). */
function cliVersionFor(requiredVersion: string): string {
  const upper = /<\s*(\d+\.\d+\.\d+)/.exec(requiredVersion)?.[1];
  if (!upper)
    throw new Error(
      `resources/terraform/versions.tf: required_version "${requiredVersion}" has no "< X.Y.Z" upper bound`,
    );
  return `<${upper}`;
}

/** The plan context for the chosen options; `requiredVersion` is the generated versions.tf's. */
export function terraformPlanContext(o: Options, requiredVersion: string): TerraformPlanContext {
  const actions: string[] = [
    ...Object.values(READ_ACTIONS).flat(),
    ...(o.database === 'postgres' || o.cache === 'redis' ? SECRETS_READ : []),
    ...(o.deploymentEngine === 'codedeploy' ? CODEDEPLOY_READ : []),
    ...(o.alertsSlackTeamId && o.alertsSlackChannelId ? CHATBOT_READ : []),
  ];
  return {
    cliVersion: cliVersionFor(requiredVersion),
    stateKey: `${o.serviceName}/terraform.tfstate`,
    readActions: actions.sort(),
  };
}
