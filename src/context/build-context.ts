/**
 * Options + ProjectFacts → RenderContext: the flat, precomputed values templates read.
 * Templates do no option parsing, lookups or arithmetic beyond loops and conditions.
 */
import { AWS_REGIONS, type Options } from '../options/table.js';
import { loadVersions, type ActionKey, type PinnedAction } from '../versions.js';
import { GENERATOR_VERSION } from '../paths.js';
import type { ProjectFacts } from '../detect/facts.js';
import { appContext, type AppContext } from './app-context.js';
import { ALARM_SETTINGS, TIMING_ASSUMPTIONS, computeTimeline, type Timeline } from '../model/timeline.js';
import { rollbackContext, type RollbackContext } from './rollback-context.js';
import { estimateMonthlyCost, type CostEstimate } from './cost.js';
import { FARGATE_CPUS, fargateMemoryFor } from '../options/fargate.js';
import { localDevContext, type LocalDevContext } from './local-dev.js';
import { terraformPlanContext, type TerraformPlanContext } from './terraform-plan.js';
import {
  ENVIRONMENT_VARIABLES_COMMAND,
  REPOSITORY_VARIABLES_COMMAND,
  VARIABLE_CHECK_STEP,
  environmentCommands,
  firstDeploymentSteps,
  natAddressesCommand,
  BOOTSTRAP_DIGEST_COMMAND,
  type FirstDeploymentStep,
} from './first-deployment.js';
import { templateValues, type TemplateValues } from './template-values.js';
import { contractContext, type ContractContext } from './contract.js';
import { DEPLOY_BUDGET, roleSessionSeconds, type DeployStrategy } from './deploy-timing.js';
import { accountContext, type AccountContext } from './account-context.js';
import { engineContext, environmentContexts, type EngineContext, type EnvironmentContext } from './environments.js';

export type { AppContext } from './app-context.js';
export type { EnvironmentContext } from './environments.js';
import { databaseContext, type DatabaseContext } from './database.js';

/** Everything a template may read. Flat and precomputed. */
interface BaseContext extends RollbackContext, AccountContext, EngineContext {
  readonly generatorVersion: string;
  readonly serviceName: string;
  /** Container name in task definitions (= service name). */
  readonly containerName: string;
  readonly region: string;
  /** Every AWS commercial region (resources/aws-regions.json), for variables.tf validation. */
  readonly awsRegions: readonly string[];
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

/** Build the render context. Pure: same options and facts, same context. */
export function buildContext(o: Options, facts: ProjectFacts): RenderContext {
  const app = appContext(o, facts);
  const envs = environmentContexts(o, app.migrateCommand !== null);
  const timeline = computeTimeline(o.canaryPercent, o.canaryMinutes, o.rollbackWindowMinutes, o.expectedRpm);
  const ctx = baseContext(o, facts, app, envs, timeline);
  return { ...ctx, ...templateValues(ctx) };
}

function baseContext(
  o: Options,
  facts: ProjectFacts,
  app: AppContext,
  envs: EnvironmentContext[],
  timeline: Timeline,
): BaseContext & ContractContext {
  const v = loadVersions();
  const account = accountContext(o);
  const deployTimeout = Math.max(...envs.map((e) => e.timing.jobTimeoutMinutes));
  const database = databaseContext(facts);
  const contract = contractContext({
    hasDatabase: o.database === 'postgres',
    hasCache: o.cache === 'redis',
    hasMigration: app.migrateCommand !== null,
    isCodeDeploy: o.deploymentEngine === 'codedeploy',
    databaseUrlExample: database.urlExample,
    environments: envs.map((e) => e.name),
  });
  return {
    generatorVersion: GENERATOR_VERSION,
    serviceName: o.serviceName,
    containerName: o.serviceName,
    region: o.region,
    awsRegions: AWS_REGIONS,
    ...account,
    ...engineContext(o),
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
      hasPlaceholders: account.hasPlaceholders,
      hasSecrets: contract.secrets.length > 0,
      environments: envs.map((e) => e.name),
      slackSecretName: o.slackWebhookSecret ?? '',
      alertsSlack: Boolean(o.alertsSlackTeamId && o.alertsSlackChannelId),
    }),
    githubEnvironmentCommands: environmentCommands(
      account.githubRepoPath,
      envs.map((e) => e.name),
    ),
    natAddressesCommand: natAddressesCommand(o.vpcId ?? ''),
    bootstrapDigestCommand: BOOTSTRAP_DIGEST_COMMAND,
    repositoryVariablesCommand: REPOSITORY_VARIABLES_COMMAND,
    environmentVariablesCommand: ENVIRONMENT_VARIABLES_COMMAND,
    variableCheckStep: VARIABLE_CHECK_STEP,
    ...contract,
  };
}
