/**
 * The deployment contract between Terraform and the workflow, declared once: the application
 * secrets, the GitHub variables (each a Terraform output), and the task definition's `<NAME>`
 * placeholders the deploy job fills from them. Terraform (secrets.tf, iam.tf, main.tf, outputs.tf),
 * the task definitions, the workflow and docs/DEPLOYMENT.md loop over these tables; adding a secret
 * or a variable is one row here.
 */

import type { AccountSpecificKey } from '../options/table.js';
import { prerequisitesCommand, secretValueCommands } from './first-deployment.js';

/** What the contract depends on. */
export interface ContractInputs {
  readonly hasDatabase: boolean;
  readonly hasCache: boolean;
  readonly hasMigration: boolean;
  readonly isCodeDeploy: boolean;
  /** Example value of the DATABASE_URL secret for the detected database server. */
  readonly databaseUrlExample: string;
  /** Environment names, in deployment order (one secret value per environment and secret). */
  readonly environments: readonly string[];
}

/** A secret the tasks read at start-up: one Secrets Manager secret per environment, value set out of band. */
export interface SecretDecl {
  /** Environment variable of the container, e.g. `DATABASE_URL`. */
  readonly name: string;
  /** Terraform resource name: `aws_secretsmanager_secret.<resource>`. */
  readonly resource: string;
  /** Last part of the secret's name, `<service>/<environment>/<slug>`. */
  readonly slug: string;
  /** The value's shape, for the secret's description. */
  readonly example: (i: ContractInputs) => string;
  /** Whether the options use it. */
  readonly when: (i: ContractInputs) => boolean;
}

export const SECRETS: readonly SecretDecl[] = [
  {
    name: 'DATABASE_URL',
    resource: 'database_url',
    slug: 'database-url',
    example: (i) => i.databaseUrlExample,
    when: (i) => i.hasDatabase,
  },
  {
    name: 'REDIS_URL',
    resource: 'redis_url',
    slug: 'redis-url',
    example: () => 'rediss://user:password@host:6379',
    when: (i) => i.hasCache,
  },
];

/** Which part of the workflow reads a GitHub variable; the variable checks list them in this order. */
export const READERS = ['build', 'deploy', 'gate', 'migration', 'taskdef', 'codedeploy'] as const;
export type Reader = (typeof READERS)[number];

/** A GitHub variable the workflow reads, set from a Terraform output (outputs.tf). */
export interface VariableDecl {
  readonly name: string;
  /** `repository` (the build job) or `environment` (each deploy job). */
  readonly scope: 'repository' | 'environment';
  /** Its value in outputs.tf; `e` is the environment in `for e in var.environments`. */
  readonly terraform: string;
  readonly readBy: Reader;
  /** The line of the docs' variable table. */
  readonly doc: (i: ContractInputs) => string;
  readonly when?: (i: ContractInputs) => boolean;
}

const oneOff = (i: ContractInputs, used: string, unused: string): string => (i.hasMigration ? used : unused);
const fills = (name: string): string => `Fills \`<${name}>\` in the task definition.`;

/** Where the variables of the secrets' ARNs go in the list: one `<NAME>_SECRET_ARN` per secret. */
export const SECRET_ARNS = 'secret ARNs';

export const VARIABLES: readonly (VariableDecl | typeof SECRET_ARNS)[] = [
  {
    name: 'AWS_BUILD_ROLE_ARN',
    scope: 'repository',
    terraform: 'aws_iam_role.build.arn',
    readBy: 'build',
    doc: () => 'Role the build job assumes (main branch only, ECR push only).',
  },
  {
    name: 'ECR_REPOSITORY',
    scope: 'repository',
    terraform: 'aws_ecr_repository.app.name',
    readBy: 'build',
    doc: () => 'ECR repository the build job pushes to.',
  },
  {
    name: 'AWS_DEPLOY_ROLE_ARN',
    scope: 'environment',
    terraform: 'aws_iam_role.deploy[e].arn',
    readBy: 'deploy',
    doc: () => "Role the environment's deploy job assumes.",
  },
  {
    name: 'ECS_CLUSTER',
    scope: 'environment',
    terraform: 'aws_ecs_cluster.this[e].name',
    readBy: 'deploy',
    doc: () => 'ECS cluster of the environment.',
  },
  {
    name: 'ECS_SERVICE',
    scope: 'environment',
    terraform: 'aws_ecs_service.app[e].name',
    readBy: 'deploy',
    doc: () => 'ECS service of the environment.',
  },
  {
    name: 'PRIVATE_SUBNET_IDS',
    scope: 'environment',
    terraform: 'join(",", var.private_subnet_ids)',
    readBy: 'migration',
    doc: (i) =>
      oneOff(
        i,
        'Subnets of the migration task (comma-separated).',
        'Subnets for one-off tasks (unused while there is no migration).',
      ),
  },
  {
    name: 'TASK_SECURITY_GROUP_ID',
    scope: 'environment',
    terraform: 'aws_security_group.tasks[e].id',
    readBy: 'migration',
    doc: (i) =>
      oneOff(
        i,
        'Security group of the migration task.',
        'Security group for one-off tasks (unused while there is no migration).',
      ),
  },
  {
    name: 'TASK_EXECUTION_ROLE_ARN',
    scope: 'environment',
    terraform: 'aws_iam_role.execution[e].arn',
    readBy: 'taskdef',
    doc: () => fills('TASK_EXECUTION_ROLE_ARN'),
  },
  {
    name: 'TASK_ROLE_ARN',
    scope: 'environment',
    terraform: 'aws_iam_role.task[e].arn',
    readBy: 'taskdef',
    doc: () => fills('TASK_ROLE_ARN'),
  },
  {
    name: 'DEPLOYMENT_ALARM_NAMES',
    scope: 'environment',
    terraform: 'join(" ", local.deployment_alarm_names[e])',
    readBy: 'gate',
    doc: () => 'The alarms that judge a deployment (space-separated); the alarm gate checks them first.',
  },
  SECRET_ARNS,
  {
    name: 'CODEDEPLOY_APPLICATION',
    scope: 'environment',
    terraform: 'aws_codedeploy_app.app.name',
    readBy: 'codedeploy',
    doc: () => 'CodeDeploy application.',
    when: (i) => i.isCodeDeploy,
  },
  {
    name: 'CODEDEPLOY_DEPLOYMENT_GROUP',
    scope: 'environment',
    terraform: 'aws_codedeploy_deployment_group.app[e].deployment_group_name',
    readBy: 'codedeploy',
    doc: () => 'CodeDeploy deployment group of the environment.',
    when: (i) => i.isCodeDeploy,
  },
];

/** The variable carrying a secret's ARN into the task definition's `<NAME>_SECRET_ARN` placeholder. */
function secretVariable(s: SecretDecl): VariableDecl {
  const name = `${s.name}_SECRET_ARN`;
  return {
    name,
    scope: 'environment',
    terraform: `aws_secretsmanager_secret.${s.resource}[e].arn`,
    readBy: 'taskdef',
    doc: () => fills(name),
  };
}

/** A secret as the templates read it. */
export interface SecretContext {
  readonly name: string;
  /** `name` padded to the longest secret name (aligned HCL maps, as terraform fmt writes them). */
  readonly padded: string;
  /** `aws_secretsmanager_secret.<resource>`. */
  readonly address: string;
  readonly resource: string;
  readonly slug: string;
  readonly example: string;
  /** The task definition's placeholder for its ARN, e.g. `<DATABASE_URL_SECRET_ARN>`. */
  readonly placeholder: string;
}

/** A GitHub variable as the templates read it. */
export interface GithubVariableContext {
  readonly name: string;
  /** `name` padded to the longest name of its scope (outputs.tf's aligned maps). */
  readonly padded: string;
  readonly scope: 'repository' | 'environment';
  readonly terraform: string;
  readonly readBy: Reader;
  readonly doc: string;
}

export interface ContractContext {
  readonly secrets: readonly SecretContext[];
  /** In outputs.tf and docs order: repository variables, then environment variables. */
  readonly githubVariables: readonly GithubVariableContext[];
  /** Names of the task definition's `<NAME>` placeholders, filled from the variables of the same name. */
  readonly taskdefPlaceholders: readonly string[];
  /** What each job checks first and reads, in the order the workflow uses them (READERS). */
  readonly workflowVariables: { readonly repository: readonly string[]; readonly environment: readonly string[] };
  /** `` `DATABASE_URL` and `REDIS_URL` `` for prose. */
  readonly secretNamesText: string;
  /** The first apply (build role, image repository, every secret), shared by the docs and the CLI's next steps. */
  readonly prerequisitesCommand: string;
  /** One put-secret-value per environment and secret (docs and next steps). */
  readonly secretValueCommands: readonly string[];
}

const padTo = <T extends { name: string }>(rows: readonly T[]): ((name: string) => string) => {
  const width = Math.max(0, ...rows.map((r) => r.name.length));
  return (name) => name.padEnd(width);
};

/** The contract for these options; `secrets`/`variables` default to the tables above (tests add rows). */
export function contractContext(i: ContractInputs, secrets = SECRETS, variables = VARIABLES): ContractContext {
  const used = secrets.filter((s) => s.when(i));
  const secretPad = padTo(used);
  const vars = variables
    .flatMap((v) => (v === SECRET_ARNS ? used.map(secretVariable) : [v]))
    .filter((v) => v.when?.(i) ?? true);
  const pads = {
    repository: padTo(vars.filter((v) => v.scope === 'repository')),
    environment: padTo(vars.filter((v) => v.scope === 'environment')),
  };
  const githubVariables = vars.map((v) => ({
    name: v.name,
    padded: pads[v.scope](v.name),
    scope: v.scope,
    terraform: v.terraform,
    readBy: v.readBy,
    doc: v.doc(i),
  }));
  const checked = (scope: VariableDecl['scope']): string[] =>
    READERS.flatMap((r) =>
      githubVariables
        .filter((v) => v.scope === scope && v.readBy === r && (r !== 'migration' || i.hasMigration))
        .map((v) => v.name),
    );
  return {
    secrets: used.map((s) => ({
      name: s.name,
      padded: secretPad(s.name),
      address: `aws_secretsmanager_secret.${s.resource}`,
      resource: s.resource,
      slug: s.slug,
      example: s.example(i),
      placeholder: `<${s.name}_SECRET_ARN>`,
    })),
    githubVariables,
    taskdefPlaceholders: githubVariables.filter((v) => v.readBy === 'taskdef').map((v) => v.name),
    workflowVariables: { repository: checked('repository'), environment: checked('environment') },
    secretNamesText: used.map((s) => `\`${s.name}\``).join(' and '),
    prerequisitesCommand: prerequisitesCommand(used.map((s) => `aws_secretsmanager_secret.${s.resource}`)),
    secretValueCommands: secretValueCommands(
      i.environments,
      used.map((s) => s.name),
    ),
  };
}

/** Which account-specific settings are still placeholders (RenderContext.placeholders). */
type PlaceholderFlags = Readonly<Record<AccountSpecificKey, boolean>>;

/** The terraform.tfvars settings left to fill in: for the docs' first step, and the network ones for the comment in terraform.tfvars. */
export interface TfvarsTodos {
  readonly docs: readonly string[];
  readonly network: readonly string[];
}

/** One row per setting: its line in docs/DEPLOYMENT.md and, for the network, in terraform.tfvars. */
export function tfvarsTodos(p: PlaceholderFlags, region: string, githubIdsCommand: string): TfvarsTodos {
  const rows: { todo: boolean; doc: string; tfvars?: string }[] = [
    {
      todo: p.vpcId,
      doc: '`vpc_id`: the VPC of the load balancers and tasks',
      tfvars: 'vpc_id: your VPC id, e.g. vpc-0123456789abcdef0',
    },
    {
      todo: p.publicSubnetIds,
      doc: '`public_subnet_ids`: at least 2 public subnets in different Availability Zones',
      tfvars: 'public_subnet_ids: at least 2 public subnets in different Availability Zones (load balancers)',
    },
    {
      todo: p.privateSubnetIds,
      doc: '`private_subnet_ids`: at least 2 private subnets with a NAT gateway or VPC endpoints',
      tfvars: 'private_subnet_ids: at least 2 private subnets with a NAT gateway or VPC endpoints (tasks)',
    },
    {
      todo: p.certificateArn,
      doc: `\`certificate_arn\`: the ACM certificate of your domain, in ${region}`,
      tfvars: `certificate_arn: the ACM certificate for your domain, in ${region}`,
    },
    { todo: p.githubRepo, doc: '`github_org` and `github_repo`: the repository allowed to build and deploy' },
    {
      todo: p.githubOwnerId || p.githubRepoId,
      doc: `\`github_owner_id\` and \`github_repo_id\`: the numeric ids of the owner and the repository (\`${githubIdsCommand}\` prints them once the repository exists on GitHub), so the roles accept the [immutable subject](#github-oidc-what-the-roles-trust)`,
    },
  ];
  const open = rows.filter((r) => r.todo);
  return { docs: open.map((r) => r.doc), network: open.flatMap((r) => (r.tfvars ? [r.tfvars] : [])) };
}
