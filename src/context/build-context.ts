/**
 * Options + ProjectFacts → RenderContext: the flat, precomputed values templates read.
 * Templates do no option parsing, lookups or arithmetic beyond loops and conditions.
 */
import { posix } from 'node:path';
import { AWS_REGIONS, type AccountSpecificKey, type Options } from '../options/table.js';
import { loadVersions, type ActionKey, type PinnedAction } from '../versions.js';
import { GENERATOR_VERSION } from '../paths.js';
import type { PackageManager, ProjectFacts } from './facts.js';
import { isFrozen, serviceInstall, type PackageManagerCommands } from './package-manager.js';
import { ALARM_SETTINGS, TIMING_ASSUMPTIONS, computeTimeline, type Timeline } from './timeline.js';
import { estimateMonthlyCost, type CostEstimate } from './cost.js';
import { FARGATE_CPUS, fargateMemoryFor } from '../options/fargate.js';
import { databaseContext, type DatabaseContext } from './database.js';

/** One deployment environment. */
export interface EnvironmentContext {
  /** `staging` or `production`. */
  readonly name: string;
  readonly isProduction: boolean;
  readonly desiredCount: number;
}

/** Commands the container and the pipeline run for the app. */
export interface AppContext {
  readonly mode: 'new' | 'adopt';
  readonly packageManager: PackageManager;
  /** Install command for CI, e.g. `npm ci` (= pm.install). */
  readonly installCommand: string;
  /** Lockfile install commands and files of the package manager (Dockerfile). */
  readonly pm: PackageManagerCommands;
  /** Which package scripts the workflow's test job runs. */
  readonly runTest: boolean;
  readonly runLint: boolean;
  readonly runBuild: boolean;
  /** Container command (exec form), e.g. ["node", "dist/server.js"]. */
  readonly startCommand: readonly string[];
  /** Migration command (exec form), or null when there is no database or no migration tool. */
  readonly migrateCommand: readonly string[] | null;
  /** Where the migrations and their runner live, for the docs (e.g. "`migrations/` and `src/migrate.ts`"); empty for a detected tool. */
  readonly migrationSources: string;
  /** Adopt: the detected database client (e.g. `mongoose`); empty for a new service. */
  readonly databaseClient: string;
  /** Container health check command, e.g. ["CMD", "node", "dist/healthcheck.js"]. */
  readonly healthcheckCommand: readonly string[];
  /** Where compiled/served JS lives: `dist` (ts) or `src` (js). */
  readonly outDir: string;
  /** Whether the installs are frozen to a committed lockfile. */
  readonly frozenInstall: boolean;
  /** Root install scripts dropped in the production install (e.g. "prepare"), or empty. */
  readonly droppedScripts: string;
  /** Paths under node_modules the build generates and the image needs (e.g. the Prisma client). */
  readonly buildKeeps: readonly string[];
}

/** Everything a template may read. Flat and precomputed. */
export interface RenderContext {
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
  readonly placeholders: Readonly<Record<AccountSpecificKey, boolean>>;
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
  readonly appDependencies: Readonly<Record<string, string>>;
  readonly appDevDependencies: Readonly<Record<string, string>>;
  /** corepack version for pnpm/yarn images. */
  readonly corepackVersion: string;

  readonly alarm: typeof ALARM_SETTINGS;
  readonly timeline: Timeline;
  /** The timeline model's assumed latencies (stated in docs/DEPLOYMENT.md). */
  readonly timingAssumptions: typeof TIMING_ASSUMPTIONS;
  /** Approximate monthly AWS cost of the chosen options (docs/DEPLOYMENT.md). */
  readonly cost: CostEstimate;
  /** Job timeout for a deploy job: provisioning + canary + rollback window + margin. */
  readonly deployTimeoutMinutes: number;
  /** How long the workflow waits for the service deployment to finish. */
  readonly deployWaitMinutes: number;
  /** AWS role session for deploy jobs (≥ the job timeout). */
  readonly roleSessionSeconds: number;
  readonly app: AppContext;
}

const PREDEFINED_CODEDEPLOY: Readonly<Record<string, string>> = {
  '10/5': 'CodeDeployDefault.ECSCanary10Percent5Minutes',
  '10/15': 'CodeDeployDefault.ECSCanary10Percent15Minutes',
};

/**
 * Adopted service: commands follow the detected project, not the language option. The app's own start
 * command; the detected migration tool's command (null when the database option is none); the
 * generated healthcheck next to the app module at runtime; tsc's outDir (a JS build script's output is
 * assumed in dist/, detection warns about it). TS without a build script gets one ("build": "tsc").
 */
function adoptAppContext(o: Options, facts: ProjectFacts, pm: PackageManagerCommands): AppContext {
  const runtimeDir = facts.runtimeDir ?? '.';
  const at = (file: string): string => (runtimeDir === '.' ? file : `${runtimeDir}/${file}`);
  const ext = facts.sourceExt === 'mjs' || facts.sourceExt === 'cjs' ? facts.sourceExt : 'js';
  // The health check runs from the sources (plain JS, .cjs next to TypeScript): no build tool has to emit it.
  const runBuild = facts.scripts.build || facts.typescript === true;
  const healthcheck = posix.join(facts.sourceDir ?? '.', `healthcheck.${facts.sourceExt === 'ts' ? 'cjs' : (facts.sourceExt ?? 'js')}`);
  return {
    mode: 'adopt',
    packageManager: facts.packageManager,
    installCommand: pm.install,
    pm,
    runTest: facts.scripts.test,
    runLint: facts.scripts.lint,
    runBuild,
    startCommand: facts.startCommand ?? ['node', at(`server.${ext}`)],
    migrateCommand: o.database === 'postgres' ? (facts.migrateCommand ?? null) : null,
    migrationSources: facts.migrateEntry ? `\`migrations/\` and \`${facts.sourceDir ?? '.'}/migrate.${facts.sourceExt ?? 'js'}\`` : '',
    databaseClient: facts.databaseClient ?? '',
    healthcheckCommand: ['CMD', 'node', healthcheck],
    outDir: facts.typescript ? (facts.tsOutDir ?? runtimeDir) : facts.scripts.build ? 'dist' : runtimeDir,
    frozenInstall: isFrozen(facts),
    droppedScripts: (facts.devOnlyScripts ?? []).map((s) => `scripts.${s}`).join(', '),
    // Prisma generates its client into node_modules at build time; the production install cannot (no CLI there).
    buildKeeps: runBuild && facts.databaseClient === 'prisma' ? ['node_modules/.prisma'] : [],
  };
}

function appContext(o: Options, facts: ProjectFacts): AppContext {
  const isTs = o.language === 'ts';
  const outDir = isTs ? 'dist' : 'src';
  const pm = serviceInstall(facts);
  if (facts.mode === 'adopt') return adoptAppContext(o, facts, pm);
  return {
    mode: facts.mode,
    packageManager: facts.packageManager,
    installCommand: pm.install,
    pm,
    runTest: facts.scripts.test,
    runLint: facts.scripts.lint,
    runBuild: facts.mode === 'new' ? isTs : facts.scripts.build,
    startCommand: facts.startCommand ?? ['node', `${outDir}/server.js`],
    migrateCommand: o.database === 'postgres' ? ['node', `${outDir}/migrate.js`] : null,
    migrationSources: `\`migrations/\` and \`src/migrate.${isTs ? 'ts' : 'js'}\``,
    databaseClient: '',
    healthcheckCommand: ['CMD', 'node', `${outDir}/healthcheck.js`],
    outDir,
    frozenInstall: true,
    droppedScripts: '',
    buildKeeps: [],
  };
}

/** Build the render context. Pure: same options and facts, same context. */
export function buildContext(o: Options, facts: ProjectFacts): RenderContext {
  const v = loadVersions();
  const [owner = '', repo = ''] = (o.githubRepo ?? '').split('/');
  const placeholders = {
    vpcId: o.vpcId === undefined,
    publicSubnetIds: o.publicSubnetIds === undefined,
    privateSubnetIds: o.privateSubnetIds === undefined,
    certificateArn: o.certificateArn === undefined,
    githubRepo: o.githubRepo === undefined,
  };
  const predefined = o.deploymentEngine === 'codedeploy' ? PREDEFINED_CODEDEPLOY[`${o.canaryPercent}/${o.canaryMinutes}`] : undefined;
  const deployTimeout = Math.max(30, 15 + o.canaryMinutes + o.rollbackWindowMinutes + 20);
  const envs: EnvironmentContext[] = [
    ...(o.staging ? [{ name: 'staging', isProduction: false, desiredCount: 1 }] : []),
    { name: 'production', isProduction: true, desiredCount: o.desiredCount },
  ];
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
    placeholders,
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
    environments: envs,
    hasDatabase: o.database === 'postgres',
    database: databaseContext(facts),
    hasCache: o.cache === 'redis',
    isTs: o.language === 'ts',
    ext: o.language,
    actions: v.actions,
    terraformRequiredVersion: v.terraformRequiredVersion,
    awsProviderConstraint: v.awsProviderConstraint,
    appDependencies: v.appDependencies,
    appDevDependencies: v.appDevDependencies,
    corepackVersion: v.corepackVersion,
    alarm: ALARM_SETTINGS,
    timeline: computeTimeline(o.canaryPercent, o.canaryMinutes, o.rollbackWindowMinutes),
    timingAssumptions: TIMING_ASSUMPTIONS,
    cost: estimateMonthlyCost({
      cpu: o.cpu,
      memory: o.memory,
      environments: envs,
      secretsPerEnvironment: (o.database === 'postgres' ? 1 : 0) + (o.cache === 'redis' ? 1 : 0),
      canaryMinutes: o.canaryMinutes,
      rollbackWindowMinutes: o.rollbackWindowMinutes,
    }),
    deployTimeoutMinutes: deployTimeout,
    deployWaitMinutes: deployTimeout - 10,
    roleSessionSeconds: Math.max(3600, Math.ceil((deployTimeout + 10) / 60) * 3600),
    app: appContext(o, facts),
  };
}
