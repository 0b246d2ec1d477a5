/**
 * Options + ProjectFacts → RenderContext: the flat, precomputed values templates read.
 * Templates do no option parsing, lookups or arithmetic beyond loops and conditions.
 */
import { AWS_REGIONS, type AccountSpecificKey, type Options } from '../options/table.js';
import { loadVersions, type ActionKey, type PinnedAction } from '../versions.js';
import { GENERATOR_VERSION } from '../paths.js';
import type { ProjectFacts } from '../detect/facts.js';
import { appContext, type AppContext } from './app-context.js';
import { ALARM_SETTINGS, TIMING_ASSUMPTIONS, computeTimeline, type Timeline } from './timeline.js';
import { rollbackContext, type RollbackContext } from './rollback-context.js';
import { estimateMonthlyCost, type CostEstimate } from './cost.js';
import { FARGATE_CPUS, fargateMemoryFor } from '../options/fargate.js';
import { localDevContext, type LocalDevContext } from './local-dev.js';
import { terraformPlanContext, type TerraformPlanContext } from './terraform-plan.js';
import {
  ENVIRONMENT_VARIABLES_COMMAND, REPOSITORY_VARIABLES_COMMAND, VARIABLE_CHECK_STEP, environmentCommands, firstDeploymentSteps,
  natAddressesCommand, BOOTSTRAP_DIGEST_COMMAND, type FirstDeploymentStep,
} from './first-deployment.js';
import { templateValues, type TemplateValues } from './template-values.js';
import { contractContext, tfvarsTodos, type ContractContext, type TfvarsTodos } from './contract.js';
import { githubIdsCommand } from '../options/github-ids.js';
import { DEPLOY_BUDGET, deployTiming, roleSessionSeconds, type DeployStrategy, type DeployTiming } from './deploy-timing.js';

export type { AppContext } from './app-context.js';
import { databaseContext, type DatabaseContext } from './database.js';

/** One deployment environment. */
export interface EnvironmentContext {
  /** `staging` or `production`. */
  readonly name: string;
  readonly isProduction: boolean;
  readonly desiredCount: number;
  /** Production always deploys with the canary; staging with --staging-strategy. */
  readonly strategy: DeployStrategy;
  readonly isCanary: boolean;
  /** Task definition family: `<service>-<environment>`. */
  readonly family: string;
  /** What its deployment is called in step names, e.g. `ECS canary deployment`. */
  readonly deploymentLabel: string;
  /** Waits and job timeout of this environment's deploy job. */
  readonly timing: DeployTiming;
}

/** Everything a template may read. Flat and precomputed. */
interface BaseContext extends RollbackContext {
  readonly generatorVersion: string;
  readonly serviceName: string;
  /** Container name in task definitions (= service name). */
  readonly containerName: string;
  readonly region: string;
  /** Every AWS commercial region (resources/aws-regions.json), for variables.tf validation. */
  readonly awsRegions: readonly string[];
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

  readonly engine: 'ecs' | 'codedeploy';
  readonly isEcs: boolean;
  readonly isCodeDeploy: boolean;
  readonly canaryPercent: number;
  readonly canaryMinutes: number;
  readonly rollbackWindowMinutes: number;
  /** CodeDeploy: predefined config name, or the name of the custom config codedeploy.tf creates. */
  readonly codedeployConfigName: string;
  /** CodeDeploy: true when percent/window match no predefined config and a custom one is rendered. */
  readonly codedeployCustomConfig: boolean;

  readonly slack: boolean;
  /** GitHub secret name holding the Slack webhook (empty when Slack is off). */
  readonly slackSecretName: string;

  readonly containerPort: number;
  readonly desiredCount: number;
  readonly cpu: number;
  readonly memory: number;
  /** Every valid Fargate task size (CPU units → allowed MiB), for variables.tf validation. */
  readonly fargateSizes: ReadonlyArray<{ readonly cpu: number; readonly memory: readonly number[] }>;
  readonly nodeVersion: string;
  /** e.g. node:24-bookworm-slim */
  readonly nodeImage: string;

  readonly staging: boolean;
  /** How staging deploys (rendered into terraform.tfvars; meaningful only with staging). */
  readonly stagingStrategy: DeployStrategy;
  /** Deployment order: staging (when on) then production. */
  readonly environments: readonly EnvironmentContext[];
  readonly hasDatabase: boolean;
  /** The database server: name, port the tasks may reach, DATABASE_URL example. */
  readonly database: DatabaseContext;
  readonly hasCache: boolean;
  readonly isTs: boolean;
  /** `ts` or `js`. */
  readonly ext: 'ts' | 'js';

  readonly actions: Readonly<Record<ActionKey, PinnedAction>>;
  readonly terraformRequiredVersion: string;
  readonly awsProviderConstraint: string;
  readonly archiveProviderConstraint: string;
  readonly appDependencies: Readonly<Record<string, string>>;
  readonly appDevDependencies: Readonly<Record<string, string>>;
  /** corepack version for pnpm/yarn images. */
  readonly corepackVersion: string;
  /** bun service: the bun version CI and the image install (the one that ran the generator, as package.json names it); else empty. */
  readonly bunVersion: string;
  /** The Dockerfile stage the install and build stages start from: `bun` (base plus bun) or `base`. */
  readonly installStage: 'bun' | 'base';

  readonly alarm: typeof ALARM_SETTINGS;
  readonly timeline: Timeline;
  /** The timeline model's assumed latencies (stated in docs/DEPLOYMENT.md). */
  readonly timingAssumptions: typeof TIMING_ASSUMPTIONS;
  /** Approximate monthly AWS cost of the chosen options (docs/DEPLOYMENT.md). */
  readonly cost: CostEstimate;
  /** The longest deploy job timeout of all environments (setup + migration + deployment wait + margin). */
  readonly deployTimeoutMinutes: number;
  /** The longest deployment wait of all environments. */
  readonly deployWaitMinutes: number;
  /** AWS role session for deploy jobs (≥ the longest job timeout). */
  readonly roleSessionSeconds: number;
  /** The budgets the timeouts are derived from (stated in docs/DEPLOYMENT.md). */
  readonly deployBudget: typeof DEPLOY_BUDGET;
  readonly app: AppContext;
  /** New repos: README, compose.yaml, .env.example, dev scripts, start-up env check, migration lint. */
  readonly local: LocalDevContext;
  /** .github/workflows/terraform.yml and the read-only plan role. */
  readonly terraformPlan: TerraformPlanContext;
  /** The bootstrap, in order (docs/DEPLOYMENT.md and the CLI's next steps). */
  readonly firstDeployment: readonly FirstDeploymentStep[];
  /** `gh api` commands creating the environments with a main-only branch policy (and production reviewers). */
  readonly githubEnvironmentCommands: readonly string[];
  /** Prints the NAT gateways' public addresses, for test_traffic_cidrs. */
  readonly natAddressesCommand: string;
  /** Prints the newest image's digest, for bootstrap_image (run in terraform/). */
  readonly bootstrapDigestCommand: string;
  /** Shell commands (run in terraform/) that set the repository's and every environment's GitHub variables. */
  readonly repositoryVariablesCommand: string;
  readonly environmentVariablesCommand: string;
  /** Name of the deploy jobs' first step, the variable check. */
  readonly variableCheckStep: string;
}

/**
 * What the templates read. The deployment contract (secrets, GitHub variables, task-definition
 * placeholders: contract.ts) is spread in flat like the rest.
 */
export type RenderContext = BaseContext & ContractContext & TemplateValues;

const PREDEFINED_CODEDEPLOY: Readonly<Record<string, string>> = {
  '10/5': 'CodeDeployDefault.ECSCanary10Percent5Minutes',
  '10/15': 'CodeDeployDefault.ECSCanary10Percent15Minutes',
};

/** Staging (when on) then production, each with its strategy and the timeouts derived from it. */
function environmentContexts(o: Options, hasMigration: boolean): EnvironmentContext[] {
  const env = (name: string, isProduction: boolean, desiredCount: number): EnvironmentContext => {
    const strategy: DeployStrategy = isProduction ? 'canary' : o.stagingStrategy;
    const timing = deployTiming({
      strategy, canaryMinutes: o.canaryMinutes, rollbackWindowMinutes: o.rollbackWindowMinutes, hasMigration,
    });
    const isCanary = strategy === 'canary';
    const isEcs = o.deploymentEngine === 'ecs';
    const deploymentLabel = `${isEcs ? 'ECS' : 'CodeDeploy'} ${isCanary ? 'canary deployment' : isEcs ? 'rolling update' : 'all-at-once deployment'}`;
    return { name, isProduction, desiredCount, strategy, isCanary, family: `${o.serviceName}-${name}`, deploymentLabel, timing };
  };
  return [...(o.staging ? [env('staging', false, 1)] : []), env('production', true, o.desiredCount)];
}

/** Build the render context. Pure: same options and facts, same context. */
export function buildContext(o: Options, facts: ProjectFacts): RenderContext {
  const app = appContext(o, facts);
  const envs = environmentContexts(o, app.migrateCommand !== null);
  const timeline = computeTimeline(o.canaryPercent, o.canaryMinutes, o.rollbackWindowMinutes, o.expectedRpm);
  const ctx = baseContext(o, facts, app, envs, timeline);
  return { ...ctx, ...templateValues(ctx) };
}

function baseContext(o: Options, facts: ProjectFacts, app: AppContext, envs: EnvironmentContext[], timeline: Timeline): BaseContext & ContractContext {
  const v = loadVersions();
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
  const predefined = o.deploymentEngine === 'codedeploy' ? PREDEFINED_CODEDEPLOY[`${o.canaryPercent}/${o.canaryMinutes}`] : undefined;
  const repoPath = o.githubRepo ?? '{owner}/{repo}';
  const subPrefixes = [
    ...(o.githubOwnerId !== undefined && o.githubRepoId !== undefined ? [`repo:${owner}@${o.githubOwnerId}/${repo}@${o.githubRepoId}`] : []),
    `repo:${owner || 'OWNER'}/${repo || 'REPO'}`,
  ];
  const deployTimeout = Math.max(...envs.map((e) => e.timing.jobTimeoutMinutes));
  const database = databaseContext(facts);
  const idsCommand = githubIdsCommand(o.githubRepo);
  const contract = contractContext({
    hasDatabase: o.database === 'postgres', hasCache: o.cache === 'redis', hasMigration: app.migrateCommand !== null,
    isCodeDeploy: o.deploymentEngine === 'codedeploy', databaseUrlExample: database.urlExample, environments: envs.map((e) => e.name),
  });
  return {
    generatorVersion: GENERATOR_VERSION,
    serviceName: o.serviceName,
    containerName: o.serviceName,
    region: o.region,
    awsRegions: AWS_REGIONS,
    vpcId: o.vpcId ?? '',
    publicSubnetIds: o.publicSubnetIds ?? [],
    privateSubnetIds: o.privateSubnetIds ?? [],
    certificateArn: o.certificateArn ?? '',
    githubOwner: owner,
    githubRepoName: repo,
    githubOwnerId: o.githubOwnerId ?? '',
    githubRepoId: o.githubRepoId ?? '',
    hasGithubIds: o.githubOwnerId !== undefined && o.githubRepoId !== undefined,
    githubRepoPath: repoPath,
    githubIdsCommand: idsCommand,
    githubSubPrefixes: subPrefixes,
    placeholders,
    tfvarsTodos: tfvarsTodos(placeholders, o.region, idsCommand),
    hasPlaceholders: Object.values(placeholders).some(Boolean),
    engine: o.deploymentEngine,
    isEcs: o.deploymentEngine === 'ecs',
    isCodeDeploy: o.deploymentEngine === 'codedeploy',
    canaryPercent: o.canaryPercent,
    canaryMinutes: o.canaryMinutes,
    rollbackWindowMinutes: o.rollbackWindowMinutes,
    codedeployConfigName: predefined ?? `${o.serviceName}-canary-${o.canaryPercent}pct-${o.canaryMinutes}min`,
    codedeployCustomConfig: o.deploymentEngine === 'codedeploy' && predefined === undefined,
    slack: o.slackWebhookSecret !== null,
    slackSecretName: o.slackWebhookSecret ?? '',
    containerPort: o.containerPort,
    desiredCount: o.desiredCount,
    cpu: o.cpu,
    memory: o.memory,
    fargateSizes: FARGATE_CPUS.map((cpu) => ({ cpu, memory: fargateMemoryFor(cpu) })),
    nodeVersion: o.nodeVersion,
    nodeImage: v.nodeImageTemplate.replace('{major}', o.nodeVersion),
    staging: o.staging,
    stagingStrategy: o.stagingStrategy,
    environments: envs,
    hasDatabase: o.database === 'postgres',
    database,
    hasCache: o.cache === 'redis',
    isTs: o.language === 'ts',
    ext: o.language,
    actions: v.actions,
    terraformRequiredVersion: v.terraformRequiredVersion,
    awsProviderConstraint: v.awsProviderConstraint,
    archiveProviderConstraint: v.archiveProviderConstraint,
    appDependencies: v.appDependencies,
    appDevDependencies: v.appDevDependencies,
    corepackVersion: v.corepackVersion,
    bunVersion: facts.packageManager === 'bun' ? (facts.packageManagerVersion ?? v.bunVersion) : '',
    installStage: facts.packageManager === 'bun' ? 'bun' : 'base',
    alarm: ALARM_SETTINGS,
    timeline,
    ...rollbackContext(o, facts, envs, timeline),
    timingAssumptions: TIMING_ASSUMPTIONS,
    cost: estimateMonthlyCost({
      cpu: o.cpu,
      memory: o.memory,
      environments: envs,
      secretsPerEnvironment: contract.secrets.length,
      canaryMinutes: o.canaryMinutes,
      rollbackWindowMinutes: o.rollbackWindowMinutes,
    }),
    deployTimeoutMinutes: deployTimeout,
    deployWaitMinutes: Math.max(...envs.map((e) => e.timing.deploymentWaitMinutes)),
    roleSessionSeconds: roleSessionSeconds(deployTimeout),
    deployBudget: DEPLOY_BUDGET,
    app,
    local: localDevContext(o, facts, v),
    terraformPlan: terraformPlanContext(o, v.terraformRequiredVersion),
    firstDeployment: firstDeploymentSteps({
      hasPlaceholders: Object.values(placeholders).some(Boolean),
      hasSecrets: contract.secrets.length > 0,
      environments: envs.map((e) => e.name),
      slackSecretName: o.slackWebhookSecret ?? '',
      alertsSlack: Boolean(o.alertsSlackTeamId && o.alertsSlackChannelId),
    }),
    githubEnvironmentCommands: environmentCommands(repoPath, envs.map((e) => e.name)),
    natAddressesCommand: natAddressesCommand(o.vpcId ?? ''),
    bootstrapDigestCommand: BOOTSTRAP_DIGEST_COMMAND,
    repositoryVariablesCommand: REPOSITORY_VARIABLES_COMMAND,
    environmentVariablesCommand: ENVIRONMENT_VARIABLES_COMMAND,
    variableCheckStep: VARIABLE_CHECK_STEP,
    ...contract,
  };
}
